import type { PersonRecord, TenantRecord } from '../db/directory-repository.ts';
import type { Deps } from '../deps.ts';
import type { AdaptiveCard } from '../views/render-card.ts';
import { pace } from './pacer.ts';
import type { DeliveryResult } from './teams-sender.ts';

type Delivered = Extract<DeliveryResult, { ok: true }>;

/**
 * Remembers the 1:1 chat a proactive send created, so the next message to the
 * person continues it instead of creating another.
 */
export async function rememberCreatedChat(deps: Deps, tenantId: string, personId: string, result: Delivered): Promise<void> {
  await deps.conversations.save({ tenantId, conversationId: result.conversationId, kind: 'personal', serviceUrl: String(result.reference.serviceUrl ?? ''), personId, reference: result.reference as Record<string, unknown> });
}

/**
 * Sends a card to a person's 1:1 chat with the bot, creating the chat when
 * the bot knows them only from a team (as pulse delivery does). Returns where
 * the card went, so it can be updated in place, or null when they could not
 * be reached.
 *
 * @example await sendToPersonalChat(deps, actor.tenant, actor.person, activity.serviceUrl, card)
 */
export async function sendToPersonalChat(deps: Deps, tenant: TenantRecord, person: PersonRecord, serviceUrl: string, card: AdaptiveCard): Promise<{ reference: object; activityId: string } | null> {
  if (!deps.sender) return null;
  const conversation = await deps.conversations.personalFor(person.id);
  await pace(deps, tenant.id, conversation?.conversationId ?? null);
  const result = await deps.sender.sendCard(
    { reference: (conversation?.reference as object | undefined) ?? null, teamsUserId: person.teamsUserId, tenantId: tenant.teamsTenantId, serviceUrl: conversation?.serviceUrl ?? serviceUrl },
    card,
  );
  if (!result.ok) {
    deps.logger.warn({ reason: result.reason }, 'message to the personal chat not delivered');
    return null;
  }
  if (!conversation) await rememberCreatedChat(deps, tenant.id, person.id, result);
  return result.activityId ? { reference: result.reference, activityId: result.activityId } : null;
}
