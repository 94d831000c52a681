import { LANGUAGES, type Lang } from '../domain/language.ts';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../domain/profile.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import { PUPIL_GROUPS } from '../question-bank/schema.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type ProfileFormView = {
  staffRole: string | null;
  schoolLevel: string | null;
  pupilGroups: readonly string[];
  language: Lang;
  minGroupSize: number;
  error?: string;
};

export function profileCard(view: ProfileFormView, t: Translate): AdaptiveCard {
  return renderCard('profile-form', {
    title: t('profile.title'),
    intro: t('profile.intro'),
    error: view.error ?? '',
    roleLabel: t('profile.staffRole'),
    roleValue: view.staffRole ?? '',
    roleChoices: STAFF_ROLES.map((r) => ({ title: t(`staffRole.${r}` as MessageKey), value: r })),
    levelLabel: t('profile.schoolLevel'),
    levelValue: view.schoolLevel ?? '',
    levelChoices: SCHOOL_LEVELS.map((l) => ({ title: t(`schoolLevel.${l}` as MessageKey), value: l })),
    groupsLabel: t('profile.pupilGroups'),
    groupsValue: view.pupilGroups.join(','),
    groupChoices: PUPIL_GROUPS.map((g) => ({ title: t(`pupilGroup.${g}` as MessageKey), value: g })),
    languageLabel: t('profile.language'),
    languageValue: view.language,
    languageChoices: LANGUAGES.map((l) => ({ title: t(`language.${l}` as MessageKey), value: l })),
    privacy: t('privacy.promise', { k: view.minGroupSize }),
    save: t('profile.save'),
  });
}

/** "Barne- og ungdomsarbeider, Barnetrinn, 2 elevgrupper" for the saved message. */
export function profileSummary(p: { staffRole: string; schoolLevel: string | null; pupilGroups: readonly string[] }, t: Translate): string {
  const parts = [t(`staffRole.${p.staffRole}` as MessageKey)];
  if (p.schoolLevel) parts.push(t(`schoolLevel.${p.schoolLevel}` as MessageKey));
  parts.push(p.pupilGroups.length ? p.pupilGroups.map((g) => t(`pupilGroup.${g}` as MessageKey).toLowerCase()).join(', ') : t('profile.noGroups'));
  return parts.join(' · ');
}
