import { cellKey, scaleItems, themePairs, type Distribution, type GroupBy, type GroupTally } from '../domain/group-tally.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import type { OverlapCount } from '../domain/publish-round.ts';
import type { PulseContent } from '../domain/pulse-content.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { addTallies, fromStored, storedTalliesRepository, STORED_BREAKDOWNS, toStored } from './stored-tallies-repository.ts';

/** Pulses of one template closing within this many days of the latest form one round (a survey run in all schools). */
const ROUND_DAYS = 21;

export type { OverlapCount };
export type ClosedPulse = { id: string; unitId: string; content: PulseContent; closesAt: Date; templateId: string };

/** The round whose latest pulse closed at `end`: each unit's latest pulse of the template in the three weeks up to it, newest first. */
async function roundEndingAt(sql: SqlExecutor, unitIds: string[], templateId: string, end: Date): Promise<ClosedPulse[]> {
  const rows = await sql.query<ClosedPulse>(
    `SELECT DISTINCT ON ("unitId") id, "unitId", content, "closesAt", "templateId" FROM "Pulse"
      WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND "templateId" = $2
        AND "closesAt" BETWEEN $3::timestamptz - interval '${ROUND_DAYS} days' AND $3::timestamptz
      ORDER BY "unitId", "closesAt" DESC, id`,
    [unitIds, templateId, end],
  );
  return rows.sort((a, b) => b.closesAt.getTime() - a.closesAt.getTime() || (a.id < b.id ? -1 : 1));
}

/**
 * Pulses and counts for the results views. No person id, name or single
 * answer leaves the database: aggregation gets counts per group
 * (`tallies`), comments come as bare texts.
 */
export function resultsRepository(sql: SqlExecutor) {
  return {
    async latestClosed(unitIds: string[], templateId?: string): Promise<ClosedPulse | null> {
      if (unitIds.length === 0) return null;
      const rows = await sql.query<ClosedPulse>(
        `SELECT id, "unitId", content, "closesAt", "templateId" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND ($2::text IS NULL OR "templateId" = $2)
          ORDER BY "closesAt" DESC LIMIT 1`,
        [unitIds, templateId ?? null],
      );
      return rows[0] ?? null;
    },

    /**
     * The latest round of a template across the viewer's units: the latest
     * closed pulse, plus, for each other unit, its latest pulse of the same
     * template if it closed within three weeks of it (a municipality runs one
     * survey in all its schools). Never two pulses of one unit: a weekly plan
     * gives a round a week (README, "Results and anonymity").
     */
    async latestRound(unitIds: string[], templateId?: string): Promise<ClosedPulse[]> {
      const latest = await this.latestClosed(unitIds, templateId);
      if (!latest) return [];
      return roundEndingAt(sql, unitIds, latest.templateId, latest.closesAt);
    },

    /**
     * The latest round of every template closed since `since` in the units,
     * newest template first: what a measure suggestion combines (needs come
     * from one template, barriers from another). Check-back rounds ask about
     * results, not needs, and are left out.
     */
    async latestRoundPerTemplate(unitIds: string[], since: Date): Promise<ClosedPulse[][]> {
      if (unitIds.length === 0) return [];
      const pulses = await sql.query<ClosedPulse>(
        `SELECT id, "unitId", content, "closesAt", "templateId" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND "closesAt" >= $2::timestamptz AND "checkBackOfId" IS NULL
          ORDER BY "closesAt" DESC`,
        [unitIds, since],
      );
      const rounds = new Map<string, ClosedPulse[]>();
      for (const p of pulses) {
        const round = rounds.get(p.templateId);
        if (!round) rounds.set(p.templateId, [p]);
        else if (round[0]!.closesAt.getTime() - p.closesAt.getTime() <= ROUND_DAYS * 86_400_000 && !round.some((q) => q.unitId === p.unitId)) round.push(p);
      }
      return [...rounds.values()];
    },

    /**
     * The round before `before` (the current round's earliest close): the
     * latest closed pulse of the same template that closed at least a day
     * earlier, and the round it ends (as in `latestRound`).
     */
    async previousRound(unitIds: string[], templateId: string, before: Date): Promise<ClosedPulse[]> {
      if (unitIds.length === 0) return [];
      const latest = await sql.query<{ closesAt: Date }>(
        `SELECT "closesAt" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND "templateId" = $2
            AND "closesAt" < $3::timestamptz - interval '1 day'
          ORDER BY "closesAt" DESC LIMIT 1`,
        [unitIds, templateId, before],
      );
      if (!latest[0]) return [];
      return roundEndingAt(sql, unitIds, templateId, latest[0].closesAt);
    },

    /**
     * Free-text comments of a round, optionally for one staff role or school
     * level: only the text and its pulse id leave the database (no person,
     * role, time or row order worth keeping — callers shuffle).
     */
    async commentTexts(pulseIds: string[], group: { staffRole?: string | null; schoolLevel?: string | null } = {}): Promise<{ pulseId: string; text: string }[]> {
      if (pulseIds.length === 0) return [];
      return sql.query<{ pulseId: string; text: string }>(
        `SELECT "pulseId"::text AS "pulseId", comment AS text FROM "Answer"
          WHERE "pulseId" = ANY($1::uuid[]) AND comment IS NOT NULL AND btrim(comment) <> ''
            AND ($2::text IS NULL OR "staffRole"::text = $2) AND ($3::text IS NULL OR "schoolLevel"::text = $3)
          ORDER BY md5(comment || "pulseId"::text)`,
        [pulseIds, group.staffRole ?? null, group.schoolLevel ?? null],
      );
    },

    /** How the people of two rounds overlap, per figure (see roundOverlap). */
    overlap(now: readonly string[], before: readonly string[], items: readonly PulseItem[]): Promise<OverlapCount[] | null> {
      return roundOverlap(sql, now, before, items);
    },

    /**
     * Counts per group for a breakdown, computed in the database so a county's
     * round is never loaded row by row. Same definitions as `tallyRows`
     * (group-tally.ts), which a database test holds it against; raw keys are
     * normalised by the domain. Only counts leave the database.
     */
    async tallies(pulseIds: string[], items: readonly PulseItem[], groupBy: GroupBy): Promise<GroupTally[]> {
      if (pulseIds.length === 0) return [];
      // Pulses whose answers were (or are being) deleted — retention, erasure —
      // are read from their stored tallies, so published results never change.
      const stored = await storedTalliesRepository(sql).read(pulseIds, groupBy);
      if (groupBy === 'cell') {
        // Pulses frozen before cells were stored have their role split only:
        // read it as cells of unknown level and school.
        const frozen = await storedTalliesRepository(sql).storedPulseIds(pulseIds);
        const legacy = [...frozen].filter((id) => !stored.has(id));
        for (const [id, groups] of await storedTalliesRepository(sql).read(legacy, 'staffRole')) stored.set(id, groups.map((g) => ({ ...g, key: cellKey(g.key, null, null) })));
      }
      const live = stored.size === 0 ? pulseIds : pulseIds.filter((id) => !stored.has(id));
      const counted = live.length > 0 ? await liveTallies(sql, live, items, groupBy) : [];
      if (stored.size === 0) return counted;
      return addTallies([counted, ...[...stored.values()].map((groups) => fromStored(groups, items))]);
    },
  };
}

