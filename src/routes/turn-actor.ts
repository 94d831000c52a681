import type { TurnContext } from 'botbuilder';
import type { StoredConversation } from '../db/conversation-repository.ts';
import type { Deps } from '../deps.ts';
import type { Actor } from '../services/actor.ts';
import { resolveLanguage } from '../domain/language.ts';
import { sameConversation, seenAsBefore } from '../domain/turn-changes.ts';
import { translator } from '../i18n/translate.ts';
import { conversationKindOf, LOCAL_TENANT_ID, referenceOf, teamOf, tenantIdOf } from './activity-info.ts';

export type { Actor };

/**
 * Who is speaking, in which tenant and language. Records the person on first
 * contact and keeps the 1:1 conversation reference fresh, so proactive pulses
 * can reach anyone who has ever talked to the bot.
 *
 * One read finds everything already known (tenant, person, roles, stored
 * conversation); a write happens only for what is new or has changed, so a
 * known person's turn costs one round trip here.
 */
export async function resolveActor(context: TurnContext, deps: Deps): Promise<Actor> {
  const activity = context.activity;
  const seen = { teamsUserId: activity.from.id, aadObjectId: activity.from.aadObjectId, name: activity.from.name, clientLocale: activity.locale };
  const known = await deps.actors.snapshot(tenantIdOf(activity) ?? LOCAL_TENANT_ID, seen.teamsUserId, activity.conversation.id);
  const tenant = known.tenant ?? (await deps.directory.ensureTenant(tenantIdOf(activity) ?? LOCAL_TENANT_ID));
  const person = known.person && seenAsBefore(known.person, seen) ? known.person : await deps.directory.upsertPerson(tenant.id, seen);
  const kind = conversationKindOf(activity);
  if (kind === 'personal' || teamOf(activity)) {
    const conversation: StoredConversation = {
      tenantId: tenant.id,
      conversationId: activity.conversation.id,
      kind,
      serviceUrl: activity.serviceUrl,
      personId: kind === 'personal' ? person.id : undefined,
      teamsTeamId: teamOf(activity)?.id,
      reference: referenceOf(activity) as Record<string, unknown>,
    };
    if (!sameConversation(known.conversation, conversation)) await deps.conversations.save(conversation);
  }
  const roles = known.person?.id === person.id ? known.roles : await deps.directory.rolesOf(person.id);
  const lang = resolveLanguage(person.preferredLanguage, activity.locale);
  return { tenant, person, roles, lang, t: translator(lang) };
}
