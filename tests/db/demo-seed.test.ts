import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import {
  chooseDemoTenant,
  DEMO_EXTERNAL_PREFIX,
  DEMO_PULSES,
  DEMO_SCHOOLS,
  FACILITATION_ECONOMY_ITEMS,
  generateDemoData,
  PLAYGROUND_TENANT_ID,
  seedDemoData,
  summarizeDemoData,
  type SeedResult,
} from '../../src/db/demo-data.ts';
import { directoryRepository } from '../../src/db/directory-repository.ts';
import type { SqlExecutor } from '../../src/db/sql-executor.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const NOW = new Date('2025-03-12T09:00:00Z');
const EXPECTED_PEOPLE = DEMO_SCHOOLS.reduce((n, s) => n + Object.values(s.staff).reduce((a, b) => a + (b ?? 0), 0), 0) + 1;

async function tableCounts(sql: SqlExecutor): Promise<Record<string, number>> {
  const tables = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = row!.n;
  }
  return counts;
}

/** A fingerprint of every answer, to compare runs. */
async function answerFingerprint(sql: SqlExecutor): Promise<string> {
  const [row] = await sql.query<{ f: string }>(
    `SELECT md5(string_agg("pulseId"::text || "personId"::text || "itemId" || coalesce(value::text, '') || coalesce(comment, ''), ',' ORDER BY "pulseId", "personId", "itemId")) AS f FROM "Answer"`,
  );
  return row!.f;
}

async function meanValue(sql: SqlExecutor, itemId: string, roles: string[]): Promise<{ mean: number; n: number }> {
  const [row] = await sql.query<{ mean: number; n: number }>(
    `SELECT avg(value)::float AS mean, count(*)::int AS n FROM "Answer" WHERE "itemId" = $1 AND "staffRole"::text = ANY($2::text[]) AND value IS NOT NULL`,
    [itemId, roles],
  );
  return row!;
}