/**
 * Counts per group straight from the Answer rows (see `tallies`). A county's
 * round sorts tens of thousands of rows; PostgreSQL's default 4 MB work_mem
 * sends the theme pairing to disk (bench:results), so it is raised for this
 * one read-only query only.
 */
export async function liveTallies(sql: SqlExecutor, pulseIds: readonly string[], items: readonly PulseItem[], groupBy: GroupBy): Promise<GroupTally[]> {
  const scale = scaleItems(items);
  const themes = themePairs(scale);
  const params = [[...pulseIds], scale.map((i) => i.id), themes.map((t) => t.themeId), themes.map((t) => t.competence), themes.map((t) => t.importance)];
  const rows = await sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${TALLY_WORK_MEM}'`);
    return tx.query<TallyRow>(TALLY_SQL[groupBy][pulseIds.length > 1 ? 1 : 0], params);
  });
  return talliesFromRows(rows);
}

/**
 * Stores the tallies of every closed pulse in `pulseIds` that has none yet,
 * for every breakdown, from its answers and its own items — to be called in
 * the transaction that then deletes answers (retention, erasure). The pulse
 * rows are locked, so two processes cannot interleave a freeze and a delete.
 * Returns how many pulses were frozen now.
 */
export async function freezeTallies(tx: SqlExecutor, pulseIds: readonly string[]): Promise<number> {
  if (pulseIds.length === 0) return 0;
  const pulses = await tx.query<{ id: string; content: PulseContent }>(
    `SELECT id::text AS id, content FROM "Pulse" WHERE id = ANY($1::uuid[]) AND status IN ('closed', 'published') ORDER BY id FOR UPDATE`,
    [[...pulseIds]],
  );
  const stored = storedTalliesRepository(tx);
  const already = await stored.storedPulseIds(pulses.map((p) => p.id));
  let frozen = 0;
  for (const pulse of pulses) {
    if (already.has(pulse.id)) continue;
    for (const groupBy of STORED_BREAKDOWNS) {
      await stored.write(pulse.id, groupBy, toStored(await liveTallies(tx, [pulse.id], pulse.content.items, groupBy), pulse.content.items));
    }
    frozen++;
  }
  return frozen;
}

