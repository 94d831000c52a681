/**
 * Ranking and summaries of published results (top needs, barriers, the
 * headline), pure. What is hidden and why is decided for the whole round in
 * publish-round.ts (over every breakdown and the round before, with the
 * reasoning in disclosure.ts); `aggregate` here is that rule for one
 * breakdown and its total, for tests and small inputs.
 *
 * A group of k who all gave the same answer shows that answer for all
 * (README, "Results and anonymity", on small groups and extreme shares).
 */
import { BARRIER_CATEGORIES, type BarrierCategory } from '../question-bank/schema.ts';
import { cellKey, tallyRows, type AnswerRow, type Breakdown, type GroupTally } from './group-tally.ts';
import type { GroupResult } from './group-result.ts';
import type { Lang } from './language.ts';
import { publishRound } from './publish-round.ts';
import type { PulseItem } from './pulse-content.ts';

export { ALL_GROUP, UNKNOWN_GROUP, type AnswerRow, type Breakdown, type Distribution, type GroupBy, type GroupTally } from './group-tally.ts';
export type { GroupResult, ItemResult, SuppressionReason, ThemeGap } from './group-result.ts';

/**
 * Results per group of one breakdown (and the total), from individual rows:
 * the rule of publish-round.ts over just these two. For tests and small
 * inputs; views publish the whole round with every breakdown at once.
 *
 * @example aggregate(rows, content.items, 'staffRole', 5)
 *   // → [{ key: 'teacher', suppressed: false, respondents: 14, items: [...], themes: [...] }, { key: 'sfo_leader', suppressed: true, reason: 'small', … }, …]
 */
export function aggregate(rows: readonly AnswerRow[], items: readonly PulseItem[], groupBy: Breakdown, k: number): GroupResult[] {
  return aggregateTallies(tallyRows(rows, items, groupBy), items, groupBy, k);
}

/** The same as `aggregate`, from counts of one breakdown (raw keys, as the database returns them). */
export function aggregateTallies(tallies: readonly GroupTally[], items: readonly PulseItem[], groupBy: Breakdown, k: number): GroupResult[] {
  const asCells = tallies.map((t) => ({ ...t, key: groupBy === 'staffRole' ? cellKey(t.key, null, null) : groupBy === 'schoolLevel' ? cellKey(null, t.key, null) : groupBy === 'school' ? cellKey(null, null, t.key) : cellKey(null, null, null) }));
  return publishRound(asCells, items, k, { breakdowns: groupBy === 'all' ? ['all'] : ['all', groupBy] }).groups[groupBy];
}

/** Need per theme (share with competence 1–2 and importance 4–5) or per pupil-group need item (share answering 4–5). */
export type NeedRank = {
  kind: 'theme' | 'need';
  /** themeId for a theme, itemId for a need item. */
  id: string;
  measure: 'shareNeed' | 'shareHigh';
  score: number;
  n: number;
  /** i18n key: `theme.<themeId>` or `pupilGroup.<group>` (`item.<itemId>` without a group). */
  labelKey: string;
  /** With `lang`: the theme title or the question text, from the pulse content. */
  label?: string;
};

const byScore = <T extends { score: number; n: number; id: string }>(a: T, b: T) => b.score - a.score || b.n - a.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Theme titles are generated as "<title>: <stem>" (load-question-bank.ts). */
const themeTitle = (text: string) => (text.lastIndexOf(': ') > 0 ? text.slice(0, text.lastIndexOf(': ')) : text);

/**
 * Top 5 needs in a visible group, highest share first (ties: more answers,
 * then id). Hidden groups, items and themes never rank.
 *
 * @example rankNeeds(group, content.items, 'nb')[0] // → { kind: 'theme', id: 'digitale-krenkelser', measure: 'shareNeed', score: 62, n: 13, labelKey: 'theme.digitale-krenkelser', label: 'Digitale krenkelser' }
 */
export function rankNeeds(group: GroupResult, items: readonly PulseItem[], lang?: Lang): NeedRank[] {
  if (group.suppressed) return [];
  const label = (text: PulseItem['text'] | undefined, f: (s: string) => string) => (lang && text ? { label: f(text[lang]) } : {});
  const themes = group.themes.flatMap((t): NeedRank[] => {
    if (t.suppressed) return [];
    const text = items.find((i) => i.kind === 'competence' && i.themeId === t.themeId)?.text;
    return [{ kind: 'theme', id: t.themeId, measure: 'shareNeed', score: t.shareNeed, n: t.n, labelKey: `theme.${t.themeId}`, ...label(text, themeTitle) }];
  });
  const needs = group.items.flatMap((i): NeedRank[] => {
    if (i.suppressed || i.kind !== 'need') return [];
    const labelKey = i.pupilGroup ? `pupilGroup.${i.pupilGroup}` : `item.${i.itemId}`;
    return [{ kind: 'need', id: i.itemId, measure: 'shareHigh', score: i.shareHigh, n: i.n, labelKey, ...label(items.find((x) => x.id === i.itemId)?.text, (s) => s) }];
  });
  return [...themes, ...needs].sort(byScore).slice(0, 5);
}

export type BarrierRank = { id: string; category: BarrierCategory | null; score: number; n: number };
export type BarrierSummary = { items: BarrierRank[]; categories: { category: BarrierCategory; meanShare: number; items: number }[] };

/**
 * Visible barrier items by share agreeing (4–5), and per NIFU category the
 * mean of those shares (whole %, from unrounded shares); categories with no
 * visible item are left out.
 */
export function rankBarriers(group: GroupResult): BarrierSummary {
  if (group.suppressed) return { items: [], categories: [] };
  const visible = group.items.flatMap((i) => (i.suppressed || i.kind !== 'barrier' ? [] : [i]));
  const category = (c: string | undefined) => ((BARRIER_CATEGORIES as readonly string[]).includes(c ?? '') ? (c as BarrierCategory) : null);
  const items = visible.map((i) => ({ id: i.itemId, category: category(i.barrierCategory), score: i.shareHigh, n: i.n })).sort(byScore);
  const categories = BARRIER_CATEGORIES.flatMap((c) => {
    const inCat = visible.filter((i) => i.barrierCategory === c);
    if (inCat.length === 0) return [];
    const mean = inCat.reduce((s, i) => s + (i.distribution[3] + i.distribution[4]) / i.n, 0) / inCat.length;
    return [{ category: c, meanShare: Math.round(mean * 100), items: inCat.length }];
  });
  return { items, categories };
}

export type Headline = NeedRank & { groupKey: string };

/**
 * The one line for the card ("Størst behov: digitale krenkelser (BUA 62 % …)"):
 * the top need with its group; the view words it. null when nothing is shown.
 */
export function headline(group: GroupResult, items: readonly PulseItem[], lang: Lang): Headline | null {
  const top = rankNeeds(group, items, lang)[0];
  return top ? { ...top, groupKey: group.key } : null;
}
