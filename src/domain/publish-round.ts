/**
 * Everything one viewer can be shown of a round, decided in one place, pure.
 *
 * Input: the round's counts per *cell* (staff role × school level × school,
 * each person once — group-tally.ts), and optionally the round before of the
 * same template in the same scope together with what was shown of it. Output:
 * every breakdown's groups (whole unit, staff roles, school levels, schools)
 * with what is hidden and why. Every view — results, trend, suggestions,
 * evaluation, shared staff view, export, the language model's facts —
 * takes its figures from here, so a viewer who collects all of them and
 * adds and subtracts still finds no set of 1..k−1 people (disclosure.ts).
 *
 * The rule, per figure:
 * - people («N svarte») per group: cells are the groups of every breakdown;
 *   hidden as disclosure.ts decides.
 * - each question (and each theme's paired answers): the same, over the people
 *   who answered it, among the groups shown; a group hidden for people hides
 *   all its questions.
 *
 * Over time: a leader also sees the round before (trend, and it was the
 * latest once). If the same people answered both rounds but for a few, the
 * difference of the two rounds' figures would be those few people's answers
 * (if everyone else answered as before, which people often do). So the round
 * before's shown cells enter as known, over the people of both rounds (the
 * database matches them; `OverlapCount`). A later round's group is hidden
 * when it and what was shown before differ by 1..k−1 people one way and
 * nobody the other way (or by any other combination that singles out a few);
 * a group where some joined and others left, or k or more joined, is shown.
 * Where the overlap can't be known (answers deleted), per cell
 * min(n before, n now) people are taken to be the same and the rest to have
 * joined or left — the overlap that helps a subtracting viewer most.
 */
import { protectCells, type DisclosureCell, type HideReason } from './disclosure.ts';
import { ALL_GROUP, BREAKDOWNS, cellPart, mergeTallies, NORMALISE, normaliseTallies, scaleItems, themePairs, type Breakdown, type GroupTally } from './group-tally.ts';
import type { PulseItem } from './pulse-content.ts';
import { groupResult, type GroupResult } from './group-result.ts';

/** What a viewer can see of a round: each breakdown's groups, in display order. */
export type Publication = { k: number; groups: Record<Breakdown, GroupResult[]> };

/**
 * How many people counted in which cell now and before, per figure
 * ('' = people, an item id, or `theme:<id>`); raw cell keys, null = not in
 * that round (results-repository.ts, roundOverlap).
 */
export type OverlapCount = { measure: string; now: string | null; before: string | null; n: number };

/**
 * The round before: its counts per cell, its items, what was shown of it,
 * and how its people overlap with the round now — null when that can't be
 * known (its answers were deleted): then the overlap that helps a
 * subtracting viewer most is assumed.
 */
export type PreviousRound = { tallies: readonly GroupTally[]; items: readonly PulseItem[]; shown: Publication; overlap?: readonly OverlapCount[] | null };

export type PublishOptions = {
  /** Breakdowns the viewer can ask for; all four unless narrowed (tests of one breakdown). */
  breakdowns?: readonly Breakdown[];
  previous?: PreviousRound | null;
};

type Atom = { key: string; parts: Record<Breakdown, string>; tally: GroupTally };

/** A raw cell key's normalised parts (unknown roles and levels, missing values → «unknown»). */
function partsOf(raw: string | null): Record<Breakdown, string> {
  return Object.fromEntries(BREAKDOWNS.map((b) => [b, NORMALISE[b](cellPart(raw, b))])) as Record<Breakdown, string>;
}
const keyOf = (parts: Record<Breakdown, string>) => `${parts.staffRole}|${parts.schoolLevel}|${parts.school}`;

