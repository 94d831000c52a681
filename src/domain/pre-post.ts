/**
 * Did a measure help? Before vs after for one group and one item or theme,
 * from anonymous aggregates only (answer counts per scale point, or n and a
 * need count), never individual answers. Pure.
 *
 * - Difference of means with a 95 % Welch interval (unequal variances; df by
 *   Welch–Satterthwaite; t quantile computed, not a 1.96 shortcut, because
 *   groups are small).
 * - Difference of the share "in need" (need/barrier/importance items: 4–5;
 *   competence/organisation items: 1–2; themes: SNELD need = competence 1–2 and
 *   importance 4–5) with the Agresti–Caffo interval from trend.ts, so a
 *   pre/post card and a trend card never disagree about the same numbers.
 * - Verdict: 'too_small' if either side has fewer than k answers (or is
 *   hidden); otherwise the mean interval decides when a distribution is given
 *   (it uses every answer, not just the cut-off), else the share interval:
 *   'within_noise' when it contains 0, else 'improved'/'worsened' by whether
 *   the NEED went down or up (for competence items a higher mean is better).
 * The two rounds are independent samples: answers are not linked across
 * pulses, by design, so a paired test is neither possible nor wanted.
 */
import type { Distribution, GroupResult } from './aggregate-results.ts';
import type { PulseItem } from './pulse-content.ts';
import { proportionTrend, type TrendDirection } from './trend.ts';

export type Polarity = 'higher_is_more_need' | 'higher_is_better';
export type PrePostSide = { distribution: Distribution } | { n: number; needCount: number };
export type PrePostVerdict = 'too_small' | 'within_noise' | 'improved' | 'worsened';
export type SideSummary = { n: number; mean: number | null; shareNeed: number };
export type PrePostResult = {
  verdict: PrePostVerdict;
  /** Which interval decided; null when too small. */
  basis: 'mean' | 'share' | null;
  /** null when the side is under k or hidden: its n is not shown either. */
  before: SideSummary | null;
  after: SideSummary | null;
  /** after − before, scale points, with its 95 % Welch interval (unrounded). */
  mean: { difference: number; low: number; high: number; df: number } | null;
  /** after − before of the share in need, whole points ± margin (Agresti–Caffo, as in trend.ts). */
  share: { difference: number; margin: number; direction: TrendDirection } | null;
};

/** Which way is "need" on each item kind's scale. */
export const POLARITY_BY_KIND: Readonly<Record<PulseItem['kind'], Polarity>> = {
  need: 'higher_is_more_need',
  barrier: 'higher_is_more_need',
  importance: 'higher_is_more_need',
  competence: 'higher_is_better',
  organisation: 'higher_is_better',
  checkback: 'higher_is_better',
  comment: 'higher_is_better',
};

// --- Student's t quantile (Lanczos log-gamma + continued fraction for the incomplete beta) ---
function logGamma(x: number): number {
  const c = [76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310007 * ser) / x);
}
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}
/** Regularised incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}
/** P(T ≤ t) for t ≥ 0 with df degrees of freedom. */
const tCdf = (t: number, df: number) => 1 - 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);

/**
 * The two-sided 95 % critical value of Student's t, by bisection on the CDF.
 * @example tQuantile975(10) // ≈ 2.2281
 */
