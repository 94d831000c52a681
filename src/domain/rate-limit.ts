/**
 * Per-person rate limit, pure: a token bucket per key, with the time passed
 * in. The caller keeps the buckets (one Map per process) and decides what a
 * key is and which allowance applies (see src/routes/rate-limit.ts).
 */

/** How many requests a bucket allows: `capacity` at once, refilled evenly over a minute. */
export type RateAllowance = { capacity: number; refillPerMs: number };

/** One key's state. `warned`: the person has been told they are limited (reset when a request is allowed again). */
export type RateBucket = { tokens: number; updatedAt: number; warned: boolean };

export type RateDecision =
  | { allowed: true; bucket: RateBucket }
  /** `notify`: the first refusal since the last allowed request; later ones stay silent, so a flood is not answered by a flood. */
  | { allowed: false; bucket: RateBucket; notify: boolean; retryAfterMs: number };

/**
 * `n` requests per minute: up to `n` at once, then one every 60/n seconds.
 *
 * @example perMinute(30) // → { capacity: 30, refillPerMs: 0.0005 }
 */
export function perMinute(n: number): RateAllowance {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`perMinute: ${n} is not a positive number`);
  return { capacity: n, refillPerMs: n / 60_000 };
}

function refilled(bucket: RateBucket | undefined, allowance: RateAllowance, now: number): RateBucket {
  if (!bucket) return { tokens: allowance.capacity, updatedAt: now, warned: false };
  // A clock that goes backwards (or a stale `now`) never adds tokens.
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return { tokens: Math.min(allowance.capacity, bucket.tokens + elapsed * allowance.refillPerMs), updatedAt: Math.max(now, bucket.updatedAt), warned: bucket.warned };
}

/**
 * Takes one token from the bucket, if there is one.
 *
 * @example
 * let b; for (let i = 0; i < 3; i++) ({ bucket: b } = takeToken(b, perMinute(2), 0)); // third: allowed false, notify true
 */
export function takeToken(bucket: RateBucket | undefined, allowance: RateAllowance, now: number): RateDecision {
  const current = refilled(bucket, allowance, now);
  if (current.tokens >= 1) return { allowed: true, bucket: { tokens: current.tokens - 1, updatedAt: current.updatedAt, warned: false } };
  const retryAfterMs = Math.ceil((1 - current.tokens) / allowance.refillPerMs);
  return { allowed: false, bucket: { ...current, warned: true }, notify: !current.warned, retryAfterMs };
}

/** True when the bucket has filled up again: it says nothing a fresh bucket would not, so the caller may forget it. */
export function isIdle(bucket: RateBucket, allowance: RateAllowance, now: number): boolean {
  return refilled(bucket, allowance, now).tokens >= allowance.capacity;
}
