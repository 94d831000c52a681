import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { resultsRepository, roundOverlap } from '../../src/db/results-repository.ts';
import { aggregate, aggregateTallies } from '../../src/domain/aggregate-results.ts';
import { normaliseTallies, overlapOfRows, tallyRows, type AnswerRow, type Breakdown, type GroupTally } from '../../src/domain/group-tally.ts';
import type { OverlapCount } from '../../src/domain/publish-round.ts';
import { SCHOOL_LEVELS } from '../../src/domain/profile.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { makeItem } from '../helpers/pulse-items.ts';

/**
 * The database computes the tallies in SQL; the domain's tallyRows is the
 * specification. Random rounds are written to the real database and both are
 * compared group by group, for every breakdown.
 */

const item = makeItem;
const ITEMS: PulseItem[] = [
  item('competence-a', 'competence', { themeId: 'a' }),
  item('importance-a', 'importance', { themeId: 'a' }),
  item('competence-b', 'competence', { themeId: 'b' }),
  item('importance-b', 'importance', { themeId: 'b' }),
  item('need-bullied', 'need', { pupilGroup: 'bullied' }),
  item('barrier-no-cover', 'barrier', { barrierCategory: 'facilitation' }),
  item('comment', 'comment', { scale: null }),
];
const GROUP_BYS: Breakdown[] = ['all', 'staffRole', 'schoolLevel', 'school'];
const SCHOOLS = [randomUUID(), randomUUID(), randomUUID()];

type Person = { role: string | null; level: string | null; school: string | null; pulse: number; answers: (number | null | 'none')[] };
const person = fc.record({
  role: fc.constantFrom<(string | null)[]>('teacher', 'child_youth_worker', 'school_assistant', 'sfo_leader', null),
  level: fc.constantFrom<(string | null)[]>(...SCHOOL_LEVELS, null),
  school: fc.constantFrom<(string | null)[]>(...SCHOOLS, null),
  /** 0 or 1: one of the round's two pulses (one per unit); 2: both, e.g. a member of two schools. */
  pulse: fc.integer({ min: 0, max: 2 }),
  answers: fc.tuple(...ITEMS.map(() => fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<number | null | 'none'> }, fc.constant(null), fc.constant('none' as const)))),
});

/** Tallies as plain, ordered data, so two sets compare with toEqual. */
const plain = (ts: GroupTally[], by: Breakdown) =>
  normaliseTallies(ts, by).map((t) => ({ key: t.key, people: t.people, items: Object.fromEntries([...t.items].sort()), themes: Object.fromEntries([...t.themes].sort()) }));

