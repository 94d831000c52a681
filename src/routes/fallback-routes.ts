import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Deps } from '../deps.ts';
import { resolveActor } from './turn-actor.ts';

/** Registered last: any message no other route took gets a pointer to help. */
export function registerFallbackRoutes(app: Application<TurnState>, deps: Deps): void {
  app.activity('message', async (context) => {
    const actor = await resolveActor(context, deps);
    await context.sendActivity(actor.t('unknown.text'));
  });
}