export type ResultsRepository = ReturnType<typeof resultsRepository>;

/**
 * How the people of two rounds overlap, per figure (publish-round.ts): for
 * the people ('') and each scale item and theme (`theme:<id>`), how many
 * counted in which cell in the round now and in the round before (null: not
 * in that round). Counts only; a person is matched across rounds inside the
 * query and never leaves it. null when either round has a pulse whose
 * answers are deleted (stored tallies only): then publish-round.ts assumes
 * the overlap that helps a subtracting viewer most.
 */
export async function roundOverlap(sql: SqlExecutor, now: readonly string[], before: readonly string[], items: readonly PulseItem[]): Promise<OverlapCount[] | null> {
  if (now.length === 0 || before.length === 0) return [];
  const frozen = await storedTalliesRepository(sql).storedPulseIds([...now, ...before]);
  if (frozen.size > 0) return null;
  const scale = scaleItems(items);
  // One row per person and round: their cell and which scale items they answered 1–5;
  // people are matched across the rounds here and only counts leave.
  const side = (name: string, param: string, several: boolean) => `${several ? `${name}_pick AS (${latestPulsePerPerson(param)}),` : ''}
    ${name}_p AS (
      SELECT "personId",
             coalesce(min(NULLIF("staffRole"::text, '')), '') || '|' || coalesce(min(NULLIF("schoolLevel"::text, '')), '') || '|' || coalesce(min(NULLIF("schoolId"::text, '')), '') AS g,
             coalesce(bit_or(1::bigint << (array_position($3::text[], "itemId") - 1)) FILTER (WHERE "itemId" = ANY($3::text[]) AND value BETWEEN 1 AND 5), 0) AS items
        FROM "Answer" ${several ? `JOIN ${name}_pick USING ("personId", "pulseId")` : ''}
       WHERE "pulseId" = ANY(${param}::uuid[]) AND value IS NOT NULL
       GROUP BY "personId")`;
  const ids = scale.map((i) => i.id);
  const rows = await sql.query<{ now: string | null; before: string | null; nowItems: string | number | null; beforeItems: string | number | null; n: number }>(
    `WITH ${side('n', '$1', now.length > 1)}, ${side('b', '$2', before.length > 1)}
     SELECT n.g AS now, b.g AS before, n.items AS "nowItems", b.items AS "beforeItems", count(*)::int AS n
       FROM n_p n FULL JOIN b_p b USING ("personId")
      GROUP BY 1, 2, 3, 4`,
    [[...now], [...before], ids],
  );
  // Items answered as a bit mask over the item list (bigint: text from pg, number or bigint from PGlite).
  const itemsOf = (mask: string | number | bigint | null) => (mask === null ? null : ids.filter((_, at) => (BigInt(mask) >> BigInt(at)) & 1n));
  return overlapFromPeople(rows.map((r) => ({ ...r, nowItems: itemsOf(r.nowItems), beforeItems: itemsOf(r.beforeItems) })), items);
}

/** Per figure, from people grouped by (cell now, cell before, items answered now, before): what roundOverlap returns. */
function overlapFromPeople(rows: readonly { now: string | null; before: string | null; nowItems: string[] | null; beforeItems: string[] | null; n: number }[], items: readonly PulseItem[]): OverlapCount[] {
  const themes = themePairs(scaleItems(items));
  const figures = (list: readonly string[] | null, g: string | null) => {
    if (g === null || list === null) return new Set<string>();
    const answered = new Set(list);
    return new Set(['', ...answered, ...themes.filter((t) => answered.has(t.competence) && answered.has(t.importance)).map((t) => `theme:${t.themeId}`)]);
  };
  const out = new Map<string, OverlapCount>();
  for (const r of rows) {
    const a = figures(r.nowItems, r.now);
    const b = figures(r.beforeItems, r.before);
    for (const measure of new Set([...a, ...b])) {
      const row = { measure, now: a.has(measure) ? r.now : null, before: b.has(measure) ? r.before : null, n: 0 };
      const key = JSON.stringify([row.measure, row.now, row.before]);
      (out.get(key) ?? out.set(key, row).get(key)!).n += r.n;
    }
  }
  return [...out.values()];
}

const TALLY_WORK_MEM = '32MB';

type TallyRow = { kind: 'people' | 'item' | 'theme'; g: string | null; id: string | null; value: number | null; n: number; diff: number; need: number };

