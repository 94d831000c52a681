/**
 * How a share is shown for a small group, pure.
 *
 * In a group of fewer than 2k answers, «100 %» (or «0 %») says what every
 * one of them answered — attribute disclosure, though nobody is singled out.
 * So there, all and all-but-one read the same («minst 83 %» of 6), and so do
 * none and one («høyst 17 %»): no member's answer follows from the figure.
 * From 2k answers on, the exact share is shown: a whole group of ten or
 * more giving the same answer is the group's message, as comparable tools
 * show it (README, "Results and anonymity").
 */
export type ShownShare = { value: number; bound: 'atLeast' | 'atMost' | null };

/**
 * The share as shown, from the whole-percent share of n answers and k.
 *
 * @example shownShare(100, 6, 5) // → { value: 83, bound: 'atLeast' } (5 or 6 of 6)
 * @example shownShare(50, 6, 5)  // → { value: 50, bound: null }
 */
export function shownShare(share: number, n: number, k: number): ShownShare {
  if (n >= 2 * k || n < 2) return { value: share, bound: null };
  // round(100c/n) is one-to-one in c for n ≤ 100, so the share tells the count.
  const top = Math.round((100 * (n - 1)) / n);
  const bottom = Math.round(100 / n);
  if (share >= top) return { value: Math.floor((100 * (n - 1)) / n), bound: 'atLeast' };
  if (share <= bottom) return { value: Math.ceil(100 / n), bound: 'atMost' };
  return { value: share, bound: null };
}
