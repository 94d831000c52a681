import type { PlanRecord } from '../db/plan-repository.ts';
import type { Lang } from '../domain/language.ts';
import { ANSWER_WINDOWS, type AnswerWindow } from '../domain/pulse-start.ts';
import type { Translate } from '../i18n/translate.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import { formatDateTime } from './format.ts';
import { recurrenceText } from './recurrence-text.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

/** The answer window's label («2 timer (i fellestiden)»), or hours when it is not one of the form's choices. */
export function windowText(windowMinutes: number, t: Translate): string {
  const key = (Object.keys(ANSWER_WINDOWS) as AnswerWindow[]).find((w) => ANSWER_WINDOWS[w] === windowMinutes * 60_000);
  return key ? t(`start.window.${key}`) : `${Math.round(windowMinutes / 60)} t`;
}

export type PlanSavedView = { plan: PlanRecord; created: boolean; title: LocalizedText | null; unitName: string; upcoming: Date[] };

/** Confirmation after "Lagre planen", with the next sends in Norwegian date format. */
export function planSavedCard(view: PlanSavedView, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  const paused = view.plan.status === 'paused';
  return renderCard('plan-saved', {
    title: t(view.created ? 'plan.saved.created' : 'plan.saved.updated'),
    summary: t('plan.saved.summary', {
      title: view.title?.[lang] ?? view.plan.templateId,
      unit: view.unitName,
      recurrence: recurrenceText(view.plan, lang, t),
      window: windowText(view.plan.windowMinutes, t),
    }),
    paused: paused ? t('plan.saved.paused') : '',
    upcomingHeading: t('plan.saved.next'),
    upcoming: paused ? [] : view.upcoming.map((d) => ({ text: formatDateTime(d, lang) })),
    hint: t('plan.saved.hint'),
  });
}
