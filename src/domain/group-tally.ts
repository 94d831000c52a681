/**
 * Counts per group, before any anonymity rule: what the database computes in
 * SQL for large rounds (results-repository.ts) and what `tallyRows` computes
 * from individual rows in tests. Both follow the same definitions, so a test
 * on the database can hold the two against each other:
 *
 * - A person belongs to exactly one group per breakdown: the smallest
 *   non-empty value of the dimension among their answers with a value
 *   (snapshots are taken at answer time and are normally the same on every
 *   row). So the groups of one breakdown partition the total.
 * - `people` counts persons with at least one answer with a value.
 * - Item tallies count answers 1–5 only; other values count as skipped.
 * - Theme tallies pair a person's competence and importance answers to the
 *   same theme: n pairs, the sum of (importance − competence), and how many
 *   pairs show need (competence 1–2 and importance 4–5).
 */
import { SCHOOL_LEVELS, STAFF_ROLES } from './profile.ts';
import type { PulseItem } from './pulse-content.ts';

/** One answer (or skip: value null) by one person; personKey is a per-pulse pseudonym. */
export type AnswerRow = { personKey: string; itemId: string; value: number | null; staffRole: string | null; schoolLevel: string | null; schoolId: string | null };

/** A breakdown the product offers. */
export type Breakdown = 'all' | 'staffRole' | 'schoolLevel' | 'school';
/**
 * What tallies are grouped by: a breakdown, or 'cell' — staff role, school
 * level and school together (`cellKey`), the finest split, from which every
 * breakdown is a sum (publish-round.ts).
 */
export type GroupBy = Breakdown | 'cell';
export const BREAKDOWNS: readonly Breakdown[] = ['all', 'staffRole', 'schoolLevel', 'school'];
export const ALL_GROUP = 'all';
export const UNKNOWN_GROUP = 'unknown';

/** Answers per scale point, index 0 = 1. */
export type Distribution = [number, number, number, number, number];
export type ThemeTally = { n: number; diff: number; need: number };
/** One group's counts; `key` is the raw dimension value (null: not known) until normalised. */
export type GroupTally = { key: string | null; people: number; items: Map<string, Distribution>; themes: Map<string, ThemeTally> };
/** A theme asked on both SNELD scales: the ids of its two items. */
export type ThemePair = { themeId: string; competence: string; importance: string };

export const isScalePoint = (v: number | null): v is number => v !== null && Number.isInteger(v) && v >= 1 && v <= 5;

/** The scale items of a pulse, each once (the free-text comment is never tallied). */
export function scaleItems(items: readonly PulseItem[]): PulseItem[] {
  return items.filter((i, at) => i.scale !== null && items.findIndex((x) => x.id === i.id) === at);
}

/** Themes with both a competence and an importance item in the pulse. */
export function themePairs(items: readonly PulseItem[]): ThemePair[] {
  const out: ThemePair[] = [];
  for (const c of items) {
    if (c.kind !== 'competence' || !c.themeId) continue;
    const i = items.find((x) => x.kind === 'importance' && x.themeId === c.themeId);
    if (i && !out.some((t) => t.themeId === c.themeId)) out.push({ themeId: c.themeId, competence: c.id, importance: i.id });
  }
  return out;
}

/**
 * A cell's raw key: the three raw values joined by «|» («» for none). Each
 * part is, like any breakdown, the person's smallest non-empty value.
 */
export const cellKey = (role: string | null, level: string | null, school: string | null) => `${role ?? ''}|${level ?? ''}|${school ?? ''}`;
const CELL_PART: Record<Exclude<Breakdown, 'all'>, number> = { staffRole: 0, schoolLevel: 1, school: 2 };
/** The raw value of one breakdown in a raw cell key (null: not known). */
export function cellPart(key: string | null, by: Breakdown): string | null {
  if (by === 'all') return ALL_GROUP;
  return key?.split('|')[CELL_PART[by]] || null;
}

