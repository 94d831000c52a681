import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { directoryRepository, type TenantRecord } from '../../src/db/directory-repository.ts';
import { applyRosterPlan, loadRosterState, RosterApplyError } from '../../src/db/roster-repository.ts';
import { parseRosterCsv } from '../../src/domain/roster-csv.ts';
import { isEmptyPlan, planRosterImport, type RosterPlan } from '../../src/domain/roster-plan.ts';
import { scriptRunner, tableCounts } from '../helpers/cli-script.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const GOOD = 'tests/fixtures/roster/good.csv';
const BAD = 'tests/fixtures/roster/bad.csv';
const read = (file: string) => fs.readFileSync(file, 'utf8');

async function planFor(db: Database, tenant: TenantRecord, file: string) {
  const parsed = parseRosterCsv(read(file));
  const plan = planRosterImport(parsed.rows, await loadRosterState(db.prisma, tenant.id));
  return { parsed, plan };
}

describe('roster import into the database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  const tenantFor = (id: string) => directoryRepository(db.prisma, { minGroupSize: 5 }).ensureTenant(id);

  it('applies good.csv: kommune under the root, schools under the kommune, people, memberships and roles', async () => {
    const tenant = await tenantFor('tenant-good');
    const { parsed, plan } = await planFor(db, tenant, GOOD);
    expect(parsed.errors).toEqual([]);
    const counts = await applyRosterPlan(db.prisma, tenant, plan);
    expect(counts).toMatchObject({ unitsCreated: 3, peopleCreated: 12, membershipsAdded: 12, rolesAdded: 3 });

    const units = await db.prisma.orgUnit.findMany({ where: { tenantId: tenant.id }, orderBy: { name: 'asc' } });
    const kommune = units.find((u) => u.kind === 'municipality')!;
    expect(kommune).toMatchObject({ name: 'Fjordvik kommune', parentId: tenant.rootUnitId, externalId: 'municipality:fjordvik kommune' });
    expect(units.filter((u) => u.kind === 'school').map((u) => [u.name, u.parentId, u.schoolLevel, u.externalId])).toEqual([
      ['Fjordvik barneskole', kommune.id, 'barnetrinn', 'school:fjordvik barneskole'],
      ['Fjordvik ungdomsskole', kommune.id, 'ungdomstrinn', 'school:fjordvik ungdomsskole'],
    ]);

    const aisha = await db.prisma.person.findUniqueOrThrow({
      where: { tenantId_email: { tenantId: tenant.id, email: 'aisha.ali@fjordvik.example.no' } },
      include: { memberships: { include: { unit: true } } },
    });
    expect(aisha).toMatchObject({ name: 'Aisha Ali', staffRole: 'child_youth_worker' });
    expect(aisha.memberships.map((m) => [m.unit.name, m.source])).toEqual([['Fjordvik barneskole', 'import']]);
    // The email is stored lowercased.
    expect(await db.prisma.person.count({ where: { tenantId: tenant.id, email: 'mona.lie@fjordvik.example.no' } })).toBe(1);

    const roles = await db.prisma.roleAssignment.findMany({ where: { unit: { tenantId: tenant.id } }, include: { person: true, unit: true }, orderBy: { role: 'asc' } });
    expect(roles.map((r) => [r.person.email, r.role, r.unit.name]).sort()).toEqual([
      ['lise.strand@fjordvik.example.no', 'leader', 'Fjordvik ungdomsskole'],
      ['mona.lie@fjordvik.example.no', 'coordinator', 'Fjordvik ungdomsskole'],
      ['per.rektor@fjordvik.example.no', 'leader', 'Fjordvik barneskole'],
    ]);

    const audit = await db.prisma.auditEntry.findMany({ where: { tenantId: tenant.id, action: 'roster.imported' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ unitsCreated: 3, peopleCreated: 12, membershipsAdded: 12, rolesAdded: 3 });
    // Counts only: no names or addresses in the audit trail.
    expect(JSON.stringify(audit[0]!.details)).not.toMatch(/@|Fjordvik|Aisha/);

    // Importing the same file again plans nothing and writes nothing.
    const before = await tableCounts(db.sql);
    const again = await planFor(db, tenant, GOOD);
    expect(isEmptyPlan(again.plan)).toBe(true);
    expect(again.plan.counts.peopleUnchanged).toBe(12);
    await applyRosterPlan(db.prisma, tenant, again.plan);
    // A stale plan applied twice creates no duplicates either (upserts, skipDuplicates).
    await expect(applyRosterPlan(db.prisma, tenant, plan)).resolves.toBeDefined();
    const after = await tableCounts(db.sql);
    expect({ ...after, AuditEntry: before.AuditEntry }).toEqual(before);
  });

  it('refuses bad.csv and a plan with errors, leaving every table unchanged', async () => {
    const tenant = await tenantFor('tenant-bad');
    const before = await tableCounts(db.sql);
    const { parsed, plan } = await planFor(db, tenant, BAD);
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    const refused: RosterPlan = { ...plan, errors: parsed.errors };
    await expect(applyRosterPlan(db.prisma, tenant, refused)).rejects.toThrow(RosterApplyError);
    expect(await tableCounts(db.sql)).toEqual(before);
  });

  it('rolls everything back when a write fails half-way (one transaction)', async () => {
    const tenant = await tenantFor('tenant-rollback');
    const before = await tableCounts(db.sql);
    const { plan } = await planFor(db, tenant, GOOD);
    // The last role points at a unit that does not exist: units, people and memberships are written first.
    const last = plan.roles.at(-1)!;
    const broken: RosterPlan = { ...plan, roles: [...plan.roles.slice(0, -1), { ...last, unitId: '00000000-0000-4000-8000-000000000000' }] };
    await expect(applyRosterPlan(db.prisma, tenant, broken)).rejects.toThrow();
    expect(await tableCounts(db.sql)).toEqual(before);
  });

  it('links a person the bot has already seen in Teams (by Entra object id) instead of duplicating them', async () => {
    const tenant = await tenantFor('tenant-link');
    const directory = directoryRepository(db.prisma, { minGroupSize: 5 });
    const seen = await directory.upsertPerson(tenant.id, { teamsUserId: '29:kari', aadObjectId: '6f1c2d3e-0000-4000-8000-00000000000a', name: 'Kari' });
    const parsed = parseRosterCsv('e-post;navn;skole;objectid\nkari@x.no;Kari Nordmann;A skole;6F1C2D3E-0000-4000-8000-00000000000A\n');
    const plan = planRosterImport(parsed.rows, await loadRosterState(db.prisma, tenant.id));
    await applyRosterPlan(db.prisma, tenant, plan);
    const people = await db.prisma.person.findMany({ where: { tenantId: tenant.id } });
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ id: seen.id, email: 'kari@x.no', name: 'Kari Nordmann', teamsUserId: '29:kari' });
  });
});

