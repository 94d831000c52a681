import type { Lang } from '../domain/language.ts';
import type { StaffRole } from '../domain/profile.ts';
import { ANSWER_WINDOWS, DEFAULT_WINDOW } from '../domain/pulse-start.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import { formatDateTime } from './format.ts';
import { formatCalendarDate, measureGroup, measureName } from './measure-text.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type FollowUpProposalView = {
  measureId: string;
  catalogueId: string;
  staffRole: StaffRole | null;
  unitName: string;
  startsOn: Date;
  base: { title: string; closedAt: Date };
  k: number;
};

/** The daily job's proposal: the same pulse to the same group, with the answer window to choose and one button. */
export function followUpProposalCard(view: FollowUpProposalView, lang: Lang, t: Translate): AdaptiveCard {
  return renderCard('measure-follow-up', {
    title: t('followUp.title', { name: measureName(view.catalogueId, lang) }),
    text: t('followUp.text', { date: formatCalendarDate(view.startsOn, lang), template: view.base.title }),
    facts: [
      { title: t('followUp.unit'), value: view.unitName },
      { title: t('followUp.group'), value: measureGroup(view.staffRole, t) },
      { title: t('followUp.base'), value: t('followUp.baseValue', { title: view.base.title, date: formatDateTime(view.base.closedAt, lang) }) },
    ],
    windowLabel: t('start.window'),
    windowValue: DEFAULT_WINDOW,
    windowChoices: Object.keys(ANSWER_WINDOWS).map((w) => ({ title: t(`start.window.${w}` as MessageKey), value: w })),
    privacy: t('privacy.promise', { k: view.k }),
    submit: t('followUp.submit'),
    measureId: view.measureId,
  });
}
