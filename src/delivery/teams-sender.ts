import type { TeamsAdapter } from '@microsoft/teams-ai';
import { CardFactory, TurnContext, type ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../views/render-card.ts';

export type DeliveryTarget = {
  /** Stored 1:1 conversation reference, if the person has talked to the bot. */
  reference: Partial<ConversationReference> | null;
  /** For creating the 1:1 chat when there is no reference (bot installed through a team). */
  teamsUserId: string | null;
  tenantId: string;
  serviceUrl: string | null;
};

export type DeliveryResult =
  | { ok: true; conversationId: string; activityId: string | null; reference: Partial<ConversationReference> }
  | { ok: false; reason: 'noConversation' | 'notInstalled' | 'blocked' | 'userLeft' | 'throttled' | 'error'; detail?: string; status?: number; retryAfterMs?: number };

export type CardSender = {
  sendCard(target: DeliveryTarget, card: AdaptiveCard): Promise<DeliveryResult>;
  /** Replaces a message the bot sent earlier (progress, closed pulses). */
  updateCard(reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<boolean>;
};

function retryAfterMs(err: { response?: { headers?: { get?(name: string): string | undefined } } }): number | undefined {
  const value = err.response?.headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Maps a connector error to why the person could not be reached. */
function classify(err: unknown): DeliveryResult {
  const e = err as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get?(name: string): string | undefined } } };
  const status = e.statusCode;
  const detail = `${e.code ?? ''} ${e.message ?? ''}`.trim().slice(0, 200);
  if (status === 403 && /blocked/i.test(detail)) return { ok: false, reason: 'blocked', status, detail };
  if ((status === 403 || status === 404) && /roster|not a member|left/i.test(detail)) return { ok: false, reason: 'userLeft', status, detail };
  if (status === 403 || status === 404) return { ok: false, reason: 'notInstalled', status, detail };
  if (status === 429) return { ok: false, reason: 'throttled', status, detail, retryAfterMs: retryAfterMs(e) };
  return { ok: false, reason: 'error', status, detail, retryAfterMs: retryAfterMs(e) };
}

/**
 * Sends proactive cards through the Bot Framework connector: continues the
 * stored 1:1 conversation, or creates it (POST /v3/conversations) when the bot
 * knows the person only from a team roster.
 */
export function teamsCardSender(adapter: TeamsAdapter, botAppId: string): CardSender {
  return {
    async sendCard(target, card) {
      const activity = { attachments: [CardFactory.adaptiveCard(card)] };
      let result: DeliveryResult = { ok: false, reason: 'noConversation' };
      // Errors are caught here, inside the turn: the adapter would hand them to
      // the app's onTurnError, which swallows them (stack.md).
      const send = async (context: TurnContext) => {
        try {
          const response = await context.sendActivity(activity);
          const reference = TurnContext.getConversationReference(context.activity);
          result = { ok: true, conversationId: context.activity.conversation.id, activityId: response?.id ?? null, reference };
        } catch (err) {
          result = classify(err);
        }
      };
      try {
        if (target.reference?.conversation?.id) {
          await adapter.continueConversationAsync(botAppId, target.reference, send);
        } else if (target.teamsUserId && target.serviceUrl) {
          await adapter.createConversationAsync(
            botAppId,
            'msteams',
            target.serviceUrl,
            '',
            {
              isGroup: false,
              bot: { id: botAppId || 'bot', name: 'Kompetansepuls' },
              members: [{ id: target.teamsUserId, name: '' }],
              tenantId: target.tenantId,
              channelData: { tenant: { id: target.tenantId } },
              activity: undefined as never,
            },
            send,
          );
        }
      } catch (err) {
        return classify(err);
      }
      return result;
    },

    async updateCard(reference, activityId, card) {
      let ok = false;
      try {
        await adapter.continueConversationAsync(botAppId, reference, async (context) => {
          try {
            await context.updateActivity({ id: activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
            ok = true;
          } catch {
            ok = false;
          }
        });
      } catch {
        ok = false;
      }
      return ok;
    },
  };
}