/** Cell tallies merged under normalised keys. */
function atomsOf(tallies: readonly GroupTally[]): Atom[] {
  const byKey = new Map<string, { parts: Record<Breakdown, string>; tallies: GroupTally[] }>();
  for (const t of tallies) {
    const parts = partsOf(t.key);
    const key = keyOf(parts);
    const entry = byKey.get(key) ?? { parts, tallies: [] };
    entry.tallies.push(t);
    byKey.set(key, entry);
  }
  return [...byKey]
    .map(([key, e]) => ({ key, parts: e.parts, tally: mergeTallies(e.tallies, key) }))
    .filter((a) => a.tally.people > 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A figure whose cells are checked on their own: the people, one question, or one theme's pairs. */
type Measure = { id: string; overlapId: string; weight: (t: GroupTally) => number };
const PEOPLE: Measure = { id: '', overlapId: '', weight: (t) => t.people };
const itemMeasure = (id: string): Measure => ({ id: `item:${id}`, overlapId: id, weight: (t) => t.items.get(id)?.reduce((a, b) => a + b, 0) ?? 0 });
const themeMeasure = (id: string): Measure => ({ id: `theme:${id}`, overlapId: `theme:${id}`, weight: (t) => t.themes.get(id)?.n ?? 0 });

/** People behind one figure split by where they count now and before (normalised keys; null: not in that round). */
type Joint = { now: string | null; before: string | null; n: number };

/** The joint split from the real overlap, or, without it, per cell: min(before, now) the same people, the rest joined or left. */
function jointOf(m: Measure, now: Atom[], before: Atom[] | null, overlap: readonly OverlapCount[] | null | undefined): Joint[] {
  if (before && overlap) {
    const sum = new Map<string, Joint>();
    for (const o of overlap) {
      if (o.measure !== m.overlapId || o.n <= 0) continue;
      const j = { now: o.now === null ? null : keyOf(partsOf(o.now)), before: o.before === null ? null : keyOf(partsOf(o.before)), n: 0 };
      const key = `${j.now}→${j.before}`;
      (sum.get(key) ?? sum.set(key, j).get(key)!).n += o.n;
    }
    return [...sum.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, j]) => j);
  }
  const nowW = new Map(now.map((a) => [a.key, m.weight(a.tally)]));
  const beforeW = new Map((before ?? []).map((a) => [a.key, m.weight(a.tally)]));
  const out: Joint[] = [];
  for (const key of [...new Set([...nowW.keys(), ...beforeW.keys()])].sort()) {
    const n2 = nowW.get(key) ?? 0;
    const n1 = beforeW.get(key) ?? 0;
    const both = Math.min(n1, n2);
    out.push({ now: key, before: key, n: both }, { now: key, before: null, n: n2 - both }, { now: null, before: key, n: n1 - both });
  }
  return out.filter((j) => j.n > 0);
}

const cellId = (by: Breakdown, key: string) => `${by}:${key}`;

/** Which groups (cell ids) are shown for a measure in a publication. */
function shownCells(p: Publication, m: Measure): Set<string> {
  const out = new Set<string>();
  for (const by of BREAKDOWNS) {
    for (const g of p.groups[by] ?? []) {
      if (g.suppressed) continue;
      if (m.id === '') out.add(cellId(by, g.key));
      else if (m.id.startsWith('item:') && g.items.some((i) => i.itemId === m.id.slice(5) && !i.suppressed)) out.add(cellId(by, g.key));
      else if (m.id.startsWith('theme:') && g.themes.some((t) => t.themeId === m.id.slice(6) && !t.suppressed)) out.add(cellId(by, g.key));
    }
  }
  return out;
}

/**
 * The hidden cells of one measure. Now-cells are candidates (`allowed`: only
 * those, e.g. the groups shown for people); the round before's shown cells
 * are fixed, over the joint people described above.
 */
