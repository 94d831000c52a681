import type { Application, TurnState } from '@microsoft/teams-ai';
import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import type { RosterMember } from '../db/directory-repository.ts';
import { teamOf } from './activity-info.ts';
import { resolveActor } from './turn-actor.ts';

const toMember = (m: TeamsChannelAccount): RosterMember => ({
  teamsUserId: m.id,
  aadObjectId: m.aadObjectId,
  name: m.name,
  email: m.email ?? m.userPrincipalName ?? undefined,
});

/** Reads the whole team roster (paged) and records it as the team unit's members. */
export async function syncTeamRoster(context: TurnContext, deps: Deps): Promise<void> {
  const team = teamOf(context.activity);
  if (!team) return;
  const actor = await resolveActor(context, deps);
  const unit = await deps.directory.upsertTeamUnit(actor.tenant, team.id, team.name);
  const members: RosterMember[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, 500, token);
    members.push(...page.members.map(toMember));
    token = page.continuationToken ?? undefined;
  } while (token);
  const result = await deps.directory.syncTeamMembers(actor.tenant, unit.id, members, true);
  deps.logger.info({ unit: unit.id, members: members.length, ...result }, 'team roster synced');
}

/** People added to a team where the bot is installed become members of its unit. */
export async function onTeamMembersAdded(context: TurnContext, deps: Deps): Promise<void> {
  const team = teamOf(context.activity);
  const botId = context.activity.recipient.id;
  const added = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
  if (!team || added.length === 0) return;
  const actor = await resolveActor(context, deps);
  const unit = await deps.directory.upsertTeamUnit(actor.tenant, team.id, team.name);
  const members: RosterMember[] = [];
  for (const m of added) {
    const full = await TeamsInfo.getMember(context, m.id).catch(() => undefined);
    members.push(full ? toMember(full) : { teamsUserId: m.id, aadObjectId: m.aadObjectId, name: m.name });
  }
  await deps.directory.syncTeamMembers(actor.tenant, unit.id, members, false);
}

/** People removed from a team lose that membership (imported memberships elsewhere stay). */
export function registerRosterRoutes(app: Application<TurnState>, deps: Deps): void {
  app.conversationUpdate('membersRemoved', async (context) => {
    const team = teamOf(context.activity);
    if (!team) return;
    const actor = await resolveActor(context, deps);
    const unit = await deps.directory.upsertTeamUnit(actor.tenant, team.id, team.name);
    await deps.directory.removeTeamMembers(actor.tenant, unit.id, (context.activity.membersRemoved ?? []).map((m) => m.id));
  });
}
