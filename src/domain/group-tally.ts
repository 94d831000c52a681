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

export type GroupBy = 'all' | 'staffRole' | 'schoolLevel' | 'school';
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

const DIMENSION: Record<GroupBy, (row: AnswerRow) => string | null> = { all: () => ALL_GROUP, staffRole: (r) => r.staffRole, schoolLevel: (r) => r.schoolLevel, school: (r) => r.schoolId };

const emptyTally = (key: string | null): GroupTally => ({ key, people: 0, items: new Map(), themes: new Map() });

/**
 * Tallies of individual rows, by the definitions above. For tests and small
 * inputs; the database computes the same with `resultsRepository.tallies`.
 */
export function tallyRows(rows: readonly AnswerRow[], items: readonly PulseItem[], groupBy: GroupBy): GroupTally[] {
  const itemIds = new Set(scaleItems(items).map((i) => i.id));
  const themes = themePairs(scaleItems(items));
  const people = new Map<string, { raw: string | null; answers: Map<string, number | null> }>();
  for (const row of rows) {
    if (row.value === null) continue;
    const p = people.get(row.personKey) ?? { raw: null, answers: new Map() };
    const v = DIMENSION[groupBy](row) || null;
    if (v !== null && (p.raw === null || v < p.raw)) p.raw = v;
    if (itemIds.has(row.itemId)) p.answers.set(row.itemId, row.value);
    people.set(row.personKey, p);
  }
  const groups = new Map<string | null, GroupTally>();
  for (const p of people.values()) {
    const g = groups.get(p.raw) ?? emptyTally(p.raw);
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
    groups.set(p.raw, g);
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
const NORMALISE: Record<GroupBy, (v: string | null) => string> = {
  all: () => ALL_GROUP,
  staffRole: (v) => (v ? known(STAFF_ROLES, v) : UNKNOWN_GROUP),
  schoolLevel: (v) => (v ? known(SCHOOL_LEVELS, v) : UNKNOWN_GROUP),
  school: (v) => v || UNKNOWN_GROUP,
};

function groupOrder(groupBy: GroupBy, a: string, b: string): number {
  const list: readonly string[] = groupBy === 'staffRole' ? STAFF_ROLES : groupBy === 'schoolLevel' ? SCHOOL_LEVELS : [];
  const rank = (key: string) => (key === UNKNOWN_GROUP ? Infinity : list.includes(key) ? list.indexOf(key) : -1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Raw keys to the groups the views know (roles and levels outside the known
 * lists, and missing values, become «unknown»), merged and in display order.
 * For 'all', any breakdown's tallies give the single total.
 */
export function normaliseTallies(tallies: readonly GroupTally[], groupBy: GroupBy): Array<GroupTally & { key: string }> {
  const byKey = new Map<string, GroupTally[]>();
  for (const t of tallies) {
    const key = NORMALISE[groupBy](t.key);
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  return [...byKey]
    .map(([key, ts]) => ({ ...mergeTallies(ts, key), key }))
    .filter((g) => g.people > 0)
    .sort((a, b) => groupOrder(groupBy, a.key, b.key));
}
