/**
 * Trend between two rounds of the same template, per theme and item, pure.
 *
 * Both sides are GroupResults from `aggregate`, so the anonymity rule has
 * already been applied; a theme or item that is hidden on either side (or
 * has fewer than k answers there) gets no trend at all.
 *
 * Measure: the share of people with a need (themes: competence 1–2 and
 * importance 4–5) or agreeing (other items: 4–5), as whole percentage points.
 * Uncertainty: a 95 % interval for the difference of two proportions with the
 * Agresti–Caffo adjustment (one success and one failure added to each side),
 * which keeps a sensible width for small n and shares of 0 or 100 %. The two
 * rounds are treated as independent samples (answers are not paired across
 * pulses, by design). A change is called only when the interval excludes 0.
 * No false precision: everything is whole points, and with fewer than
 * SMALL_N answers on a side the margin is rounded up to a multiple of 5.
 */
import type { GroupResult } from './aggregate-results.ts';

export type TrendDirection = 'increased' | 'decreased' | 'noClearChange';

export type TrendLine = {
  kind: 'theme' | 'item';
  /** themeId for a theme, itemId for an item. */
  id: string;
  measure: 'shareNeed' | 'shareHigh';
  previous: number;
  current: number;
  previousN: number;
  currentN: number;
  /** current − previous, whole percentage points. */
  difference: number;
  /** Half-width of the 95 % interval, whole percentage points (never 0). */
  margin: number;
  direction: TrendDirection;
};

export const SMALL_N = 30;
const Z95 = 1.959964;

/**
 * The difference of two proportions with its 95 % interval (Agresti–Caffo),
 * counts in, whole percentage points out.
 *
 * @example proportionTrend(240, 500, 195, 500) // 48 % → 39 %: { difference: -9, margin: 7, direction: 'decreased' }
 * @example proportionTrend(48, 100, 39, 100)   // 48 % → 39 %: { difference: -9, margin: 14, direction: 'noClearChange' }
 */
export function proportionTrend(previousCount: number, previousN: number, currentCount: number, currentN: number): Pick<TrendLine, 'difference' | 'margin' | 'direction'> {
  const p1 = (previousCount + 1) / (previousN + 2);
  const p2 = (currentCount + 1) / (currentN + 2);
  const se = Math.sqrt((p1 * (1 - p1)) / (previousN + 2) + (p2 * (1 - p2)) / (currentN + 2));
  const centre = p2 - p1;
  const half = Z95 * se;
  const low = centre - half;
  const high = centre + half;
  const direction: TrendDirection = low > 0 ? 'increased' : high < 0 ? 'decreased' : 'noClearChange';
  const raw = (currentCount / currentN - previousCount / previousN) * 100;
  // Halves away from zero, so a fall and a rise of the same size read the same.
  const difference = Math.sign(raw) * Math.round(Math.abs(raw));
  const points = half * 100;
  const margin = Math.min(previousN, currentN) < SMALL_N ? Math.max(5, Math.ceil(points / 5) * 5) : Math.max(1, Math.ceil(points));
  return { difference: difference || 0, margin, direction };
}

/** Count behind a whole-percent share of n (exact for n ≤ 100, nearest otherwise). */
const countOf = (share: number, n: number) => Math.round((share * n) / 100);

/**
 * Per theme and per non-theme scale item present and visible in both rounds,
 * the change from `previous` to `current`. Hidden on either side, or n < k:
 * left out. Competence/importance items are covered by their theme.
 *
 * @example trendLines(prevAll, currentAll, 5)
 *   // → [{ kind: 'theme', id: 'digitale-krenkelser', previous: 48, current: 39, difference: -9, margin: 7, direction: 'decreased', … }]
 */
export function trendLines(previous: GroupResult | undefined, current: GroupResult | undefined, k: number): TrendLine[] {
  if (!previous || !current || previous.suppressed || current.suppressed) return [];
  const out: TrendLine[] = [];
  for (const now of current.themes) {
    const before = previous.themes.find((t) => t.themeId === now.themeId);
    if (!before || before.suppressed || now.suppressed || before.n < k || now.n < k) continue;
    const change = proportionTrend(countOf(before.shareNeed, before.n), before.n, countOf(now.shareNeed, now.n), now.n);
    out.push({ kind: 'theme', id: now.themeId, measure: 'shareNeed', previous: before.shareNeed, current: now.shareNeed, previousN: before.n, currentN: now.n, ...change });
  }
  for (const now of current.items) {
    if (now.kind === 'competence' || now.kind === 'importance') continue;
    const before = previous.items.find((i) => i.itemId === now.itemId);
    if (!before || before.suppressed || now.suppressed || before.n < k || now.n < k) continue;
    const high = (d: readonly number[]) => d[3]! + d[4]!;
    const change = proportionTrend(high(before.distribution), before.n, high(now.distribution), now.n);
    out.push({ kind: 'item', id: now.itemId, measure: 'shareHigh', previous: before.shareHigh, current: now.shareHigh, previousN: before.n, currentN: now.n, ...change });
  }
  return out;
}
