/**
 * What a turn would write about its sender and conversation, decided without
 * I/O: a known person's ordinary turn writes nothing (routes/turn-actor.ts).
 */
import { isDeepStrictEqual } from 'node:util';

/** What an activity says about its sender. */
export type SeenPerson = { teamsUserId: string; aadObjectId?: string; name?: string; clientLocale?: string };

/** True when an activity tells nothing new about a stored person: no write is needed. */
export function seenAsBefore(
  stored: { teamsUserId: string | null; aadObjectId: string | null; name: string | null; clientLocale: string | null },
  seen: SeenPerson,
): boolean {
  return (
    stored.teamsUserId === seen.teamsUserId &&
    (!seen.name || stored.name === seen.name) &&
    (!seen.clientLocale || stored.clientLocale === seen.clientLocale) &&
    (!seen.aadObjectId || stored.aadObjectId !== null)
  );
}

/** A conversation as stored (nulls for absent) and as a turn would save it (absent = undefined). */
export type StoredConversationFields = { kind: string; serviceUrl: string; personId: string | null; teamsTeamId: string | null; reference: unknown };
export type WantedConversationFields = { kind: string; serviceUrl: string; personId?: string; teamsTeamId?: string; reference: Record<string, unknown> };

/** True when the stored conversation already holds what this turn would save; the reference is compared as JSON, as it is stored. */
export function sameConversation(stored: StoredConversationFields | null, wanted: WantedConversationFields): boolean {
  return (
    stored !== null &&
    stored.kind === wanted.kind &&
    stored.serviceUrl === wanted.serviceUrl &&
    stored.personId === (wanted.personId ?? null) &&
    stored.teamsTeamId === (wanted.teamsTeamId ?? null) &&
    isDeepStrictEqual(stored.reference, JSON.parse(JSON.stringify(wanted.reference)))
  );
}
