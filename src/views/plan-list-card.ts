import type { Lang } from '../domain/language.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { PlanOverviewEntry } from '../services/plan-overview.ts';
import { figuresText } from './delivery-text.ts';
import { formatDateTime } from './format.ts';
import { windowText } from './plan-saved-card.ts';
import { recurrenceText } from './recurrence-text.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type PlanListView = { entries: PlanOverviewEntry[]; total: number; k: number; notice?: string };

function buttons(entry: PlanOverviewEntry, t: Translate) {
  const planId = entry.plan.id;
  return [
    entry.plan.status === 'active' ? { title: t('plans.pause'), verb: 'plan.pause', planId } : { title: t('plans.resume'), verb: 'plan.resume', planId },
    { title: t('plans.edit'), verb: 'plan.edit', planId },
    ...(entry.latest ? [{ title: t('plans.showStatus'), verb: 'plan.status', planId }] : []),
    { title: t('plans.cancel'), verb: 'plan.cancel', planId },
  ];
}

/** `planer`: each active or paused plan with its rhythm, next send, latest pulse in counts, and buttons. */
export function planListCard(view: PlanListView, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  return renderCard('plan-list', {
    title: t('plans.title'),
    notice: view.notice ?? '',
    empty: view.entries.length === 0 ? t('plans.empty') : '',
    plans: view.entries.map((e) => {
      const roles = e.plan.roleFilter.length ? e.plan.roleFilter.map((r) => t(`staffRole.${r}` as MessageKey)).join(', ') : t('plans.allRoles');
      return {
        title: e.title?.[lang] ?? e.plan.templateId,
        facts: [
          { title: t('plans.unit'), value: `${e.unitName} (${roles})` },
          { title: t('plans.schedule'), value: recurrenceText(e.plan, lang, t) },
          { title: t('plans.next'), value: e.plan.nextRunAt ? formatDateTime(e.plan.nextRunAt, lang) : t('plans.nextNone') },
          { title: t('plans.window'), value: windowText(e.plan.windowMinutes, t) },
          { title: t('plans.status'), value: t(e.plan.status === 'paused' ? 'plans.status.paused' : 'plans.status.active') },
        ],
        pulseHeading: e.latest ? t('plans.lastPulse', { date: formatDateTime(e.latest.opensAt, lang) }) : t('plans.noPulseYet'),
        pulseLines: e.latest ? figuresText(e.latest, view.k, t).map((text) => ({ text })) : [],
        buttons: buttons(e, t),
      };
    }),
    more: view.total > view.entries.length ? t('plans.more', { shown: view.entries.length, total: view.total }) : '',
  });
}
