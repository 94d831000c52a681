import type { TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import type { Actor } from '../services/actor.ts';
import { resolveLanguage } from '../domain/language.ts';
import { translator } from '../i18n/translate.ts';
import { conversationKindOf, LOCAL_TENANT_ID, referenceOf, teamOf, tenantIdOf } from './activity-info.ts';

export type { Actor };

/**
 * Who is speaking, in which tenant and language. Records the person on first
 * contact and keeps the 1:1 conversation reference fresh, so proactive pulses
 * can reach anyone who has ever talked to the bot.
 */
export async function resolveActor(context: TurnContext, deps: Deps): Promise<Actor> {
  const activity = context.activity;
  const tenant = await deps.directory.ensureTenant(tenantIdOf(activity) ?? LOCAL_TENANT_ID);
  const person = await deps.directory.upsertPerson(tenant.id, {
    teamsUserId: activity.from.id,
    aadObjectId: activity.from.aadObjectId,
    name: activity.from.name,
    clientLocale: activity.locale,
  });
  const kind = conversationKindOf(activity);
  if (kind === 'personal' || teamOf(activity)) {
    await deps.conversations.save({
      tenantId: tenant.id,
      conversationId: activity.conversation.id,
      kind,
      serviceUrl: activity.serviceUrl,
      personId: kind === 'personal' ? person.id : undefined,
      teamsTeamId: teamOf(activity)?.id,
      reference: referenceOf(activity) as Record<string, unknown>,
    });
  }
  const roles = await deps.directory.rolesOf(person.id);
  const lang = resolveLanguage(person.preferredLanguage, activity.locale);
  return { tenant, person, roles, lang, t: translator(lang) };
}
