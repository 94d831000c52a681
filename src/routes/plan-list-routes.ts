import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import type { Actor } from '../services/actor.ts';
import { changePlanStatus, type PlanAction, type PlanActionOutcome } from '../services/change-plan-status.ts';
import { planOverview } from '../services/plan-overview.ts';
import { responseStatus } from '../services/response-status.ts';
import { templateChoices } from '../services/plan-access.ts';
import { formatDateTime } from '../views/format.ts';
import { planListCard } from '../views/plan-list-card.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { statusCard } from './pulse-status-routes.ts';
import { resolveActor } from './turn-actor.ts';

export const PLANS_PATTERN = /^\s*(planer|planar|plans)\s*[.!]?\s*$/i;

/** The plan list card, with an optional line saying what was just done. */
async function listCard(deps: Deps, actor: Actor, notice?: string) {
  const overview = await planOverview(deps, actor);
  if (overview.kind === 'notAllowed') return noticeCard(actor.t('plans.title'), actor.t('plan.notAllowed'));
  return planListCard({ entries: overview.entries, total: overview.total, k: overview.k, notice }, actor);
}

async function noticeFor(deps: Deps, actor: Actor, outcome: Extract<PlanActionOutcome, { kind: 'done' }>): Promise<string> {
  const template = (await templateChoices(deps, actor.tenant.id)).find((x) => x.id === outcome.plan.templateId);
  const title = template?.title[actor.lang] ?? outcome.plan.templateId;
  switch (outcome.result) {
    case 'paused':
      return actor.t('plans.done.paused', { title });
    case 'resumed':
      return actor.t('plans.done.resumed', { title, next: outcome.next ? formatDateTime(outcome.next, actor.lang) : '' });
    case 'finished':
      return actor.t('plans.done.finished', { title });
    case 'cancelled':
      return actor.t('plans.done.cancelled', { title });
    default:
      return actor.t('plans.done.unchanged');
  }
}

/** `planer` and the buttons on its card: pause, resume, cancel, response rate (edit is in plan-routes.ts). */
export function registerPlanListRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(PLANS_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await listCard(deps, actor))] });
  });

  const actions: Record<string, PlanAction> = { 'plan.pause': 'pause', 'plan.resume': 'resume', 'plan.cancel': 'cancel' };
  for (const [verb, action] of Object.entries(actions)) {
    app.adaptiveCards.actionExecute<Record<string, unknown>>(verb, async (context, _state, data) => {
      const actor = await resolveActor(context, deps);
      const outcome = await changePlanStatus(deps, actor, data?.planId, action);
      if (outcome.kind === 'notAllowed') return noticeCard(actor.t('plans.title'), actor.t('plan.notAllowed'));
      if (outcome.kind === 'notFound') return noticeCard(actor.t('plans.title'), actor.t('plan.notFound'));
      return listCard(deps, actor, await noticeFor(deps, actor, outcome));
    });
  }

  // The response rate comes as a new message, so the list stays where it is; a refusal replaces the card like the other verbs'.
  app.adaptiveCards.actionExecute<Record<string, unknown>>('plan.status', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const status = await responseStatus(deps, actor, { planId: data?.planId ?? null });
    if (status.kind === 'notAllowed' || status.kind === 'notFound') return statusCard(status, actor);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(statusCard(status, actor))] });
    return listCard(deps, actor);
  });
}