const DIMENSION_SQL: Record<Exclude<GroupBy, 'cell'>, string> = { all: `'all'`, staffRole: `"staffRole"::text`, schoolLevel: `"schoolLevel"::text`, school: `"schoolId"::text` };
/** A person's group: per dimension the smallest non-empty value among their rows (as in tallyRows); a cell joins three. */
const groupSql = (by: GroupBy): string => {
  const one = (d: Exclude<GroupBy, 'cell'>) => `min(NULLIF(${DIMENSION_SQL[d]}, '')) OVER (PARTITION BY "pulseId", "personId")`;
  return by === 'cell' ? `coalesce(${one('staffRole')}, '') || '|' || coalesce(${one('schoolLevel')}, '') || '|' || coalesce(${one('school')}, '')` : one(by);
};

/**
 * Each person's latest pulse of those in the array parameter `param` that they
 * answered: the (person, pulse) pairs first (a few thousand for a county),
 * then one per person — not a sort of every answer row.
 */
const latestPulsePerPerson = (param: string) =>
  `SELECT DISTINCT ON (d."personId") d."personId", d."pulseId"
     FROM (SELECT DISTINCT "personId", "pulseId" FROM "Answer" WHERE "pulseId" = ANY(${param}::uuid[]) AND value IS NOT NULL) d
     JOIN "Pulse" p ON p.id = d."pulseId"
    ORDER BY d."personId", p."closesAt" DESC, d."pulseId" DESC`;

/**
 * One pass over the round's answers: each row gets its person's group by a
 * window, then people per group, answers per group × item × scale point, and
 * a person's two answers to a theme paired by grouping (no self-join: it
 * stays linear). With several pulses, each person counts once, with their
 * answers to the latest pulse of the round they answered (`pick`).
 */
const tallySql = (by: GroupBy, onePerson: boolean) =>
  `WITH ${
    onePerson
      ? `pick AS (
       ${latestPulsePerPerson('$1')}),
     `
      : ''
  }a AS MATERIALIZED (
       SELECT "pulseId", "personId", "itemId", value, ${groupSql(by)} AS g
         FROM "Answer" ${onePerson ? `JOIN pick USING ("personId", "pulseId")` : ''} WHERE "pulseId" = ANY($1::uuid[]) AND value IS NOT NULL)
     SELECT 'people' AS kind, g, NULL::text AS id, NULL::int AS value, count(*)::int AS n, 0 AS diff, 0 AS need
       FROM (SELECT DISTINCT "pulseId", "personId", g FROM a) p GROUP BY g
     UNION ALL
     SELECT 'item', g, "itemId", value, count(*)::int, 0, 0
       FROM a WHERE "itemId" = ANY($2::text[]) AND value BETWEEN 1 AND 5
      GROUP BY g, "itemId", value
     UNION ALL
     SELECT 'theme', g, theme, NULL, count(*)::int, sum(i - c)::int, (count(*) FILTER (WHERE c <= 2 AND i >= 4))::int
       FROM (SELECT a.g, t.theme, max(a.value) FILTER (WHERE a."itemId" = t.c) AS c, max(a.value) FILTER (WHERE a."itemId" = t.i) AS i
               FROM a JOIN unnest($3::text[], $4::text[], $5::text[]) AS t(theme, c, i) ON a."itemId" IN (t.c, t.i)
              WHERE a.value BETWEEN 1 AND 5
              GROUP BY a."pulseId", a."personId", a.g, t.theme) pairs
      WHERE c IS NOT NULL AND i IS NOT NULL
      GROUP BY g, theme`;
const GROUP_BYS: GroupBy[] = ['all', 'staffRole', 'schoolLevel', 'school', 'cell'];
const TALLY_SQL = Object.fromEntries(GROUP_BYS.map((by) => [by, [tallySql(by, false), tallySql(by, true)]])) as Record<GroupBy, [string, string]>;

function talliesFromRows(rows: readonly TallyRow[]): GroupTally[] {
  const groups = new Map<string | null, GroupTally>();
  const group = (g: string | null) => {
    const t = groups.get(g) ?? { key: g, people: 0, items: new Map(), themes: new Map() };
    groups.set(g, t);
    return t;
  };
  for (const r of rows) {
    const t = group(r.g);
    if (r.kind === 'people') t.people += r.n;
    else if (r.kind === 'item') {
      const d: Distribution = t.items.get(r.id!) ?? [0, 0, 0, 0, 0];
      d[r.value! - 1]! += r.n;
      t.items.set(r.id!, d);
    } else t.themes.set(r.id!, { n: r.n, diff: r.diff, need: r.need });
  }
  return [...groups.values()];
}
