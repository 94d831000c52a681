import { describe, expect, it } from 'vitest';
import { isIdle, perMinute, takeToken, type RateBucket, type RateDecision } from '../../src/domain/rate-limit.ts';
import { rateClassOf } from '../../src/routes/rate-limit.ts';

/** Runs requests at the given times (ms) through one bucket; returns each decision. */
function run(times: number[], limit = perMinute(30), start?: RateBucket): RateDecision[] {
  let bucket = start;
  return times.map((now) => {
    const d = takeToken(bucket, limit, now);
    bucket = d.bucket;
    return d;
  });
}

describe('token bucket (pure, time passed in)', () => {
  it('allows a burst of the full allowance, then refuses', () => {
    const decisions = run(Array.from({ length: 32 }, () => 1_000));
    expect(decisions.slice(0, 30).every((d) => d.allowed)).toBe(true);
    expect(decisions.slice(30).map((d) => d.allowed)).toEqual([false, false]);
  });

  it('tells the person once per spell: the first refusal notifies, later ones are silent, and an allowed request resets it', () => {
    const limit = perMinute(2);
    const d = run([0, 0, 0, 0, 0, 30_000, 30_000], limit);
    expect(d.map((x) => x.allowed)).toEqual([true, true, false, false, false, true, false]);
    expect(d.filter((x) => !x.allowed).map((x) => (x.allowed ? null : x.notify))).toEqual([true, false, false, true]);
  });

  it('refills evenly: 30 a minute is one every 2 s, never more than the allowance', () => {
    const limit = perMinute(30);
    const [, ...after] = run([0, ...Array.from({ length: 30 }, () => 0), 1_999, 2_000, 2_001], limit);
    // 30 at t=0 use the bucket; the 31st at t=0 is refused; at 1.999 s still nothing; at 2 s one token.
    expect(after.slice(29).map((x) => x.allowed)).toEqual([false, false, true, false]);
    // After a long pause the bucket holds the allowance, not more.
    const long = run([0, 10 * 60_000, ...Array.from({ length: 31 }, () => 10 * 60_000)], perMinute(30));
    expect(long.filter((x) => x.allowed)).toHaveLength(31); // 1 at t=0, then 30 after the pause
  });

  it('says how long to wait', () => {
    const d = run([0, 0, 0], perMinute(2));
    expect(d[2]).toMatchObject({ allowed: false, retryAfterMs: 30_000 });
  });

  it('a clock going backwards adds nothing', () => {
    const limit = perMinute(1);
    const d = run([60_000, 0, 30_000], limit);
    expect(d.map((x) => x.allowed)).toEqual([true, false, false]);
  });

  it('a bucket is idle (may be forgotten) once it has filled up again', () => {
    const limit = perMinute(6);
    const { bucket } = takeToken(undefined, limit, 0);
    expect(isIdle(bucket, limit, 5_000)).toBe(false);
    expect(isIdle(bucket, limit, 10_000)).toBe(true);
  });

  it('refuses a non-positive allowance', () => {
    expect(() => perMinute(0)).toThrow(RangeError);
  });
});

describe('which allowance an activity draws on', () => {
  const invoke = (verb: string) => ({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: {} } } });
  it.each([
    [{ type: 'message', text: 'hjelp' }, 'command'],
    [{ type: 'message', text: 'svar 4 5 3 2' }, 'answer'],
    [{ type: 'message', text: 'Answer 4 5' }, 'answer'],
    [{ type: 'message', text: 'svarprosent' }, 'command'],
    [{ type: 'message', value: { verb: 'x' } }, 'command'],
    [invoke('pulse.answer'), 'answer'],
    [invoke('pulse.edit'), 'answer'],
    [invoke('profile.save'), 'command'],
    [invoke('plan.pause'), 'command'],
    [{ type: 'invoke', name: 'composeExtension/query', value: { action: { verb: 'pulse.answer' } } }, 'command'],
    [{ type: 'conversationUpdate' }, null],
    [{ type: 'installationUpdate' }, null],
    [{ type: 'messageReaction' }, null],
  ] as const)('%j → %s', (activity, expected) => {
    expect(rateClassOf(activity as never)).toBe(expected);
  });
});
