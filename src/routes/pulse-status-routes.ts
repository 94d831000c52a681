import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import type { Actor } from '../services/actor.ts';
import { responseStatus, type ResponseStatus } from '../services/response-status.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { pulseStatusCard } from '../views/pulse-status-card.ts';
import { resolveActor } from './turn-actor.ts';

export const STATUS_PATTERN = /^\s*(status|svarprosent)\s*[.!?]?\s*$/i;

/** The status card, or a notice saying why there is none. */
export function statusCard(status: ResponseStatus, actor: Actor) {
  if (status.kind === 'notAllowed') return noticeCard(actor.t('status.title'), actor.t('status.notAllowed'));
  if (status.kind === 'notFound') return noticeCard(actor.t('status.title'), actor.t('plan.notFound'));
  if (status.kind === 'none') return noticeCard(actor.t('status.title'), actor.t('status.none'));
  return pulseStatusCard(status, actor);
}

/** `status`: response rate of the latest pulse in the person's scope (a plan's "Svarprosent" button is in plan-list-routes.ts). */
export function registerPulseStatusRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(STATUS_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(statusCard(await responseStatus(deps, actor), actor))] });
  });
}
