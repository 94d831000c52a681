import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { privacyRepository } from '../../src/db/privacy-repository.ts';
import { liveTallies, resultsRepository } from '../../src/db/results-repository.ts';
import { STORED_BREAKDOWNS } from '../../src/db/stored-tallies-repository.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { aggregateTallies } from '../../src/domain/aggregate-results.ts';
import { normaliseTallies, type Breakdown, type GroupTally } from '../../src/domain/group-tally.ts';
import { SCHOOL_LEVELS } from '../../src/domain/profile.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { RETENTION_FLOOR_DAYS, retentionCutoff } from '../../src/domain/retention.ts';
import { createLogger } from '../../src/logger.ts';
import { runRetention } from '../../src/services/retention.ts';
import { makeItem as item } from '../helpers/pulse-items.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

/**
 * Retention and erasure delete answers; the stored tallies they write first
 * must make every result — per breakdown, per round, with any item list —
 * exactly what it was, also for a round mixing stored and live pulses.
 */
const ITEMS: PulseItem[] = [
  item('competence-a', 'competence', { themeId: 'a' }),
  item('importance-a', 'importance', { themeId: 'a' }),
  item('competence-b', 'competence', { themeId: 'b' }),
  item('importance-b', 'importance', { themeId: 'b' }),
  item('need-bullied', 'need', { pupilGroup: 'bullied' }),
  item('barrier-no-cover', 'barrier', { barrierCategory: 'facilitation' }),
  item('comment', 'comment', { scale: null }),
];
/** A later view asking with fewer items (another form of the template): filtered stored counts must equal live ones. */
const FEWER = [ITEMS[0]!, ITEMS[1]!, ITEMS[4]!];
const GROUP_BYS: Breakdown[] = ['all', 'staffRole', 'schoolLevel', 'school'];
const SCHOOLS = [randomUUID(), randomUUID()];

type Person = { role: string | null; level: string | null; school: string | null; pulse: number; answers: (number | null | 'none')[]; comment: boolean };
const person = fc.record({
  role: fc.constantFrom<(string | null)[]>('teacher', 'child_youth_worker', 'sfo_leader', null),
  level: fc.constantFrom<(string | null)[]>(...SCHOOL_LEVELS.slice(0, 2), null),
  school: fc.constantFrom<(string | null)[]>(...SCHOOLS, null),
  pulse: fc.integer({ min: 0, max: 2 }),
  answers: fc.tuple(...ITEMS.slice(0, 6).map(() => fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<number | null | 'none'> }, fc.constant(null), fc.constant('none' as const)))),
  comment: fc.boolean(),
});

const plain = (ts: GroupTally[], by: Breakdown) =>
  normaliseTallies(ts, by).map((t) => ({ key: t.key, people: t.people, items: Object.fromEntries([...t.items].sort()), themes: Object.fromEntries([...t.themes].sort()) }));

const NOW = new Date('2029-06-01T10:00:00Z');
const OLD = new Date(NOW.getTime() - (730 + 5) * 86_400_000);
const RECENT = new Date(NOW.getTime() - 30 * 86_400_000);

