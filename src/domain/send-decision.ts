/**
 * What to do with one outbox message: before sending (is it still wanted?)
 * and after the connector answered (done, retry later, or give up). Pure, so
 * every retry rule is tested without Teams or a database.
 */
export type DeliveryPolicy = {
  /** Attempts before giving up (the first send counts as one). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt (exponential backoff). */
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 };

export type MessageState = {
  kind: 'pulse' | 'reminder';
  pulseStatus: 'draft' | 'scheduled' | 'open' | 'closed' | 'published' | 'cancelled';
  closesAt: Date;
  /** The recipient has answered (a reminder is then pointless). */
  answered: boolean;
};

export type BeforeSend = { action: 'send' } | { action: 'skip'; reason: 'closed' | 'cancelled' | 'answered' };

export function decideBeforeSend(m: MessageState, now: Date): BeforeSend {
  if (m.pulseStatus === 'cancelled') return { action: 'skip', reason: 'cancelled' };
  if (m.pulseStatus !== 'open' || now.getTime() >= m.closesAt.getTime()) return { action: 'skip', reason: 'closed' };
  if (m.kind === 'reminder' && m.answered) return { action: 'skip', reason: 'answered' };
  return { action: 'send' };
}

/** What the connector said, reduced to what the decision needs. */
export type SendResult =
  | { ok: true }
  | { ok: false; status?: number; reason: 'noConversation' | 'notInstalled' | 'blocked' | 'userLeft' | 'throttled' | 'error'; retryAfterMs?: number };

export type AfterSend = { action: 'sent' } | { action: 'retry'; delayMs: number } | { action: 'fail'; reason: string };

const RETRYABLE_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);

/**
 * Teams' rules (stack.md): retry 429 honouring Retry-After, and 412/502/504
 * and other 5xx with exponential backoff and jitter; people the bot cannot
 * reach fail at once with the reason. `attempts` includes the one just made;
 * `random` in [0,1) is injected so jitter is testable.
 */
export function decideAfterSend(result: SendResult, attempts: number, policy: DeliveryPolicy, random: number): AfterSend {
  if (result.ok) return { action: 'sent' };
  if (result.reason === 'noConversation' || result.reason === 'notInstalled' || result.reason === 'blocked' || result.reason === 'userLeft') {
    return { action: 'fail', reason: result.reason };
  }
  const retryable = result.reason === 'throttled' || result.status === undefined || RETRYABLE_STATUS.has(result.status) || result.status >= 500;
  if (!retryable) return { action: 'fail', reason: `http${result.status}` };
  if (attempts >= policy.maxAttempts) return { action: 'fail', reason: `gaveUp:${result.status ?? 'network'}` };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  const jittered = Math.round(backoff * (0.5 + random / 2));
  const delayMs = result.retryAfterMs !== undefined ? Math.max(result.retryAfterMs, Math.round(policy.baseDelayMs * random)) : jittered;
  return { action: 'retry', delayMs: Math.min(delayMs, policy.maxDelayMs) };
}

/**
 * GCRA pacing: given the bucket's new "theoretical arrival time" after
 * reserving one slot, when may this message go? `burst` extra messages may
 * go at once (per-conversation limits allow short bursts; the tenant-wide
 * limit uses none).
 */
export function sendAtForSlot(tatAfterReserve: Date, now: Date, intervalMs: number, burst: number): Date {
  return new Date(Math.max(now.getTime(), tatAfterReserve.getTime() - (burst + 1) * intervalMs));
}