describe('demo seed', () => {
  let db: Database;
  let first: SeedResult;
  let tenantId: string;
  let seedMs = 0;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('picks the Agents Playground tenant in an empty database', async () => {
    expect(await chooseDemoTenant(db.prisma, undefined)).toEqual({ teamsTenantId: PLAYGROUND_TENANT_ID });
    expect(await chooseDemoTenant(db.prisma, 'abc')).toEqual({ teamsTenantId: 'abc' });
  });

  it('seeds the municipality, its schools, people, roles and pulses', async () => {
    const started = performance.now();
    first = await seedDemoData(db.prisma, { teamsTenantId: PLAYGROUND_TENANT_ID, now: NOW });
    seedMs = performance.now() - started;
    expect(first.kind).toBe('created');
    if (first.kind !== 'created') return;
    expect(first.tenantCreated).toBe(true);
    tenantId = first.tenantId;

    const units = await db.prisma.orgUnit.findMany({ where: { tenantId, externalId: { startsWith: DEMO_EXTERNAL_PREFIX } } });
    expect(units.filter((u) => u.kind === 'municipality').map((u) => u.name)).toEqual(['Fjordvik kommune']);
    const schools = units.filter((u) => u.kind === 'school');
    expect(schools.map((s) => s.name).sort()).toEqual(['Fjordvik ungdomsskole', 'Fjordvik vgs', 'Lia skole', 'Nordvik skole']);
    const root = await db.prisma.orgUnit.findFirstOrThrow({ where: { tenantId, kind: 'organisation' } });
    expect(units.find((u) => u.kind === 'municipality')!.parentId).toBe(root.id);

    const people = await db.prisma.person.findMany({ where: { tenantId } });
    expect(people).toHaveLength(EXPECTED_PEOPLE);
    expect(first.summary.people).toBe(EXPECTED_PEOPLE);
    for (const p of people) {
      expect(p.email).toMatch(/^[a-z-]+\.[a-z-]+\d*@fjordvik\.kommune\.no$/);
      expect(p.name).toMatch(/^\S+ \S+$/);
      expect(p.staffRole).not.toBeNull();
      expect(p.profileSavedAt).not.toBeNull();
    }
    expect(new Set(people.map((p) => p.email)).size).toBe(people.length);
    const vgs = schools.find((s) => s.name === 'Fjordvik vgs')!;
    const vgsLevels = await db.prisma.person.groupBy({ by: ['schoolLevel'], where: { memberships: { some: { unitId: vgs.id } } }, _count: true });
    expect(vgsLevels.map((l) => l.schoolLevel).sort()).toEqual(['vgs_studieforberedende', 'vgs_yrkesfag']);
    expect(await db.prisma.membership.count({ where: { person: { tenantId } } })).toBe(EXPECTED_PEOPLE);

    const roles = await db.prisma.roleAssignment.findMany({ where: { person: { tenantId } }, include: { unit: true, person: true } });
    expect(roles.filter((r) => r.role === 'leader').map((r) => r.unit.kind)).toEqual(['school', 'school', 'school', 'school']);
    expect(new Set(roles.filter((r) => r.role === 'leader').map((r) => r.unitId)).size).toBe(4);
    expect(roles.every((r) => r.role !== 'leader' || r.person.staffRole === 'leader')).toBe(true);
    expect(roles.filter((r) => r.role === 'coordinator').map((r) => r.unit.name)).toEqual(['Fjordvik kommune']);
    // No admin: the first person to talk to the bot must still become admin.
    expect(roles.some((r) => r.role === 'admin')).toBe(false);

    const pulses = await db.prisma.pulse.findMany({ where: { tenantId } });
    expect(pulses).toHaveLength(DEMO_SCHOOLS.length * DEMO_PULSES.length);
    for (const school of schools) {
      const own = pulses.filter((p) => p.unitId === school.id);
      expect(own.map((p) => p.templateId).sort()).toEqual(['elevgrupper-1', 'hindringer-tilrettelegging', 'laringsmiljo-1', 'laringsmiljo-1']);
      const opens = own.map((p) => p.opensAt.getTime());
      expect(new Set(opens).size).toBe(own.length);
    }
    for (const p of pulses) {
      expect(p.status).toBe('published');
      expect(p.planId).toBeNull();
      expect(p.closesAt.getTime()).toBeLessThan(NOW.getTime());
      expect(p.opensAt.getTime()).toBeLessThan(p.closesAt.getTime());
      expect((p.content as { items: unknown[] }).items.length).toBeGreaterThan(0);
    }
    const trend = pulses.filter((p) => p.templateId === 'laringsmiljo-1').map((p) => p.opensAt.getTime());
    expect(Math.max(...trend) - Math.min(...trend)).toBeGreaterThan(60 * 86_400_000);

    const recipients = await db.prisma.pulseRecipient.count({ where: { pulse: { tenantId } } });
    const answered = await db.prisma.pulseRecipient.count({ where: { pulse: { tenantId }, answeredAt: { not: null } } });
    expect(recipients).toBe(first.summary.recipients);
    expect(answered / recipients).toBeGreaterThan(0.7);
    expect(answered / recipients).toBeLessThan(0.8);
    expect(await db.prisma.outbox.count({ where: { tenantId, kind: 'pulse', status: 'sent' } })).toBe(recipients);
    expect(await db.prisma.outbox.count({ where: { tenantId, status: { not: 'sent' } } })).toBe(0);
    // Reminders went only to people who had not answered when they were sent.
    const reminders = await db.prisma.outbox.count({ where: { tenantId, kind: 'reminder' } });
    expect(reminders).toBe(first.summary.reminders);
    expect(reminders).toBeGreaterThan(recipients - answered);
    const [early] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Outbox" o JOIN "PulseRecipient" r ON r."pulseId" = o."pulseId" AND r."personId" = o."personId"
       WHERE o.kind = 'reminder' AND r."answeredAt" < o."sentAt"`,
    );
    expect(early!.n).toBe(0);

    expect(await db.prisma.answer.count({ where: { pulse: { tenantId } } })).toBe(first.summary.answers);
    expect(await db.prisma.answer.count({ where: { OR: [{ schoolId: null }, { staffRole: null }] } })).toBe(0);
    // Every answer belongs to someone who answered, at that time, inside the window.
    const [bad] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Answer" a JOIN "PulseRecipient" r ON r."pulseId" = a."pulseId" AND r."personId" = a."personId" JOIN "Pulse" p ON p.id = a."pulseId"
       WHERE r."answeredAt" IS DISTINCT FROM a."answeredAt" OR a."answeredAt" < p."opensAt" OR a."answeredAt" > p."closesAt"`,
    );
    expect(bad!.n).toBe(0);
    const comments = await db.prisma.answer.findMany({ where: { comment: { not: null } }, select: { comment: true, value: true } });
    expect(comments.length).toBeGreaterThan(20);
    expect(comments.every((c) => c.value === null && c.comment!.length < 120)).toBe(true);
  });

  it('has staff groups of 1–4 people, which results must suppress', async () => {
    const groups = await db.sql.query<{ school: string; role: string; n: number }>(
      `SELECT u.name AS school, p."staffRole"::text AS role, count(*)::int AS n FROM "Person" p
       JOIN "Membership" m ON m."personId" = p.id JOIN "OrgUnit" u ON u.id = m."unitId" AND u.kind = 'school'
       GROUP BY u.name, p."staffRole"`,
    );
    const small = groups.filter((g) => g.n >= 1 && g.n <= 4);
    expect(small.length).toBeGreaterThan(0);
    expect(small.some((g) => g.role === 'sfo_leader' && g.n === 1)).toBe(true);
    expect(groups.filter((g) => g.role === 'teacher').every((g) => g.n >= 20 && g.n <= 35)).toBe(true);
  });

  it('reproduces the seeds: BUA and assistants rate their competence lower than teachers', async () => {
    for (const itemId of ['competence-digitale-krenkelser', 'competence-sarbare-elever']) {
      const env = await meanValue(db.sql, itemId, ['child_youth_worker', 'school_assistant']);
      const teachers = await meanValue(db.sql, itemId, ['teacher']);
      expect(env.n).toBeGreaterThan(20);
      expect(env.mean).toBeLessThan(teachers.mean - 0.3);
    }
    const envImportance = await meanValue(db.sql, 'importance-digitale-krenkelser', ['child_youth_worker', 'school_assistant']);
    const teacherImportance = await meanValue(db.sql, 'importance-digitale-krenkelser', ['teacher']);
    expect(envImportance.mean).toBeGreaterThan(teacherImportance.mean);
  });

  it('reproduces the seeds: 55–60 % agree that money, leave and cover hinder them', async () => {
    const [row] = await db.sql.query<{ share: number; n: number }>(
      `SELECT avg(CASE WHEN value >= 4 THEN 1.0 ELSE 0.0 END)::float AS share, count(*)::int AS n FROM "Answer" WHERE "itemId" = ANY($1::text[])`,
      [FACILITATION_ECONOMY_ITEMS],
    );
    expect(row!.n).toBeGreaterThan(300);
    expect(row!.share).toBeGreaterThanOrEqual(0.5);
    expect(row!.share).toBeLessThanOrEqual(0.65);
    if (first.kind === 'created') expect(first.summary.facilitationAgreeShare).toBeCloseTo(row!.share, 6);
  });

  it('reproduces the seeds: vocational staff report more need than general studies', async () => {
    const [row] = await db.sql.query<{ yrkesfag: number; studie: number }>(
      `SELECT avg(value) FILTER (WHERE "schoolLevel" = 'vgs_yrkesfag')::float AS yrkesfag, avg(value) FILTER (WHERE "schoolLevel" = 'vgs_studieforberedende')::float AS studie
       FROM "Answer" WHERE "itemId" LIKE 'need-%'`,
    );
    expect(row!.yrkesfag).toBeGreaterThan(row!.studie);
  });

  it('does not duplicate on a second run without --reset', async () => {
    const before = await tableCounts(db.sql);
    const again = await seedDemoData(db.prisma, { teamsTenantId: PLAYGROUND_TENANT_ID, now: NOW });
    expect(again).toMatchObject({ kind: 'exists', existing: { units: 5, people: EXPECTED_PEOPLE, pulses: 16 } });
    expect(await tableCounts(db.sql)).toEqual(before);
  });

  it('--reset replaces the demo data with the same data and leaves everything else alone', async () => {
    const directory = directoryRepository(db.prisma, { minGroupSize: 5 });
    const tenant = await directory.ensureTenant(PLAYGROUND_TENANT_ID);
    const playgroundUser = await directory.upsertPerson(tenant.id, { teamsUserId: 'user-id-0', name: 'Alex Wilber' });
    expect(await directory.grantAdminIfFirst(tenant, playgroundUser.id)).toBe(true);
    const municipality = await db.prisma.orgUnit.findFirstOrThrow({ where: { tenantId, name: 'Fjordvik kommune' } });
    await directory.grantRole(playgroundUser.id, municipality.id, 'leader', playgroundUser.id);

    const fingerprint = await answerFingerprint(db.sql);
    const before = await tableCounts(db.sql);
    const reset = await seedDemoData(db.prisma, { teamsTenantId: PLAYGROUND_TENANT_ID, now: NOW, reset: true });
    expect(reset).toMatchObject({ kind: 'created', tenantCreated: false, removed: { units: 5, people: EXPECTED_PEOPLE, pulses: 16 } });
    const after = await tableCounts(db.sql);
    // Same rows again, minus the role given on the old (deleted) municipality, plus one more audit entry.
    expect(after).toEqual({ ...before, RoleAssignment: before.RoleAssignment! - 1, AuditEntry: before.AuditEntry! + 1 });
    expect(await answerFingerprint(db.sql)).toBe(fingerprint);
    const still = await db.prisma.person.findUniqueOrThrow({ where: { id: playgroundUser.id }, include: { roles: true } });
    expect(still.roles.map((r) => r.role)).toEqual(['admin']);
  });

  it('uses the only tenant, and asks when there are several', async () => {
    expect(await chooseDemoTenant(db.prisma, undefined)).toEqual({ teamsTenantId: PLAYGROUND_TENANT_ID });
    await directoryRepository(db.prisma, { minGroupSize: 5 }).ensureTenant('other-tenant');
    const choice = await chooseDemoTenant(db.prisma, undefined);
    expect('error' in choice && choice.error).toContain('--tenant');
  });

  it('seeds a second tenant without clashing with the first', async () => {
    const other = await seedDemoData(db.prisma, { teamsTenantId: 'other-tenant', now: NOW });
    expect(other.kind).toBe('created');
    expect(await db.prisma.person.count({ where: { tenant: { teamsTenantId: 'other-tenant' } } })).toBe(EXPECTED_PEOPLE);
  });

  it('is fast', () => {
    console.log(`demo seed took ${Math.round(seedMs)} ms (${db.backend})`);
    expect(seedMs).toBeLessThan(20_000);
  });
});