describe('answer retention and stored tallies', () => {
  let db: Database;
  let deps: Deps;
  let tenantId: string;
  let unitId: string;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    const config = loadConfig({ LOG_LEVEL: 'info', ANSWER_RETENTION_DAYS: '730' });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    deps = createDeps(config, db, createLogger('info', sink), () => NOW);
    tenantId = (await db.sql.query<{ id: string }>(`INSERT INTO "Tenant" (id, "teamsTenantId") VALUES (gen_random_uuid(), 'retention-test') RETURNING id`))[0]!.id;
    unitId = (await db.sql.query<{ id: string }>(`INSERT INTO "OrgUnit" (id, "tenantId", kind, name, "updatedAt") VALUES (gen_random_uuid(), $1, 'school', 'Testskolen', now()) RETURNING id`, [tenantId]))[0]!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Three pulses of one template: two closed long ago (a round), one closed recently. */
  async function writePulses(people: Person[]): Promise<string[]> {
    const pulseIds = [randomUUID(), randomUUID(), randomUUID()];
    const closes = [OLD, new Date(OLD.getTime() - 86_400_000), RECENT];
    for (const [i, id] of pulseIds.entries()) {
      await db.sql.query(
        `INSERT INTO "Pulse" (id, "tenantId", "unitId", "templateId", "bankVersion", content, status, "opensAt", "closesAt", "updatedAt")
         VALUES ($1, $2, $3, 't', '1', $4::jsonb, 'published', $5, $5, now())`,
        [id, tenantId, unitId, JSON.stringify({ templateId: 't', bankVersion: '1', title: { nb: 't', nn: 't', en: 't' }, purpose: { nb: '', nn: '', en: '' }, items: ITEMS }), closes[i]],
      );
    }
    for (const p of people) {
      const personId = (await db.sql.query<{ id: string }>(`INSERT INTO "Person" (id, "tenantId", "updatedAt") VALUES (gen_random_uuid(), $1, now()) RETURNING id`, [tenantId]))[0]!.id;
      const rows = ITEMS.slice(0, 6).flatMap((it, i) => (p.answers[i] === 'none' ? [] : [{ item: it.id, value: p.answers[i] as number | null, comment: null as string | null }]));
      if (p.comment) rows.push({ item: 'comment', value: null, comment: 'en kommentar' });
      for (const r of rows) {
        await db.sql.query(
          `INSERT INTO "Answer" ("pulseId", "personId", "itemId", value, comment, "staffRole", "schoolLevel", "schoolId", "answeredAt", "updatedAt")
           VALUES ($1, $2, $3, $4, $5, $6::"StaffRole", $7::"SchoolLevel", $8, now(), now())`,
          [pulseIds[p.pulse], personId, r.item, r.value, r.comment, p.role, p.level, p.school],
        );
      }
    }
    return pulseIds;
  }

  /** Everything a view could ask for: each pulse, the round, the round plus the recent pulse; every breakdown; two item lists; and the anonymous results. */
  async function snapshot(pulseIds: string[], k: number) {
    const repo = resultsRepository(db.sql);
    const out: unknown[] = [];
    for (const set of [[pulseIds[0]!], [pulseIds[1]!], [pulseIds[0]!, pulseIds[1]!], pulseIds]) {
      for (const items of [ITEMS, FEWER]) {
        for (const by of GROUP_BYS) {
          const tallies = await repo.tallies(set, items, by);
          out.push(plain(tallies, by), aggregateTallies(tallies, items, by, k));
        }
      }
    }
    return out;
  }

  const answersIn = async (pulseId: string) => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Answer" WHERE "pulseId" = $1`, [pulseId]))[0]!.n;

  it('results are identical before and after retention; old answers and comments are gone, recent ones stay', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 24 }), fc.integer({ min: 3, max: 5 }), async (people, k) => {
        await db.sql.query(`DELETE FROM "Pulse" WHERE "tenantId" = $1`, [tenantId]);
        const pulseIds = await writePulses(people);
        const before = await snapshot(pulseIds, k);
        const recentBefore = await answersIn(pulseIds[2]!);
        await runRetention(deps);
        expect(await answersIn(pulseIds[0]!)).toBe(0);
        expect(await answersIn(pulseIds[1]!)).toBe(0);
        expect(await answersIn(pulseIds[2]!)).toBe(recentBefore);
        expect(await snapshot(pulseIds, k)).toEqual(before);
        // The old pulses' rows really are gone: counting them live finds nothing.
        expect(await liveTallies(db.sql, [pulseIds[0]!, pulseIds[1]!], ITEMS, 'all')).toEqual([]);
        runs++;
      }),
      { numRuns: 12 },
    );
    expect(runs).toBe(12);
    expect(await db.sql.query(`SELECT 1 FROM "Answer" a JOIN "Pulse" p ON p.id = a."pulseId" WHERE p."closesAt" < $1 AND a.comment IS NOT NULL`, [OLD.toISOString()])).toEqual([]);
  });

  it('is idempotent, audited per tenant and logs counts only', async () => {
    await db.sql.query(`DELETE FROM "Pulse" WHERE "tenantId" = $1`, [tenantId]);
    await db.sql.query(`DELETE FROM "AuditEntry" WHERE "tenantId" = $1`, [tenantId]);
    const people: Person[] = Array.from({ length: 6 }, (_, i) => ({ role: 'teacher', level: null, school: null, pulse: i % 3, answers: [4, 5, 2, 4, 3, 5], comment: i === 0 }));
    const pulseIds = await writePulses(people);
    logLines.length = 0;
    const first = await runRetention(deps);
    expect(first).toEqual([{ tenantId, pulses: 2, answers: 4 * 6 + 1, comments: 1, frozenPulses: 2 }]);
    expect(await runRetention(deps)).toEqual([]);
    const audit = await db.prisma.auditEntry.findMany({ where: { tenantId, action: 'answers.retention' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ days: 730, pulses: 2, answers: 25, comments: 1, frozenPulses: 2 });
    expect(audit[0]!.actorId).toBeNull();
    expect(JSON.stringify(logLines)).not.toContain('en kommentar');
    expect(logLines.filter((l) => l.msg === 'answer retention ran').map((l) => l.answers)).toEqual([25, 0]);
    // Stored once per pulse and breakdown (and per cell, which every view is published from); the recent pulse has none and is still counted live.
    expect(await db.prisma.pulseTally.count({ where: { pulseId: { in: pulseIds } } })).toBe(2 * STORED_BREAKDOWNS.length);
  });

  it('erasure stores the counts of closed pulses only once, even if retention comes later', async () => {
    await db.sql.query(`DELETE FROM "Pulse" WHERE "tenantId" = $1`, [tenantId]);
    const people: Person[] = Array.from({ length: 9 }, (_, i) => ({ role: i < 5 ? 'teacher' : null, level: null, school: null, pulse: i % 3, answers: [i % 5 + 1, 5, 2, 4, 3, 5], comment: true }));
    const pulseIds = await writePulses(people);
    const before = await snapshot(pulseIds, 3);
    const someone = (await db.sql.query<{ personId: string }>(`SELECT "personId"::text AS "personId" FROM "Answer" WHERE "pulseId" = $1 LIMIT 1`, [pulseIds[2]]))[0]!.personId;
    const counts = await privacyRepository(db.prisma, db.sql).erase(someone);
    expect(counts).toMatchObject({ answers: 7, comments: 1, person: 1, frozenPulses: 1 });
    expect(await snapshot(pulseIds, 3)).toEqual(before);
    await runRetention(deps);
    expect(await snapshot(pulseIds, 3)).toEqual(before);
  });

  it('ANSWER_RETENTION_DAYS defaults to 730 and is never below the floor', () => {
    expect(loadConfig({}).retention.answerDays).toBe(730);
    expect(loadConfig({ ANSWER_RETENTION_DAYS: '1000' }).retention.answerDays).toBe(1000);
    expect(() => loadConfig({ ANSWER_RETENTION_DAYS: String(RETENTION_FLOOR_DAYS - 1) })).toThrow(ConfigError);
    expect(() => loadConfig({ ANSWER_RETENTION_DAYS: 'to år' })).toThrow(/ANSWER_RETENTION_DAYS/);
    expect(retentionCutoff(NOW, 730).getTime()).toBe(NOW.getTime() - 730 * 86_400_000);
    expect(retentionCutoff(NOW, 10).getTime()).toBe(NOW.getTime() - RETENTION_FLOOR_DAYS * 86_400_000);
  });
});
