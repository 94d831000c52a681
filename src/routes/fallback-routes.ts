import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Deps } from '../deps.ts';
import { noticeCard } from '../views/pulse-card.ts';
import type { AskPlanner } from './ai-routes.ts';
import { offerProfileIfNeeded } from './profile-routes.ts';
import { resolveActor } from './turn-actor.ts';

/**
 * Registered last: any message no other route took gets a pointer to help —
 * or, when a language model is configured, a leader's or coordinator's
 * message goes to the planner first (`askPlanner`; staff text never does).
 */
export function registerFallbackRoutes(app: Application<TurnState>, deps: Deps, askPlanner: AskPlanner | null = null): void {
  // A card action with an unknown or stale verb gets a readable card, not an error.
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const actor = await resolveActor(context, deps);
    deps.logger.warn({ verb: String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '').slice(0, 40) }, 'unknown card verb');
    return noticeCard(actor.t('notice.title'), actor.t('card.unknownAction'));
  });

  app.activity('message', async (context, state) => {
    const actor = await resolveActor(context, deps);
    if (askPlanner && (await askPlanner(context, state, actor))) return;
    await context.sendActivity(actor.t('unknown.text'));
    await offerProfileIfNeeded(context, actor, deps);
  });
}
