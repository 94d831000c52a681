/**
 * Results of a pulse per staff group, with the anonymity rules, pure.
 *
 * Anonymity rule (also in the README):
 * - A group is shown only when at least k different people in it answered;
 *   a group of 1 to k−1 people is hidden («færre enn k»).
 * - Groups in one breakdown add up to the total, so a hidden group could be
 *   worked out by subtracting the visible groups from the total. Therefore,
 *   while the hidden groups together are fewer than k people, the smallest
 *   visible group is hidden too («skjult for å hindre tilbakeregning»).
 *   A single hidden group therefore always takes the next-smallest one with it.
 * - People without a known role or level form their own group, «unknown»,
 *   under the same rule.
 * - The same is done for every question (and for every theme's
 *   competence/importance pair) inside the visible groups, counting only those
 *   who answered it: a question fewer than k answered is hidden, and hidden
 *   answers to it across the breakdown — including those in hidden groups —
 *   must together come from at least k people, or more is hidden.
 * The rule itself (smallest visible first, ties by key) is the one of
 * response-breakdown.ts; this file only feeds it.
 *
 * Limits: the rule protects one breakdown against its own total. Combining
 * two breakdowns (role × school level), or two pulses with almost the same
 * people, can still narrow groups down; views should offer one breakdown at a
 * time. A group of k who all gave the same answer shows that answer for all.
 */
import { BARRIER_CATEGORIES, type BarrierCategory } from '../question-bank/schema.ts';
import { normaliseTallies, scaleItems, tallyRows, themePairs, type AnswerRow, type Distribution, type GroupBy, type GroupTally, type ThemeTally } from './group-tally.ts';
import type { Lang } from './language.ts';
import type { PulseItem } from './pulse-content.ts';
import { responseBreakdown } from './response-breakdown.ts';

export { ALL_GROUP, UNKNOWN_GROUP, type AnswerRow, type Distribution, type GroupBy, type GroupTally } from './group-tally.ts';

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

type Group = GroupTally & { key: string };

const round1 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;
const percent = (count: number, n: number) => Math.round((count * 100) / n);

/**
 * Which of the sibling blocks to hide, given that `alreadyHidden` people's
 * worth of the same total is hidden for another reason (their group is
 * hidden). Delegates to responseBreakdown's rule; the already hidden part
 * enters it as one more small block.
 */
function toHide(sizes: readonly { key: string; size: number }[], k: number, alreadyHidden: number): Map<string, SuppressionReason> {
  const out = new Map<string, SuppressionReason>();
  for (const s of sizes) if (s.size < k) out.set(s.key, 'small');
  if (alreadyHidden >= k) return out;
  const blocks = sizes.map((s) => ({ key: `g:${s.key}`, recipients: s.size, answered: 0 }));
  if (alreadyHidden > 0) blocks.push({ key: 'hidden', recipients: alreadyHidden, answered: 0 });
  for (const b of responseBreakdown(blocks, k).groups) if (!b.shown && b.key.startsWith('g:') && !out.has(b.key.slice(2))) out.set(b.key.slice(2), b.reason);
  return out;
}

/** Per item (or theme) id, the keys of the visible groups where it is hidden. */
function hiddenWithin(groups: readonly Group[], hidden: ReadonlyMap<string, unknown>, ids: readonly string[], size: (g: Group, id: string) => number, k: number): Map<string, Map<string, SuppressionReason>> {
  const out = new Map<string, Map<string, SuppressionReason>>();
  for (const id of ids) {
    const already = groups.filter((g) => hidden.has(g.key)).reduce((n, g) => n + size(g, id), 0);
    const visible = groups.filter((g) => !hidden.has(g.key)).map((g) => ({ key: g.key, size: size(g, id) }));
    out.set(id, toHide(visible, k, already));
  }
  return out;
}

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
  if (reason || !t) return { themeId, suppressed: true, reason: reason ?? 'small', n: null, gap: null, shareNeed: null };
  return { themeId, suppressed: false, reason: null, n: t.n, gap: round1(t.diff / t.n), shareNeed: percent(t.need, t.n) };
}

/**
 * Results per group of one breakdown, with the anonymity rule above applied.
 * Only scale items are summarised (never the free-text comment); groups with
 * no respondents are left out.
 *
 * @example aggregate(rows, content.items, 'staffRole', 5)
 *   // → [{ key: 'teacher', suppressed: false, respondents: 14, items: [...], themes: [...] }, { key: 'sfo_leader', suppressed: true, reason: 'small', … }, …]
 */
export function aggregate(rows: readonly AnswerRow[], items: readonly PulseItem[], groupBy: GroupBy, k: number): GroupResult[] {
  return aggregateTallies(tallyRows(rows, items, groupBy), items, groupBy, k);
}

/**
 * The same as `aggregate`, from counts the database computed
 * (`resultsRepository.tallies`): raw keys are normalised and merged here, so
 * the anonymity rule sees exactly the groups a view will show.
 */
export function aggregateTallies(tallies: readonly GroupTally[], items: readonly PulseItem[], groupBy: GroupBy, k: number): GroupResult[] {
  const scale = scaleItems(items);
  const themes = themePairs(scale);
  const groups: Group[] = normaliseTallies(tallies, groupBy);
  const hidden = toHide(groups.map((g) => ({ key: g.key, size: g.people })), k, 0);
  const itemN = (g: Group, id: string) => g.items.get(id)?.reduce((a, b) => a + b, 0) ?? 0;
  const hiddenItems = hiddenWithin(groups, hidden, scale.map((i) => i.id), itemN, k);
  const hiddenThemes = hiddenWithin(groups, hidden, themes.map((t) => t.themeId), (g, id) => g.themes.get(id)?.n ?? 0, k);
  return groups.map((g): GroupResult => {
    const reason = hidden.get(g.key);
    if (reason) return { key: g.key, suppressed: true, reason, respondents: null, items: [], themes: [] };
    return {
      key: g.key,
      suppressed: false,
      reason: null,
      respondents: g.people,
      items: scale.map((i) => itemResult(i, g.items.get(i.id), hiddenItems.get(i.id)!.get(g.key))),
      themes: themes.map((t) => themeResult(t.themeId, g.themes.get(t.themeId), hiddenThemes.get(t.themeId)!.get(g.key))),
    };
  });
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
