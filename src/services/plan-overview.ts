import type { Deps } from '../deps.ts';
import type { PlanRecord } from '../db/plan-repository.ts';
import { progressSummary } from '../domain/progress.ts';
import { groupRate, type GroupRate } from '../domain/response-breakdown.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import type { Actor } from './actor.ts';
import { plannerScope, templateChoices } from './plan-access.ts';

/** Delivery and answers of one pulse, in counts; `answers` obeys the k rule. */
export type PulseFigures = {
  opensAt: Date;
  delivery: { total: number; sent: number; failed: number };
  failureReasons: Record<string, number>;
  /** Hidden together with the answers: reminders go to non-responders, so their number gives the answers away. */
  reminded: number;
  answers: GroupRate;
};

export type PlanOverviewEntry = { plan: PlanRecord; title: LocalizedText | null; unitName: string; latest: PulseFigures | null };

export type PlanOverview = { kind: 'notAllowed' } | { kind: 'ok'; entries: PlanOverviewEntry[]; total: number; k: number };

/** A card has a size limit (~40 KB in Teams); more plans than this are counted, not listed. */
export const MAX_LISTED_PLANS = 20;

/** Delivery, answer and reminder counts for one pulse. */
export async function pulseFigures(deps: Deps, pulse: { id: string; opensAt: Date }, k: number): Promise<PulseFigures> {
  const [counts, failureReasons, responses] = await Promise.all([deps.outbox.countsFor(pulse.id), deps.outbox.failureReasons(pulse.id), deps.pulses.responseCounts(pulse.id)]);
  const delivery = progressSummary(counts);
  // Every reminder round (seq) counts: "påminnet" is reminders sent, not people.
  const reminded = counts['reminder.sent'] ?? 0;
  return {
    opensAt: pulse.opensAt,
    delivery: { total: delivery.total, sent: delivery.sent, failed: delivery.failed },
    failureReasons,
    reminded,
    answers: groupRate({ key: 'total', recipients: responses.recipients, answered: responses.answered }, k),
  };
}

/** Active and paused plans for the units in the person's scope, each with its latest pulse's figures. */
export async function planOverview(deps: Deps, actor: Actor): Promise<PlanOverview> {
  const { scope } = await plannerScope(deps, actor);
  if (scope.length === 0) return { kind: 'notAllowed' };
  const plans = await deps.plans.list(actor.tenant.id, scope.map((u) => u.id));
  const templates = new Map((await templateChoices(deps, actor.tenant.id)).map((t) => [t.id, t.title]));
  const names = new Map(scope.map((u) => [u.id, u.name]));
  const k = actor.tenant.minGroupSize;
  const entries: PlanOverviewEntry[] = [];
  for (const plan of plans.slice(0, MAX_LISTED_PLANS)) {
    const pulse = await deps.responses.latestPulse(actor.tenant.id, { planId: plan.id });
    entries.push({ plan, title: templates.get(plan.templateId) ?? null, unitName: names.get(plan.unitId) ?? '', latest: pulse ? await pulseFigures(deps, pulse, k) : null });
  }
  return { kind: 'ok', entries, total: plans.length, k };
}