export function tQuantile975(df: number): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export type Moments = { n: number; mean: number; variance: number };
function moments(d: Distribution): Moments {
  const n = d.reduce((a, b) => a + b, 0);
  const mean = d.reduce((s, c, i) => s + c * (i + 1), 0) / n;
  const variance = n > 1 ? d.reduce((s, c, i) => s + c * (i + 1 - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, variance };
}

/**
 * Welch's difference of means (b − a) with its 95 % interval; null when both
 * sides have no spread (the interval is undefined; the share decides then).
 */
export function welchInterval(a: Moments, b: Moments): { difference: number; low: number; high: number; df: number } | null {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return null;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const half = tQuantile975(df) * se;
  const difference = b.mean - a.mean;
  return { difference, low: difference - half, high: difference + half, df };
}

const needCount = (d: Distribution, polarity: Polarity) => (polarity === 'higher_is_more_need' ? d[3] + d[4] : d[0] + d[1]);
const sideN = (s: PrePostSide) => ('distribution' in s ? s.distribution.reduce((a, b) => a + b, 0) : s.n);
const sideNeed = (s: PrePostSide, p: Polarity) => ('distribution' in s ? needCount(s.distribution, p) : s.needCount);

const TOO_SMALL: PrePostResult = { verdict: 'too_small', basis: null, before: null, after: null, mean: null, share: null };

/**
 * Before vs after for one group and one item or theme.
 *
 * @example prePost({ distribution: [2, 3, 5, 6, 4] }, { distribution: [7, 6, 4, 2, 1] }, { k: 5, polarity: 'higher_is_more_need' })
 *   // → { verdict: 'improved', basis: 'mean', mean: { difference: -1.15, low: -1.94, high: -0.36, … }, share: { difference: -35, margin: 30, … } }
 */
export function prePost(before: PrePostSide, after: PrePostSide, opts: { k: number; polarity: Polarity }): PrePostResult {
  const { k, polarity } = opts;
  const nBefore = sideN(before);
  const nAfter = sideN(after);
  if (nBefore < k || nAfter < k) {
    return { ...TOO_SMALL, before: nBefore >= k ? summary(before, polarity) : null, after: nAfter >= k ? summary(after, polarity) : null };
  }
  const share = proportionTrend(sideNeed(before, polarity), nBefore, sideNeed(after, polarity), nAfter);
  const mean = 'distribution' in before && 'distribution' in after ? welchInterval(moments(before.distribution), moments(after.distribution)) : null;
  // Sign of the change in NEED: +1 need went up, −1 went down, 0 no clear change.
  let needSign: number;
  if (mean) {
    const clear = mean.low > 0 || mean.high < 0;
    needSign = clear ? Math.sign(mean.difference) * (polarity === 'higher_is_more_need' ? 1 : -1) : 0;
  } else {
    needSign = share.direction === 'increased' ? 1 : share.direction === 'decreased' ? -1 : 0;
  }
  const verdict: PrePostVerdict = needSign === 0 ? 'within_noise' : needSign < 0 ? 'improved' : 'worsened';
  return { verdict, basis: mean ? 'mean' : 'share', before: summary(before, polarity), after: summary(after, polarity), mean, share };
}

function summary(s: PrePostSide, polarity: Polarity): SideSummary {
  const n = sideN(s);
  return { n, mean: 'distribution' in s ? moments(s.distribution).mean : null, shareNeed: Math.round((sideNeed(s, polarity) * 100) / n) };
}

/**
 * Pre/post for one item from two visible GroupResults of the same group. A
 * hidden group or item on either side is 'too_small' with nothing shown.
 */
export function prePostForItem(before: GroupResult | undefined, after: GroupResult | undefined, itemId: string, k: number): PrePostResult {
  if (!before || !after || before.suppressed || after.suppressed) return TOO_SMALL;
  const a = before.items.find((i) => i.itemId === itemId);
  const b = after.items.find((i) => i.itemId === itemId);
  if (!a || !b || a.suppressed || b.suppressed) return TOO_SMALL;
  return prePost({ distribution: a.distribution }, { distribution: b.distribution }, { k, polarity: POLARITY_BY_KIND[b.kind] });
}

/**
 * Pre/post for one theme (SNELD need share only: the per-person gap's spread
 * is not in the aggregate, so no mean interval). The need count is recovered
 * from the whole-percent share, exact for n ≤ 100 (as trend.ts does).
 */
export function prePostForTheme(before: GroupResult | undefined, after: GroupResult | undefined, themeId: string, k: number): PrePostResult {
  if (!before || !after || before.suppressed || after.suppressed) return TOO_SMALL;
  const a = before.themes.find((t) => t.themeId === themeId);
  const b = after.themes.find((t) => t.themeId === themeId);
  if (!a || !b || a.suppressed || b.suppressed) return TOO_SMALL;
  const side = (t: { n: number; shareNeed: number }) => ({ n: t.n, needCount: Math.round((t.shareNeed * t.n) / 100) });
  return prePost(side(a), side(b), { k, polarity: 'higher_is_more_need' });
}
