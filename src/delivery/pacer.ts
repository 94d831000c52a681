import type { Deps } from '../deps.ts';
import { reserveSlot } from '../db/outbox-repository.ts';
import { sendAtForSlot } from '../domain/send-decision.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits for a slot in the tenant's shared rate bucket (and the
 * conversation's, when known). Every request to the connector goes through
 * here — cards, reminders and progress updates alike — because Teams counts
 * them all against the same limit.
 */
export async function pace(deps: Deps, tenantId: string, conversationId: string | null): Promise<void> {
  const tenantIntervalMs = 1000 / deps.config.delivery.ratePerSecond;
  const tenant = await reserveSlot(deps.db.sql, `tenant:${tenantId}`, tenantIntervalMs);
  let at = sendAtForSlot(tenant.tat, tenant.now, tenantIntervalMs, 0).getTime();
  if (conversationId) {
    // Teams allows short bursts per conversation (7 per second) but ~0.5/s over an hour.
    const interval = deps.config.delivery.conversationIntervalMs;
    const conv = await reserveSlot(deps.db.sql, `conv:${conversationId}`, interval);
    at = Math.max(at, sendAtForSlot(conv.tat, conv.now, interval, 6).getTime());
  }
  const wait = at - tenant.now.getTime();
  if (wait > 0) await sleep(wait);
}