describe('demo data generator', () => {
  it('is deterministic, and the values do not depend on the tenant', () => {
    const a = generateDemoData({ namespace: 't1', rootUnitId: 'root', now: NOW });
    const b = generateDemoData({ namespace: 't1', rootUnitId: 'root', now: NOW });
    const c = generateDemoData({ namespace: 't2', rootUnitId: 'root', now: NOW });
    expect(b).toEqual(a);
    expect(c.people[5]!.id).not.toBe(a.people[5]!.id);
    expect(c.people.map((p) => p.name)).toEqual(a.people.map((p) => p.name));
    expect(c.answers.map((x) => x.value)).toEqual(a.answers.map((x) => x.value));
    expect(summarizeDemoData(c)).toEqual(summarizeDemoData(a));
  });

  it('keeps pulses out of the summer and Christmas holidays, newest last', () => {
    for (const now of ['2025-01-08', '2025-08-27', '2025-09-10', '2025-12-22'].map((d) => new Date(`${d}T10:00:00Z`))) {
      const data = generateDemoData({ namespace: 't', rootUnitId: 'root', now });
      for (const p of data.pulses) {
        expect(p.closesAt.getTime()).toBeLessThan(now.getTime());
        for (let t = p.opensAt.getTime(); t <= p.closesAt.getTime(); t += 86_400_000) {
          const md = new Date(t).toISOString().slice(5, 10);
          expect(md >= '06-15' && md <= '08-15').toBe(false);
          expect(md >= '12-18' || md <= '01-03').toBe(false);
        }
      }
    }
  });
});