// Each CLI run starts Node, tsx and PGlite (5–15 s on a busy 2-core machine, three runs a test).
describe('npm run import (scripts/import-roster.ts)', { timeout: 150_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-import-'));
  const dataDir = path.join(tmp, 'pglite');
  const { run, withDb, killAll } = scriptRunner('scripts/import-roster.ts', dataDir);
  afterEach(killAll);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('usage errors exit 2', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.out).toContain('Bruk (usage): npm run import');
    expect((await run([GOOD, '--bogus'])).code).toBe(2);
  });

  it('dry run prints the report and writes nothing; --apply writes; running again changes nothing', async () => {
    await withDb(async (db) => {
      await directoryRepository(db.prisma, { minGroupSize: 5 }).ensureTenant('tenant-cli');
    });
    const before = await withDb((db) => tableCounts(db.sql));

    const dry = await run([GOOD]);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('Tenant: tenant-cli');
    expect(dry.out).toContain('Gyldige rader (valid rows): 12');
    expect(dry.out).toContain('Enheter som opprettes (units to create): 3');
    expect(dry.out).toContain('Personer som opprettes (people to create): 12');
    expect(dry.out).toContain('Roller som legges til (roles to add): 3');
    expect(dry.out).toContain('TØRRKJØRING (dry run)');
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(before);

    const applied = await run([GOOD, '--apply']);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('Lagret (saved): 3 enheter opprettet');
    const afterApply = await withDb((db) => tableCounts(db.sql));
    expect(afterApply).toMatchObject({ OrgUnit: before.OrgUnit! + 3, Person: 12, Membership: 12, RoleAssignment: 3, AuditEntry: before.AuditEntry! + 1 });

    const again = await run([GOOD, '--apply', '--tenant', 'tenant-cli']);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('Ingenting å endre (nothing to change)');
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(afterApply);
  });

  it('a bad file exits 1 with "Linje N:" messages and writes nothing, in dry run and with --apply', async () => {
    const before = await withDb((db) => tableCounts(db.sql));
    for (const args of [[BAD], [BAD, '--apply']]) {
      const r = await run(args);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('Linje 3: ugyldig e-post «kari@»');
      expect(r.out).toContain('Linje 4: navn mangler');
      expect(r.out).toContain('Linje 5: ukjent stilling «vaktmester»');
      expect(r.out).toContain('Linje 6: e-post «kari.nordmann@fjordvik.example.no» står allerede på linje 2');
    }
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(before);
  });

  it('asks for --tenant when the database has several tenants', async () => {
    await withDb(async (db) => {
      await directoryRepository(db.prisma, { minGroupSize: 5 }).ensureTenant('tenant-other');
    });
    const r = await run([GOOD]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('--tenant');
    expect(r.out).toContain('tenant-cli');
    expect(r.out).toContain('tenant-other');
  });

  it('says clearly that the bot holds the embedded database', async () => {
    const held = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const r = await run([GOOD, '--tenant', 'tenant-cli']);
      expect(r.code).toBe(1);
      expect(r.out).toContain('allerede i bruk av en annen prosess');
      expect(r.out).toContain('Stopp boten');
      expect(r.out).toContain('PostgreSQL');
    } finally {
      await held.close();
    }
  });
});
