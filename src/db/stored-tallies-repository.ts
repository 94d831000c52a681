import { mergeTallies, scaleItems, themePairs, type Distribution, type GroupBy, type GroupTally } from '../domain/group-tally.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import type { SqlExecutor } from './sql-executor.ts';

/**
 * Stored tallies (table "PulseTally"): a closed pulse's counts per breakdown,
 * written before any of its answers are deleted (retention, erasure). From
 * then on `resultsRepository.tallies` reads these rows for that pulse instead
 * of its answers, so results that were published never change.
 *
 * Stored per pulse and per *raw* group key (what the SQL returns before
 * normalising), so a round of several pulses is the exact sum of its pulses:
 * a person belongs to one group per pulse, and adding counts is exact
 * (group-tally.ts, mergeTallies). Counts only: no person, no text.
 */
export const STORED_BREAKDOWNS: readonly GroupBy[] = ['all', 'staffRole', 'schoolLevel', 'school', 'cell'];

type StoredTheme = { themeId: string; competence: string; importance: string; n: number; diff: number; need: number };
export type StoredGroup = { key: string | null; people: number; items: Record<string, Distribution>; themes: StoredTheme[] };

/** A pulse's tallies (computed with the pulse's own items) as JSON for the table. */
export function toStored(tallies: readonly GroupTally[], pulseItems: readonly PulseItem[]): StoredGroup[] {
  const pairs = themePairs(scaleItems(pulseItems));
  return tallies.map((t) => ({
    key: t.key,
    people: t.people,
    items: Object.fromEntries([...t.items].map(([id, d]) => [id, [...d] as Distribution])),
    themes: [...t.themes].flatMap(([themeId, th]) => {
      const pair = pairs.find((p) => p.themeId === themeId);
      return pair ? [{ themeId, competence: pair.competence, importance: pair.importance, n: th.n, diff: th.diff, need: th.need }] : [];
    }),
  }));
}

/**
 * Stored groups as the tallies a live query with `items` would return for
 * that pulse: item counts only for the requested scale items, theme counts
 * only for requested themes paired from the same two items (as the SQL pairs
 * them); `people` does not depend on the items.
 */
export function fromStored(groups: readonly StoredGroup[], items: readonly PulseItem[]): GroupTally[] {
  const scale = scaleItems(items);
  const itemIds = new Set(scale.map((i) => i.id));
  const pairs = themePairs(scale);
  return groups.map((g) => ({
    key: g.key,
    people: g.people,
    items: new Map(Object.entries(g.items).filter(([id]) => itemIds.has(id)).map(([id, d]) => [id, [...d] as Distribution])),
    themes: new Map(
      g.themes
        .filter((th) => pairs.some((p) => p.themeId === th.themeId && p.competence === th.competence && p.importance === th.importance))
        .map((th) => [th.themeId, { n: th.n, diff: th.diff, need: th.need }]),
    ),
  }));
}

export function storedTalliesRepository(sql: SqlExecutor) {
  return {
    /** Stored groups per pulse for one breakdown; pulses without stored tallies are absent. */
    async read(pulseIds: readonly string[], groupBy: GroupBy): Promise<Map<string, StoredGroup[]>> {
      if (pulseIds.length === 0) return new Map();
      const rows = await sql.query<{ pulseId: string; groups: StoredGroup[] | string }>(
        `SELECT "pulseId"::text AS "pulseId", groups FROM "PulseTally" WHERE "pulseId" = ANY($1::uuid[]) AND "groupBy" = $2`,
        [[...pulseIds], groupBy],
      );
      return new Map(rows.map((r) => [r.pulseId, typeof r.groups === 'string' ? (JSON.parse(r.groups) as StoredGroup[]) : r.groups]));
    },

    /** Writes one pulse's breakdown once; a second write (another process, a re-run) changes nothing. */
    async write(pulseId: string, groupBy: GroupBy, groups: readonly StoredGroup[]): Promise<void> {
      await sql.query(`INSERT INTO "PulseTally" ("pulseId", "groupBy", groups) VALUES ($1::uuid, $2, $3::jsonb) ON CONFLICT DO NOTHING`, [pulseId, groupBy, JSON.stringify(groups)]);
    },

    async storedPulseIds(pulseIds: readonly string[]): Promise<Set<string>> {
      if (pulseIds.length === 0) return new Set();
      const rows = await sql.query<{ pulseId: string }>(`SELECT DISTINCT "pulseId"::text AS "pulseId" FROM "PulseTally" WHERE "pulseId" = ANY($1::uuid[])`, [[...pulseIds]]);
      return new Set(rows.map((r) => r.pulseId));
    },
  };
}

/** Tallies of several sources (pulses) as one list, added up per raw group key: exact, since a person is in one group per pulse. */
export function addTallies(sources: ReadonlyArray<readonly GroupTally[]>): GroupTally[] {
  const byKey = new Map<string | null, GroupTally[]>();
  for (const t of sources.flat()) byKey.set(t.key, [...(byKey.get(t.key) ?? []), t]);
  return [...byKey].map(([key, ts]) => mergeTallies(ts, key));
}
