import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { commandsFor } from '../domain/commands.ts';
import { helpCard } from '../views/help-card.ts';
import { offerProfileIfNeeded } from './profile-routes.ts';
import { resolveActor } from './turn-actor.ts';

export const HELP_PATTERN = /^\s*(hjelp|help|hjelp meg|\?)\s*[.!]?\s*$/i;

export function registerHelpRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(HELP_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const roles = [...new Set(actor.roles.map((r) => r.role))];
    const card = helpCard({ commands: commandsFor(roles), roles, minGroupSize: actor.tenant.minGroupSize }, actor.t);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    await offerProfileIfNeeded(context, actor, deps);
  });
}
