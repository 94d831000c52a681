/**
 * Fault 2: the Bot Connector misbehaves during a fan-out.
 *
 * N = 200 recipients, two real bot worker processes (bench/delivery-worker.ts)
 * on a private PostgreSQL, and bench/limit-connector.ts (Teams' limits
 * enforced) with injected faults: a burst of 429 with Retry-After, 500 and
 * 503 answers, random 502s, requests that hang and then have their connection
 * dropped or are answered 504 late, and three people whose chat always
 * answers 403, two that answer 503 more often than the connector client
 * retries by itself (so the worker's own back-off runs). Every recipient must get the card exactly once or be marked
 * failed with a reason: 0 duplicates counted at the connector, 0 lost.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { InjectRequest, InjectedFault } from '../../bench/limit-connector.ts';
import { summary } from './support/kit.ts';
import { useFanout } from './support/fanout.ts';

const N = 200;
const HANG_MS = 4_000;
const BLOCKED = new Set(['a:bench-17', 'a:bench-101', 'a:bench-180']);
/** Chats that answer 503 to their first STUBBORN requests: more than the connector client retries by itself. */
const STUBBORN_CHATS = new Set(['a:bench-50', 'a:bench-150']);
const STUBBORN = 8;
const seenStubborn = new Map<string, number>();
/** A burst of 429s: the 25 messages after the 40th (counted here, so Teams-limit 429s do not shift it). */
const BURST = { after: 40, length: 25 };
let messagesSeen = 0;

/** Decided per request number (deterministic), only for messages to a conversation. */
function inject(r: InjectRequest): InjectedFault | null {
  if (!r.isActivity) return null;
  messagesSeen++;
  // First, so the burst is exactly BURST.length 429s whichever conversations its requests happen to be for.
  if (messagesSeen > BURST.after && messagesSeen <= BURST.after + BURST.length) return { status: 429, retryAfter: '2' };
  if (r.conversationId && BLOCKED.has(r.conversationId)) return { status: 403, code: 'ConversationBlockedByUser' };
  if (r.conversationId && STUBBORN_CHATS.has(r.conversationId) && r.method === 'POST') {
    const k = (seenStubborn.get(r.conversationId) ?? 0) + 1;
    seenStubborn.set(r.conversationId, k);
    if (k <= STUBBORN) return { status: 503 };
  }
  if (r.n % 41 === 0) return { hangMs: HANG_MS, then: 'reset' };
  if (r.n % 59 === 0) return { hangMs: HANG_MS, then: 504 };
  if (r.n % 23 === 0) return { status: 500 };
  if (r.n % 31 === 0) return { status: 503 };
  return null;
}

const fanout = useFanout('kp-faults-connector', N, { fail502: 0.02, seed: 8, inject });

describe('fault: connector errors during a fan-out', () => {
  it('delivers every card exactly once or fails it with a reason (429 bursts, 5xx, hangs, 403)', async () => {
    onTestFailed(() => void process.stderr.write(fanout().logTails()));
    const w1 = fanout().startWorker('w1');
    const w2 = fanout().startWorker('w2');
    await Promise.all([w1.ready, w2.ready]);
    const started = Date.now();
    const pulseId = await fanout().openPulse();
    await fanout().waitDrained(pulseId, 150_000);
    const drainedS = (Date.now() - started) / 1000;
    // A late progress update or retry in flight must not add anything: look again a moment later.
    await new Promise((r) => setTimeout(r, 1000));
    const fig = await fanout().figures(pulseId);
    const st = fanout().connector.stats();

    summary(`2 connector errors during fan-out (N=${N}, 2 worker processes, private PostgreSQL, bench/limit-connector.ts)`, [
      `injected: ${JSON.stringify(st.injected)} + ${st.injected502} random 502s; Teams limits throttled ${st.throttledTenant} (tenant) + ${st.throttledConversation} (conversation); hangs ${HANG_MS / 1000} s then reset / late 504`,
      `outbox: sent ${fig.counts.sent}, failed ${fig.counts.failed} ${JSON.stringify(fig.reasons)}, skipped ${fig.counts.skipped}, pending ${fig.counts.pending}, sending ${fig.counts.sending}; rows retried ${fig.retriedRows} (+${fig.extraAttempts} attempts)`,
      `verified: duplicates at the connector ${fig.duplicates}, lost ${fig.lost}, not sent without a reason ${fig.counts.nullReason}, sent-but-never-accepted ${fig.sentNotAccepted}; drained in ${drainedS.toFixed(1)} s (${st.requests} connector requests)`,
    ]);

    expect(fig.duplicates).toBe(0);
    expect(fig.lost).toBe(0);
    expect(fig.sentNotAccepted).toBe(0);
    expect(fig.counts.nullReason).toBe(0);
    expect(fig.counts.sent + fig.counts.failed + fig.counts.skipped).toBe(N);
    expect(fig.counts.failed).toBe(BLOCKED.size);
    expect(Object.keys(fig.reasons).every((k) => k.startsWith('failed:') && !k.endsWith(':null'))).toBe(true);
    // The faults did happen.
    expect(st.injected['429']).toBe(BURST.length);
    expect((st.injected['hang→reset'] ?? 0) + (st.injected['hang→504'] ?? 0)).toBeGreaterThan(0);
    expect(fig.retriedRows).toBeGreaterThanOrEqual(STUBBORN_CHATS.size); // the worker's own retries ran
  }, 240_000);
});