function hideFor(joint: readonly Joint[], shownBefore: Set<string>, breakdowns: readonly Breakdown[], k: number, allowed: Set<string> | null): Map<string, HideReason> {
  const weights = joint.map((j) => j.n);
  const parts = (key: string) => Object.fromEntries(BREAKDOWNS.map((b, at) => [b, b === 'all' ? ALL_GROUP : key.split('|')[at - 1]!])) as Record<Breakdown, string>;
  const cells: DisclosureCell[] = [];
  for (const by of breakdowns) {
    const groups = new Map<string, { now: number[]; before: number[] }>();
    joint.forEach((j, at) => {
      for (const side of ['now', 'before'] as const) {
        const key = j[side];
        if (key === null) continue;
        const g = parts(key)[by];
        const e = groups.get(g) ?? { now: [], before: [] };
        e[side].push(at);
        groups.set(g, e);
      }
    });
    for (const [g, e] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const id = cellId(by, g);
      if (e.now.length > 0 && (allowed === null || allowed.has(id))) cells.push({ id, atoms: e.now, keep: by === 'all' });
      if (e.before.length > 0 && shownBefore.has(id)) cells.push({ id: `before:${id}`, atoms: e.before, fixed: true });
    }
  }
  return protectCells(weights, cells, k);
}

/**
 * The publication of a round for a viewer (see the file comment).
 *
 * @example publishRound(cellTallies, items, 5, { previous: { tallies, items, shown } }).groups.staffRole
 *   // → [{ key: 'teacher', suppressed: true, reason: 'derivable', … }, …] when one teacher more answered than last time
 */
export function publishRound(tallies: readonly GroupTally[], items: readonly PulseItem[], k: number, options: PublishOptions = {}): Publication {
  const breakdowns = options.breakdowns ?? BREAKDOWNS;
  const previous = options.previous ?? null;
  const now = atomsOf(tallies);
  const before = previous ? atomsOf(previous.tallies) : null;
  const scale = scaleItems(items);
  const themes = themePairs(scale);
  const shownBefore = (m: Measure) => (previous ? shownCells(previous.shown, m) : new Set<string>());

  const overlap = previous?.overlap;
  const people = hideFor(jointOf(PEOPLE, now, before, overlap), shownBefore(PEOPLE), breakdowns, k, null);
  const shownPeople = new Set<string>();
  for (const by of breakdowns) for (const a of now) if (!people.has(cellId(by, a.parts[by]))) shownPeople.add(cellId(by, a.parts[by]));
  // Questions nobody skipped have the same cells as the people: decide those once.
  const cache = new Map<string, Map<string, HideReason>>();
  const hiddenOf = (m: Measure) => {
    const joint = jointOf(m, now, before, overlap);
    const seen = shownBefore(m);
    const sig = JSON.stringify([joint, [...seen].sort()]);
    const hit = cache.get(sig);
    if (hit) return hit;
    const out = hideFor(joint, seen, breakdowns, k, shownPeople);
    cache.set(sig, out);
    return out;
  };
  const itemHidden = new Map(scale.map((i) => [i.id, hiddenOf(itemMeasure(i.id))]));
  const themeHidden = new Map(themes.map((t) => [t.themeId, hiddenOf(themeMeasure(t.themeId))]));

  const groups = {} as Record<Breakdown, GroupResult[]>;
  for (const by of BREAKDOWNS) {
    if (!breakdowns.includes(by)) {
      groups[by] = [];
      continue;
    }
    groups[by] = normaliseTallies(
      now.map((a) => ({ ...a.tally, key: a.parts[by] })),
      by,
    ).map((g) => {
      const id = cellId(by, g.key);
      const hidden = (h: Map<string, HideReason> | undefined) => h?.get(id);
      return groupResult(g, scale, themes, people.get(id) ?? null, (itemId) => hidden(itemHidden.get(itemId)), (themeId) => hidden(themeHidden.get(themeId)));
    });
  }
  return { k, groups };
}

/** The whole unit's group of a publication (hidden when fewer than k answered). */
export function totalOf(p: Publication): GroupResult {
  return p.groups.all[0] ?? { key: ALL_GROUP, suppressed: true, reason: 'small', respondents: null, items: [], themes: [] };
}