const DIMENSION: Record<Breakdown, (row: AnswerRow) => string | null> = { all: () => ALL_GROUP, staffRole: (r) => r.staffRole, schoolLevel: (r) => r.schoolLevel, school: (r) => r.schoolId };

const emptyTally = (key: string | null): GroupTally => ({ key, people: 0, items: new Map(), themes: new Map() });

/**
 * Tallies of individual rows, by the definitions above. For tests and small
 * inputs; the database computes the same with `resultsRepository.tallies`.
 */
export function tallyRows(rows: readonly AnswerRow[], items: readonly PulseItem[], groupBy: GroupBy): GroupTally[] {
  const itemIds = new Set(scaleItems(items).map((i) => i.id));
  const themes = themePairs(scaleItems(items));
  const dims: Breakdown[] = groupBy === 'cell' ? ['staffRole', 'schoolLevel', 'school'] : [groupBy];
  const people = new Map<string, { raw: (string | null)[]; answers: Map<string, number | null> }>();
  for (const row of rows) {
    if (row.value === null) continue;
    const p = people.get(row.personKey) ?? { raw: dims.map(() => null), answers: new Map() };
    dims.forEach((d, at) => {
      const v = DIMENSION[d](row) || null;
      if (v !== null && (p.raw[at] === null || v < p.raw[at]!)) p.raw[at] = v;
    });
    if (itemIds.has(row.itemId)) p.answers.set(row.itemId, row.value);
    people.set(row.personKey, p);
  }
  const groups = new Map<string | null, GroupTally>();
  for (const p of people.values()) {
    const raw = groupBy === 'cell' ? cellKey(p.raw[0]!, p.raw[1]!, p.raw[2]!) : p.raw[0]!;
    const g = groups.get(raw) ?? emptyTally(raw);
    g.people += 1;
    for (const [itemId, value] of p.answers) {
      if (!isScalePoint(value)) continue;
      const d = g.items.get(itemId) ?? [0, 0, 0, 0, 0];
      d[value - 1]! += 1;
      g.items.set(itemId, d);
    }
    for (const th of themes) {
      const c = p.answers.get(th.competence) ?? null;
      const i = p.answers.get(th.importance) ?? null;
      if (!isScalePoint(c) || !isScalePoint(i)) continue;
      const t = g.themes.get(th.themeId) ?? { n: 0, diff: 0, need: 0 };
      t.n += 1;
      t.diff += i - c;
      if (c <= 2 && i >= 4) t.need += 1;
      g.themes.set(th.themeId, t);
    }
    groups.set(raw, g);
  }
  return [...groups.values()];
}

/** Adds tallies into one group with `key`: groups of one breakdown add up to the whole. */
export function mergeTallies(tallies: readonly GroupTally[], key: string | null): GroupTally {
  const out = emptyTally(key);
  for (const t of tallies) {
    out.people += t.people;
    for (const [id, d] of t.items) {
      const into = out.items.get(id) ?? [0, 0, 0, 0, 0];
      d.forEach((n, at) => (into[at]! += n));
      out.items.set(id, into);
    }
    for (const [id, th] of t.themes) {
      const into = out.themes.get(id) ?? { n: 0, diff: 0, need: 0 };
      into.n += th.n;
      into.diff += th.diff;
      into.need += th.need;
      out.themes.set(id, into);
    }
  }
  return out;
}

const known = (list: readonly string[], v: string) => (list.includes(v) ? v : UNKNOWN_GROUP);
export const NORMALISE: Record<Breakdown, (v: string | null) => string> = {
  all: () => ALL_GROUP,
  staffRole: (v) => (v ? known(STAFF_ROLES, v) : UNKNOWN_GROUP),
  schoolLevel: (v) => (v ? known(SCHOOL_LEVELS, v) : UNKNOWN_GROUP),
  school: (v) => v || UNKNOWN_GROUP,
};

