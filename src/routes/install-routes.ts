import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { welcomeCard } from '../views/welcome-card.ts';
import { conversationKindOf, teamOf } from './activity-info.ts';
import { offerProfileIfNeeded } from './profile-routes.ts';
import { onTeamMembersAdded, syncTeamRoster } from './roster-routes.ts';
import { resolveActor } from './turn-actor.ts';

/**
 * Install in personal or team scope: record the tenant, person, team and the
 * conversation reference (needed for proactive pulses), make the first
 * installer in a tenant its admin, and greet in the person's language.
 */
export function registerInstallRoutes(app: Application<TurnState>, deps: Deps): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient.id;
    if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await onBotInstalled(context, deps, true);
    else await onTeamMembersAdded(context, deps);
  });

  // Teams also sends installationUpdate; record it, but greet only once (above).
  app.activity('installationUpdate', async (context) => {
    if (context.activity.action === 'add' || context.activity.action === 'add-upgrade') {
      await onBotInstalled(context, deps, false);
    } else if (context.activity.action === 'remove') {
      const actor = await resolveActor(context, deps);
      await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'bot.uninstalled', target: conversationKindOf(context.activity) });
    }
  });
}

async function onBotInstalled(context: TurnContext, deps: Deps, greet: boolean): Promise<void> {
  const actor = await resolveActor(context, deps);
  const team = teamOf(context.activity);
  if (team) await syncTeamRoster(context, deps);
  const becameAdmin = await deps.directory.grantAdminIfFirst(actor.tenant, actor.person.id);
  if (greet) {
    await deps.audit.record({
      tenantId: actor.tenant.id,
      actorId: actor.person.id,
      action: 'bot.installed',
      target: team ? 'team' : conversationKindOf(context.activity),
      details: { firstAdmin: becameAdmin },
    });
  }
  if (!greet) return;
  const card = team
    ? welcomeCard({ scope: 'team', teamName: team.name ?? null }, actor.t, actor.tenant.minGroupSize, becameAdmin)
    : welcomeCard({ scope: 'personal', firstName: actor.person.name?.split(/\s+/)[0] ?? null }, actor.t, actor.tenant.minGroupSize, becameAdmin);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  if (!team) await offerProfileIfNeeded(context, actor, deps);
}
