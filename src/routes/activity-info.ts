import type { Activity, ConversationReference } from 'botbuilder';
import { TurnContext } from 'botbuilder';
import type { ConversationKind } from '../db/conversation-repository.ts';

/** Tenant used for activities without one; only ever accepted in local mode. */
export const LOCAL_TENANT_ID = 'local-dev-tenant';

type TeamsChannelData = { tenant?: { id?: string }; team?: { id?: string; name?: string; aadGroupId?: string }; channel?: { id?: string } };

export function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

export function tenantIdOf(activity: Partial<Activity>): string | undefined {
  return channelDataOf(activity).tenant?.id ?? activity.conversation?.tenantId ?? undefined;
}

export function conversationKindOf(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}

export function teamOf(activity: Partial<Activity>): { id: string; name?: string } | undefined {
  const team = channelDataOf(activity).team;
  return team?.id ? { id: team.id, name: team.name } : undefined;
}

/**
 * The conversation reference kept for proactive messages. Without the id of
 * the activity that happened to arrive last: a proactive send does not reply
 * to it, and leaving it out means an unchanged conversation is not rewritten
 * on every turn.
 */
export function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const { activityId: _lastActivity, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

/**
 * The response to a card action (Action.Execute) that shows a short message
 * and leaves the card — and whatever was filled in — as it is.
 */
export function messageInvokeResponse(text: string): Partial<Activity> {
  return { type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } };
}
