/**
 * "Did the measure help?", pure: the measure's themes and items before (the
 * base round) and after (the follow-up pulse), for the measure's group, from
 * anonymous aggregates only. The statistics are those of pre-post.ts; this
 * file picks what to compare and when there is nothing to say.
 *
 * - Only themes/items the base pulse asked are compared (the follow-up repeats
 *   its template); if none are, 'not_asked'.
 * - A group hidden by the anonymity rule in either round: 'group_too_small',
 *   and no line at all — not even its n.
 * - Each line carries the pre/post result and, for the share in need, the
 *   95 % Agresti–Caffo interval itself (whole points), so the card can show
 *   «95 % KI −66 til 3» that agrees with the verdict: the interval is
 *   centred on the adjusted difference, not on the observed one.
 */
import type { FollowUpState } from './measure-due.ts';
import type { GroupResult } from './aggregate-results.ts';
import { prePostForItem, prePostForTheme, type PrePostResult } from './pre-post.ts';
import type { PulseItem } from './pulse-content.ts';

/** "effekt av tiltak", "effekten av tiltaka", "effekt", en "measure effect", "effect of measures". */
export const EFFECT_PATTERN = /^\s*(effekt(en)?(\s+av\s+(tiltak\w*))?|tiltakseffekt\w*|effects?(\s+of\s+(the\s+)?measures?)?|measures?\s+effects?)\s*[.!?]?\s*$/i;

export type EffectLine = {
  kind: 'theme' | 'item';
  /** themeId for a theme, itemId for an item. */
  id: string;
  result: PrePostResult;
  /** after − before of the share in need, 95 % Agresti–Caffo interval in whole points; null when too small. */
  shareInterval: { low: number; high: number } | null;
};

export type MeasureEffect = { status: 'ok' | 'group_too_small' | 'not_asked'; lines: EffectLine[] };

export type EffectState = 'noBase' | 'waiting' | 'followUpOpen' | 'ready';

/** Where a measure's evaluation stands: no base round, no follow-up yet, follow-up still open, or ready to compare. */
export function effectState(m: { hasBase: boolean; followUp: FollowUpState }): EffectState {
  if (!m.hasBase) return 'noBase';
  return m.followUp === 'none' ? 'waiting' : m.followUp === 'open' ? 'followUpOpen' : 'ready';
}

const Z95 = 1.959964;

/**
 * The 95 % Agresti–Caffo interval for the difference of two proportions
 * (after − before), in whole percentage points, rounded outwards. The same
 * adjustment as trend.ts, so a card never calls a change the interval does
 * not support.
 *
 * @example shareInterval95(10, 13, 2, 12) // 77 % → 17 %: { low: -83, high: -20 }
 */
export function shareInterval95(beforeCount: number, beforeN: number, afterCount: number, afterN: number): { low: number; high: number } {
  const p1 = (beforeCount + 1) / (beforeN + 2);
  const p2 = (afterCount + 1) / (afterN + 2);
  const half = Z95 * Math.sqrt((p1 * (1 - p1)) / (beforeN + 2) + (p2 * (1 - p2)) / (afterN + 2));
  const centre = p2 - p1;
  return { low: Math.max(-100, Math.floor((centre - half) * 100)), high: Math.min(100, Math.ceil((centre + half) * 100)) };
}

/** Count behind a whole-percent share of n (exact for n ≤ 100, as in trend.ts). */
const countOf = (share: number, n: number) => Math.round((share * n) / 100);

function line(kind: EffectLine['kind'], id: string, result: PrePostResult): EffectLine {
  const { before, after } = result;
  const shareInterval = result.verdict !== 'too_small' && before && after ? shareInterval95(countOf(before.shareNeed, before.n), before.n, countOf(after.shareNeed, after.n), after.n) : null;
  return { kind, id, result, shareInterval };
}

/**
 * Before vs after for one measure's group.
 *
 * @example measureEffect({ before, after, themeIds: ['digitale-krenkelser'], itemIds: [], items: base.content.items, k: 5 })
 *   // → { status: 'ok', lines: [{ kind: 'theme', id: 'digitale-krenkelser', result: { verdict: 'improved', … }, shareInterval: { low: -83, high: -20 } }] }
 */
export function measureEffect(input: { before: GroupResult | undefined; after: GroupResult | undefined; themeIds: readonly string[]; itemIds: readonly string[]; items: readonly PulseItem[]; k: number }): MeasureEffect {
  const { before, after, items, k } = input;
  const themes = input.themeIds.filter((id) => items.some((i) => i.kind === 'competence' && i.themeId === id) && items.some((i) => i.kind === 'importance' && i.themeId === id));
  const scaleIds = input.itemIds.filter((id) => items.some((i) => i.id === id && i.scale !== null));
  if (themes.length + scaleIds.length === 0) return { status: 'not_asked', lines: [] };
  if (!before || !after || before.suppressed || after.suppressed) return { status: 'group_too_small', lines: [] };
  return {
    status: 'ok',
    lines: [...themes.map((id) => line('theme', id, prePostForTheme(before, after, id, k))), ...scaleIds.map((id) => line('item', id, prePostForItem(before, after, id, k)))],
  };
}
