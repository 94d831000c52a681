import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { directoryRepository } from '../../src/db/directory-repository.ts';
import { holidayRepository } from '../../src/db/holiday-repository.ts';
import { scriptRunner, tableCounts } from '../helpers/cli-script.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const GOOD = 'tests/fixtures/holidays/skolerute.csv';
const BAD = 'tests/fixtures/holidays/bad-skolerute.csv';

/** A tenant with Fjordvik kommune → Nordby skole under its root. */
async function fjordvik(db: Database, teamsTenantId: string) {
  const tenant = await directoryRepository(db.prisma, { minGroupSize: 5 }).ensureTenant(teamsTenantId);
  const kommune = await db.prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: tenant.rootUnitId, kind: 'municipality', name: 'Fjordvik kommune' } });
  const nordby = await db.prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: kommune.id, kind: 'school', name: 'Nordby skole' } });
  return { tenant, kommune: kommune.id, nordby: nordby.id };
}

describe('school holidays in the database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('imports all holidays and one audit entry in one transaction; a second import adds nothing; dates come back as written', async () => {
    const { tenant, kommune, nordby } = await fjordvik(db, 'tenant-holidays');
    const repo = holidayRepository(db.prisma);
    const holidays = [
      { unitId: kommune, from: '2026-12-21', to: '2027-01-01', name: 'Juleferie' },
      { unitId: nordby, from: '2027-01-04', to: '2027-01-04', name: null },
    ];
    expect(await repo.importMany(tenant.id, holidays)).toBe(2);
    expect(await repo.importMany(tenant.id, holidays)).toBe(0);
    expect((await repo.forTenant(tenant.id)).map(({ unitId, from, to, name, source }) => ({ unitId, from, to, name, source }))).toEqual(holidays.map((h) => ({ ...h, source: 'import' })));
    expect(await repo.add(tenant.id, holidays[0]!, 'command')).toBe(false);
    const audit = await db.prisma.auditEntry.findMany({ where: { tenantId: tenant.id, action: 'holidays.imported' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.details)).toEqual([{ added: 2, rows: 2 }, { added: 0, rows: 2 }]);
  });

  it('writes nothing when one holiday cannot be stored (a unit that does not exist)', async () => {
    const { tenant, kommune } = await fjordvik(db, 'tenant-holidays-rollback');
    const before = await tableCounts(db.sql);
    const broken = [
      { unitId: kommune, from: '2026-12-21', to: '2027-01-01', name: 'Juleferie' },
      { unitId: '00000000-0000-4000-8000-000000000000', from: '2027-02-22', to: '2027-02-26', name: 'Vinterferie' },
    ];
    await expect(holidayRepository(db.prisma).importMany(tenant.id, broken)).rejects.toThrow();
    expect(await tableCounts(db.sql)).toEqual(before);
  });
});

// Each CLI run starts Node, tsx and PGlite (5–15 s on a busy 2-core machine).
describe('npm run holidays:add (scripts/holidays-add.ts)', { timeout: 150_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-holidays-'));
  const dataDir = path.join(tmp, 'pglite');
  const { run, withDb, killAll } = scriptRunner('scripts/holidays-add.ts', dataDir);
  afterEach(killAll);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('usage errors exit 2', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.out).toContain('Bruk (usage): npm run holidays:add');
  });

  it('a bad file names each bad row and writes nothing, even with --apply', async () => {
    await withDb((db) => fjordvik(db, 'tenant-cli'));
    const before = await withDb((db) => tableCounts(db.sql));
    const bad = await run([BAD, '--apply']);
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('Linje 3: ugyldig dato «31.02.2027»');
    expect(bad.out).toContain('Linje 4: siste dag 2027-01-01 er før første dag 2027-01-10 (to before from)');
    expect(bad.out).toContain('Ingenting er lagret (nothing was written)');
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(before);
  });

  it('dry run lists what would be added and writes nothing; --apply writes; running again adds nothing', async () => {
    const before = await withDb((db) => tableCounts(db.sql));
    const dry = await run([GOOD]);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('Ferier som legges til (holidays to add): 4');
    expect(dry.out).toContain('+ Fjordvik kommune: 21.12.2026–01.01.2027 Juleferie  (linje 3)');
    expect(dry.out).toContain('+ Nordby skole: 04.01.2027 Planleggingsdag  (linje 5)');
    expect(dry.out).toContain('TØRRKJØRING (dry run)');
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(before);

    const applied = await run([GOOD, '--apply']);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('Lagret (saved): 4 ferier lagt til.');
    const after = await withDb((db) => tableCounts(db.sql));
    expect(after).toMatchObject({ UnitHoliday: before.UnitHoliday! + 4, AuditEntry: before.AuditEntry! + 1 });

    const again = await run([GOOD, '--apply', '--tenant', 'tenant-cli']);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('Finnes allerede (already stored): 4');
    expect(again.out).toContain('Ingenting å legge til (nothing to add)');
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(after);
  });

  it('a unit that is not in the database is an error naming the row; nothing is written', async () => {
    const file = path.join(tmp, 'unknown.csv');
    fs.writeFileSync(file, 'unit,from,to,name\nFjordvik kommune,2027-04-12,2027-04-16,Påskeferie\nSørby skole,2027-04-12,2027-04-16,Påskeferie\n');
    const before = await withDb((db) => tableCounts(db.sql));
    const r = await run([file, '--apply']);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('Linje 3: finner ingen enhet «Sørby skole»');
    expect(await withDb((db) => tableCounts(db.sql))).toEqual(before);
  });
});
