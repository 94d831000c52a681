import { ANSWER_WINDOWS, DEFAULT_WINDOW } from '../domain/pulse-start.ts';
import { STAFF_ROLES } from '../domain/profile.ts';
import type { UnitNode } from '../domain/unit-scope.ts';
import type { Lang } from '../domain/language.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type StartPulseView = {
  templates: Array<{ id: string; title: LocalizedText }>;
  units: UnitNode[];
  templateId: string | null;
  unitId: string | null;
  error?: string;
};

export function startPulseCard(view: StartPulseView, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  return renderCard('pulse-start-form', {
    title: t('start.title'),
    intro: t('start.intro'),
    error: view.error ?? '',
    templateLabel: t('start.template'),
    templateValue: view.templateId ?? view.templates[0]?.id ?? '',
    templateChoices: view.templates.map((x) => ({ title: x.title[lang], value: x.id })),
    unitLabel: t('start.unit'),
    unitValue: view.unitId ?? view.units[0]?.id ?? '',
    unitChoices: view.units.map((u) => ({ title: u.name, value: u.id })),
    rolesLabel: t('start.roles'),
    rolesValue: '',
    roleChoices: STAFF_ROLES.map((r) => ({ title: t(`staffRole.${r}` as MessageKey), value: r })),
    windowLabel: t('start.window'),
    windowValue: DEFAULT_WINDOW,
    windowChoices: Object.keys(ANSWER_WINDOWS).map((w) => ({ title: t(`start.window.${w}` as MessageKey), value: w })),
    submit: t('start.submit'),
  });
}