describe('results tallies in SQL', () => {
  let db: Database;
  let tenantId: string;
  let unitId: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    tenantId = (await db.sql.query<{ id: string }>(`INSERT INTO "Tenant" (id, "teamsTenantId") VALUES (gen_random_uuid(), 'tally-test') RETURNING id`))[0]!.id;
    unitId = (await db.sql.query<{ id: string }>(`INSERT INTO "OrgUnit" (id, "tenantId", kind, name, "updatedAt") VALUES (gen_random_uuid(), $1, 'school', 'Testskolen', now()) RETURNING id`, [tenantId]))[0]!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  /**
   * Writes one round (two pulses, the second closing an hour later) and
   * returns its pulse ids and the rows as the domain sees them: someone who
   * answered both counts once, with the later pulse's answers (the earlier
   * are written as 6 − v, so a mix-up shows). `byPulse` are each pulse's own
   * rows, with the person as personKey, for the overlap of two rounds.
   */
  async function writeRound(people: Person[]): Promise<{ pulseIds: string[]; rows: AnswerRow[]; byPulse: [AnswerRow[], AnswerRow[]] }> {
    const pulseIds = [randomUUID(), randomUUID()];
    for (const [at, id] of pulseIds.entries()) {
      await db.sql.query(
        `INSERT INTO "Pulse" (id, "tenantId", "unitId", "templateId", "bankVersion", content, status, "opensAt", "closesAt", "updatedAt")
         VALUES ($1, $2, $3, 't', '1', '{}'::jsonb, 'published', now(), now() + $4::int * interval '1 hour', now())`,
        [id, tenantId, unitId, at],
      );
    }
    const cols: { pulse: string[]; person: string[]; item: string[]; value: (number | null)[]; role: (string | null)[]; level: (string | null)[]; school: (string | null)[] } = { pulse: [], person: [], item: [], value: [], role: [], level: [], school: [] };
    const rows: AnswerRow[] = [];
    const byPulse: [AnswerRow[], AnswerRow[]] = [[], []];
    for (const p of people) {
      const personId = (await db.sql.query<{ id: string }>(`INSERT INTO "Person" (id, "tenantId", "updatedAt") VALUES (gen_random_uuid(), $1, now()) RETURNING id`, [tenantId]))[0]!.id;
      for (const at of p.pulse === 2 ? [0, 1] : [p.pulse]) {
        ITEMS.forEach((it, i) => {
          const answer = p.answers[i]!;
          if (answer === 'none') return;
          const value = answer === null ? null : p.pulse === 2 && at === 0 ? 6 - answer : answer;
          cols.pulse.push(pulseIds[at]!);
          cols.person.push(personId);
          cols.item.push(it.id);
          cols.value.push(value);
          cols.role.push(p.role);
          cols.level.push(p.level);
          cols.school.push(p.school);
          const row = { personKey: personId, itemId: it.id, value, staffRole: p.role, schoolLevel: p.level, schoolId: p.school };
          byPulse[at as 0 | 1].push(row);
          if (p.pulse !== 2 || at === 1) rows.push(row);
        });
      }
    }
    await db.sql.query(
      `INSERT INTO "Answer" ("pulseId", "personId", "itemId", value, "staffRole", "schoolLevel", "schoolId", "answeredAt", "updatedAt")
       SELECT p, r, i, v, s::"StaffRole", l::"SchoolLevel", sc, now(), now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::uuid[]) AS t(p, r, i, v, s, l, sc)`,
      [cols.pulse, cols.person, cols.item, cols.value, cols.role, cols.level, cols.school],
    );
    return { pulseIds, rows, byPulse };
  }

  it('equal the domain tallies of the same rows for every breakdown, and so give the same anonymous results', async () => {
    const repo = resultsRepository(db.sql);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 30 }), fc.integer({ min: 3, max: 6 }), async (people, k) => {
        const { pulseIds, rows, byPulse } = await writeRound(people);
        for (const by of GROUP_BYS) {
          const fromSql = await repo.tallies(pulseIds, ITEMS, by);
          expect(plain(fromSql, by)).toEqual(plain(tallyRows(rows, ITEMS, by), by));
          expect(aggregateTallies(fromSql, ITEMS, by, k)).toEqual(aggregate(rows, ITEMS, by, k));
          checked += 1;
        }
        // The cells every view is published from: raw keys, as tallyRows makes them.
        const raw = (ts: GroupTally[]) => ts.map((t) => ({ key: t.key, people: t.people, items: Object.fromEntries([...t.items].sort()), themes: Object.fromEntries([...t.themes].sort()) })).sort((a, b) => (a.key! < b.key! ? -1 : 1));
        expect(raw(await repo.tallies(pulseIds, ITEMS, 'cell'))).toEqual(raw(tallyRows(rows, ITEMS, 'cell')));
        // Each pulse as a round of its own, against the other: who answered both, matched in SQL.
        const sort = (xs: OverlapCount[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
        expect(sort((await roundOverlap(db.sql, [pulseIds[1]!], [pulseIds[0]!], ITEMS))!)).toEqual(sort(overlapOfRows(byPulse[1], byPulse[0], ITEMS)));
      }),
      { numRuns: 25 },
    );
    expect(checked).toBe(25 * GROUP_BYS.length);
  });

  it('count only the pulses asked for, and nothing for none', async () => {
    const repo = resultsRepository(db.sql);
    const answer = [4, 5, 2, 4, 3, 5, null] as const;
    const a = await writeRound([{ role: 'teacher', level: null, school: null, pulse: 0, answers: [...answer] }]);
    await writeRound([{ role: 'teacher', level: null, school: null, pulse: 0, answers: [...answer] }]);
    const [all] = normaliseTallies(await repo.tallies([a.pulseIds[0]!], ITEMS, 'all'), 'all');
    expect(all).toMatchObject({ key: 'all', people: 1 });
    expect(all!.items.get('competence-a')).toEqual([0, 0, 0, 1, 0]);
    expect(all!.themes.get('b')).toEqual({ n: 1, diff: 2, need: 1 });
    expect(await repo.tallies([], ITEMS, 'staffRole')).toEqual([]);
  });
});
