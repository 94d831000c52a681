import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Deps } from '../deps.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { offerProfileIfNeeded } from './profile-routes.ts';
import { resolveActor } from './turn-actor.ts';

/** Registered last: any message no other route took gets a pointer to help. */
export function registerFallbackRoutes(app: Application<TurnState>, deps: Deps): void {
  // A card action with an unknown or stale verb gets a readable card, not an error.
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const actor = await resolveActor(context, deps);
    deps.logger.warn({ verb: String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '').slice(0, 40) }, 'unknown card verb');
    return noticeCard(actor.t('notice.title'), actor.t('card.unknownAction'));
  });

  app.activity('message', async (context) => {
    const actor = await resolveActor(context, deps);
    await context.sendActivity(actor.t('unknown.text'));
    await offerProfileIfNeeded(context, actor, deps);
  });
}
