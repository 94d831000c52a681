/**
 * One group's figures as the views show them, after the anonymity rule has
 * decided what is hidden (publish-round.ts). Pure.
 */
import type { Distribution, GroupTally, ThemePair, ThemeTally } from './group-tally.ts';
import type { PulseItem } from './pulse-content.ts';

export type SuppressionReason = 'small' | 'derivable';

type ItemMeta = { itemId: string; kind: PulseItem['kind']; themeId?: string; pupilGroup?: string; barrierCategory?: string };
export type ItemResult = ItemMeta &
  (
    | { suppressed: false; reason: null; n: number; mean: number; distribution: Distribution; shareHigh: number; shareLow: number }
    | { suppressed: true; reason: SuppressionReason; n: null; mean: null; distribution: null; shareHigh: null; shareLow: null }
  );

/** A theme asked on both SNELD scales, over the people who answered both. gap = mean importance − mean competence. */
export type ThemeGap =
  | { themeId: string; suppressed: false; reason: null; n: number; gap: number; shareNeed: number }
  | { themeId: string; suppressed: true; reason: SuppressionReason; n: null; gap: null; shareNeed: null };

export type GroupResult =
  | { key: string; suppressed: false; reason: null; respondents: number; items: ItemResult[]; themes: ThemeGap[] }
  | { key: string; suppressed: true; reason: SuppressionReason; respondents: null; items: []; themes: [] };

const round1 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;
const percent = (count: number, n: number) => Math.round((count * 100) / n);

function meta(item: PulseItem): ItemMeta {
  return {
    itemId: item.id,
    kind: item.kind,
    ...(item.themeId ? { themeId: item.themeId } : {}),
    ...(item.pupilGroup ? { pupilGroup: item.pupilGroup } : {}),
    ...(item.barrierCategory ? { barrierCategory: item.barrierCategory } : {}),
  };
}

function itemResult(item: PulseItem, d: Distribution | undefined, reason: SuppressionReason | undefined): ItemResult {
  const n = d ? d.reduce((a, b) => a + b, 0) : 0;
  if (reason || !d || n === 0) return { ...meta(item), suppressed: true, reason: reason ?? 'small', n: null, mean: null, distribution: null, shareHigh: null, shareLow: null };
  const [c1, c2, , c4, c5] = d;
  const sum = d.reduce((s, c, at) => s + c * (at + 1), 0);
  return { ...meta(item), suppressed: false, reason: null, n, mean: round1(sum / n), distribution: [...d], shareHigh: percent(c4 + c5, n), shareLow: percent(c1 + c2, n) };
}

function themeResult(themeId: string, t: ThemeTally | undefined, reason: SuppressionReason | undefined): ThemeGap {
  if (reason || !t || t.n === 0) return { themeId, suppressed: true, reason: reason ?? 'small', n: null, gap: null, shareNeed: null };
  return { themeId, suppressed: false, reason: null, n: t.n, gap: round1(t.diff / t.n), shareNeed: percent(t.need, t.n) };
}

/** A group's result from its counts and what the rule hid: the group (`reason`), or one item or theme in it. */
export function groupResult(
  g: GroupTally & { key: string },
  scale: readonly PulseItem[],
  themes: readonly ThemePair[],
  reason: SuppressionReason | null,
  itemReason: (itemId: string) => SuppressionReason | undefined,
  themeReason: (themeId: string) => SuppressionReason | undefined,
): GroupResult {
  if (reason) return { key: g.key, suppressed: true, reason, respondents: null, items: [], themes: [] };
  return {
    key: g.key,
    suppressed: false,
    reason: null,
    respondents: g.people,
    items: scale.map((i) => itemResult(i, g.items.get(i.id), itemReason(i.id))),
    themes: themes.map((t) => themeResult(t.themeId, g.themes.get(t.themeId), themeReason(t.themeId))),
  };
}