function groupOrder(groupBy: Breakdown, a: string, b: string): number {
  const list: readonly string[] = groupBy === 'staffRole' ? STAFF_ROLES : groupBy === 'schoolLevel' ? SCHOOL_LEVELS : [];
  const rank = (key: string) => (key === UNKNOWN_GROUP ? Infinity : list.includes(key) ? list.indexOf(key) : -1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Raw keys to the groups the views know (roles and levels outside the known
 * lists, and missing values, become «unknown»), merged and in display order.
 * For 'all', any breakdown's tallies give the single total; `from: 'cell'`
 * reads the breakdown's part of cell keys.
 */
export function normaliseTallies(tallies: readonly GroupTally[], groupBy: Breakdown, from: GroupBy = groupBy): Array<GroupTally & { key: string }> {
  const byKey = new Map<string, GroupTally[]>();
  for (const t of tallies) {
    const key = NORMALISE[groupBy](from === 'cell' ? cellPart(t.key, groupBy) : t.key);
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  return [...byKey]
    .map(([key, ts]) => ({ ...mergeTallies(ts, key), key }))
    .filter((g) => g.people > 0)
    .sort((a, b) => groupOrder(groupBy, a.key, b.key));
}

/** Counted in the same cell key as a person (raw), per figure: '' (people), item ids, `theme:<id>`. */
function figuresOf(rows: readonly AnswerRow[], items: readonly PulseItem[]): Map<string, { cell: string; figures: Set<string> }> {
  const itemIds = new Set(scaleItems(items).map((i) => i.id));
  const themes = themePairs(scaleItems(items));
  const out = new Map<string, { cell: string; figures: Set<string>; raw: (string | null)[]; values: Map<string, number | null> }>();
  for (const row of rows) {
    if (row.value === null) continue;
    const p = out.get(row.personKey) ?? { cell: '', figures: new Set<string>(['']), raw: [null, null, null], values: new Map() };
    (['staffRole', 'schoolLevel', 'school'] as const).forEach((d, at) => {
      const v = DIMENSION[d](row) || null;
      if (v !== null && (p.raw[at] === null || v < p.raw[at]!)) p.raw[at] = v;
    });
    if (itemIds.has(row.itemId)) p.values.set(row.itemId, row.value);
    out.set(row.personKey, p);
  }
  for (const p of out.values()) {
    p.cell = cellKey(p.raw[0]!, p.raw[1]!, p.raw[2]!);
    for (const [id, v] of p.values) if (isScalePoint(v)) p.figures.add(id);
    for (const t of themes) if (isScalePoint(p.values.get(t.competence) ?? null) && isScalePoint(p.values.get(t.importance) ?? null)) p.figures.add(`theme:${t.themeId}`);
  }
  return out;
}

/**
 * How the people of two rounds overlap, from individual rows (personKey
 * the same person in both): what the database computes with roundOverlap,
 * for tests. Per figure and pair of raw cell keys (null: not in that round).
 */
export function overlapOfRows(now: readonly AnswerRow[], before: readonly AnswerRow[], items: readonly PulseItem[]): { measure: string; now: string | null; before: string | null; n: number }[] {
  const a = figuresOf(now, items);
  const b = figuresOf(before, items);
  const counts = new Map<string, { measure: string; now: string | null; before: string | null; n: number }>();
  for (const person of new Set([...a.keys(), ...b.keys()])) {
    const pa = a.get(person);
    const pb = b.get(person);
    for (const measure of new Set([...(pa?.figures ?? []), ...(pb?.figures ?? [])])) {
      const row = { measure, now: pa?.figures.has(measure) ? pa.cell : null, before: pb?.figures.has(measure) ? pb.cell : null, n: 0 };
      const key = JSON.stringify([row.measure, row.now, row.before]);
      (counts.get(key) ?? counts.set(key, row).get(key)!).n += 1;
    }
  }
  return [...counts.values()];
}
