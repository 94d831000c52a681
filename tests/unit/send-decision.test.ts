import { describe, expect, it } from 'vitest';
import { decideAfterSend, decideBeforeSend, sendAtForSlot, DEFAULT_DELIVERY_POLICY as policy } from '../../src/domain/send-decision.ts';
import { progressSummary } from '../../src/domain/progress.ts';
import { responseRate } from '../../src/domain/response-rate.ts';

const now = new Date('2026-11-25T13:00:00Z');
const open = { kind: 'pulse' as const, pulseStatus: 'open' as const, closesAt: new Date('2026-11-26T13:00:00Z'), answered: false };

describe('decideBeforeSend', () => {
  it('sends pulse cards of open pulses, skips closed or cancelled ones and reminders to people who answered', () => {
    expect(decideBeforeSend(open, now)).toEqual({ action: 'send' });
    expect(decideBeforeSend({ ...open, answered: true }, now)).toEqual({ action: 'send' }); // the card itself still goes
    expect(decideBeforeSend({ ...open, kind: 'reminder', answered: true }, now)).toEqual({ action: 'skip', reason: 'answered' });
    expect(decideBeforeSend({ ...open, kind: 'reminder' }, now)).toEqual({ action: 'send' });
    expect(decideBeforeSend({ ...open, closesAt: now }, now)).toEqual({ action: 'skip', reason: 'closed' });
    expect(decideBeforeSend({ ...open, pulseStatus: 'published' }, now)).toEqual({ action: 'skip', reason: 'closed' });
    expect(decideBeforeSend({ ...open, pulseStatus: 'cancelled' }, now)).toEqual({ action: 'skip', reason: 'cancelled' });
  });
});

describe('decideAfterSend', () => {
  it('records a sent message', () => {
    expect(decideAfterSend({ ok: true }, 1, policy, 0.5)).toEqual({ action: 'sent' });
  });
  it('fails at once, with the reason, for people the bot cannot reach', () => {
    for (const reason of ['notInstalled', 'blocked', 'userLeft', 'noConversation'] as const) {
      expect(decideAfterSend({ ok: false, reason, status: 403 }, 1, policy, 0.5)).toEqual({ action: 'fail', reason });
    }
    expect(decideAfterSend({ ok: false, reason: 'error', status: 400 }, 1, policy, 0.5)).toEqual({ action: 'fail', reason: 'http400' });
  });
  it('honours Retry-After on 429', () => {
    expect(decideAfterSend({ ok: false, reason: 'throttled', status: 429, retryAfterMs: 3000 }, 1, policy, 0.5)).toEqual({ action: 'retry', delayMs: 3000 });
  });
  it('backs off exponentially with jitter on 412, 502, 504 and other 5xx, and on network errors', () => {
    const delays = [1, 2, 3, 4].map((attempt) => decideAfterSend({ ok: false, reason: 'error', status: 502 }, attempt, policy, 1 - Number.EPSILON));
    expect(delays.map((d) => (d.action === 'retry' ? Math.round(d.delayMs / 100) * 100 : -1))).toEqual([1000, 2000, 4000, 8000]);
    const low = decideAfterSend({ ok: false, reason: 'error', status: 504 }, 3, policy, 0);
    expect(low).toEqual({ action: 'retry', delayMs: 2000 }); // half of 4000: full jitter range is [50 %, 100 %]
    expect(decideAfterSend({ ok: false, reason: 'error', status: 412 }, 1, policy, 0.5).action).toBe('retry');
    expect(decideAfterSend({ ok: false, reason: 'error' }, 1, policy, 0.5).action).toBe('retry');
  });
  it('caps the delay and gives up after the configured attempts, recording why', () => {
    const capped = decideAfterSend({ ok: false, reason: 'error', status: 503 }, 7, { ...policy, maxDelayMs: 10_000 }, 0.99);
    expect(capped.action === 'retry' && capped.delayMs).toBeLessThanOrEqual(10_000);
    expect(decideAfterSend({ ok: false, reason: 'error', status: 502 }, policy.maxAttempts, policy, 0.5)).toEqual({ action: 'fail', reason: 'gaveUp:502' });
    expect(decideAfterSend({ ok: false, reason: 'throttled', status: 429, retryAfterMs: 1000 }, policy.maxAttempts, policy, 0.5)).toEqual({ action: 'fail', reason: 'gaveUp:429' });
  });
});

describe('pacing and progress', () => {
  it('spaces messages by the interval, allowing a burst per conversation', () => {
    const t0 = new Date(10_000);
    // tenant bucket, no burst: the slot reserved ends at tat, so it starts one interval earlier
    expect(sendAtForSlot(new Date(10_020), t0, 20, 0).getTime()).toBe(10_000);
    expect(sendAtForSlot(new Date(10_100), t0, 20, 0).getTime()).toBe(10_080);
    // conversation bucket with a burst of 6: the first 7 messages go at once
    expect(sendAtForSlot(new Date(10_000 + 7 * 2000), t0, 2000, 6).getTime()).toBe(10_000);
    expect(sendAtForSlot(new Date(10_000 + 8 * 2000), t0, 2000, 6).getTime()).toBe(12_000);
  });
  it('summarises outbox counts for "Sendt N av M" and rates answers', () => {
    expect(progressSummary({ 'pulse.sent': 812, 'pulse.failed': 3, 'pulse.pending': 15, 'reminder.sent': 100 })).toEqual({ total: 830, sent: 812, failed: 3, skipped: 0, done: false });
    expect(progressSummary({ 'pulse.sent': 827, 'pulse.failed': 3 }).done).toBe(true);
    expect(responseRate(2, 3)).toBe(67);
    expect(responseRate(0, 0)).toBe(0);
  });
});
