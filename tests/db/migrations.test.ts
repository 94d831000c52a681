import { createHash, randomUUID } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrate.ts';
import { diffSchemaAgainstMigrations } from '../../src/db/schema-engine.ts';
import { pgliteExecutor, pgPoolExecutor, type SqlExecutor } from '../../src/db/sql-executor.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const pgUrl = process.env.TEST_DATABASE_URL;

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kp-migrations-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writeMigration(dir: string, name: string, script: string): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), script);
}

describe('schema drift (schema.prisma vs prisma/migrations)', () => {
  it('committed migrations produce exactly the schema in schema.prisma', async () => {
    const sql = await diffSchemaAgainstMigrations({ schemaPath, migrationsDir });
    expect(sql, 'schema.prisma changed without a migration: run `npm run db:new -- <name>`').toBe('');
  });

  it('reports a difference when schema.prisma has a model the migrations lack', async () => {
    const dir = await tempDir();
    const changedSchema = path.join(dir, 'schema.prisma');
    await cp(schemaPath, changedSchema);
    await appendFile(changedSchema, '\nmodel DriftProbe {\n  id    Int    @id\n  label String\n}\n');
    const sql = await diffSchemaAgainstMigrations({ schemaPath: changedSchema, migrationsDir });
    expect(sql).toContain('CREATE TABLE "DriftProbe"');
    expect(sql).not.toContain('"Tenant"'); // only the difference, not the whole schema
  });
});

interface TestDb {
  sql: SqlExecutor;
  /** A second, independent connection to the same database (PostgreSQL only). */
  other?: () => SqlExecutor;
}

/** A fresh in-memory PGlite per test. */
async function openPglite(): Promise<TestDb> {
  const db = await PGlite.create();
  onTestFinished(() => db.close());
  return { sql: pgliteExecutor(db) };
}

/** A fresh schema per test on the shared PostgreSQL database, dropped afterwards. */
async function openPostgres(url: string): Promise<TestDb> {
  const schema = `mig_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pools: pg.Pool[] = [];
  const newPool = () => {
    const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path="${schema}"` });
    pools.push(pool);
    return pgPoolExecutor(pool);
  };
  onTestFinished(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });
  return { sql: newPool(), other: newPool };
}

async function tableExists(sql: SqlExecutor, table: string): Promise<boolean> {
  const rows = await sql.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`"${table}"`]);
  return rows[0]?.t != null;
}

async function recordedNames(sql: SqlExecutor): Promise<string[]> {
  if (!(await tableExists(sql, '_prisma_migrations'))) return [];
  const rows = await sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
  return rows.map((r) => r.migration_name);
}

const backends: Array<[string, (() => Promise<TestDb>) | undefined]> = [
  ['PGlite', openPglite],
  ['PostgreSQL', pgUrl ? () => openPostgres(pgUrl) : undefined],
];

for (const [backend, open] of backends) {
  describe.skipIf(!open)(`applyMigrations on ${backend}`, () => {
    const openDb = open ?? (() => Promise.reject(new Error('unreachable')));

    it('creates all tables, records checksums, and applies nothing the second time', async () => {
      const { sql } = await openDb();
      const files = await readMigrations(migrationsDir);
      expect(files.length).toBeGreaterThan(0);

      const logs: string[] = [];
      const first = await applyMigrations(sql, migrationsDir, (m) => logs.push(m));
      expect(first.applied).toEqual(files.map((f) => f.name));
      expect(logs.join('\n')).toContain(files[0]!.name);

      for (const table of ['Tenant', 'OrgUnit', 'Person', 'Membership', 'RoleAssignment', 'ConversationRef', 'AuditEntry']) {
        expect(await tableExists(sql, table), table).toBe(true);
      }
      const rows = await sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
      for (const row of rows) {
        const file = await readFile(path.join(migrationsDir, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }

      const second = await applyMigrations(sql, migrationsDir);
      expect(second.applied).toEqual([]);
      expect(await recordedNames(sql)).toEqual(files.map((f) => f.name));
    });

    it('applies pending migrations all-or-nothing and names the one that failed', async () => {
      const { sql } = await openDb();
      const dir = await tempDir();
      await writeMigration(dir, '20240101000000_first', 'CREATE TABLE first_tbl (id int);');
      expect((await applyMigrations(sql, dir)).applied).toEqual(['20240101000000_first']);

      await writeMigration(dir, '20240102000000_good', 'CREATE TABLE good_tbl (id int);\nINSERT INTO first_tbl VALUES (1);');
      await writeMigration(dir, '20240103000000_broken', 'CREATE TABLE broken_tbl (id int);\nSELEC oops;');
      const error = await applyMigrations(sql, dir).then(() => undefined, (e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect(error?.message).toContain('20240103000000_broken');
      expect(error?.message).toMatch(/syntax error/i);

      expect(await tableExists(sql, 'good_tbl')).toBe(false);
      expect(await tableExists(sql, 'broken_tbl')).toBe(false);
      expect(await sql.query('SELECT * FROM first_tbl')).toEqual([]);
      expect(await recordedNames(sql)).toEqual(['20240101000000_first']);
    });

    it('leaves no trace when the very first run fails', async () => {
      const { sql } = await openDb();
      const dir = await tempDir();
      await writeMigration(dir, '20240101000000_good', 'CREATE TABLE good_tbl (id int);');
      await writeMigration(dir, '20240102000000_broken', 'CREATE TABLE broken_tbl (id int REFERENCES no_such_table);');
      await expect(applyMigrations(sql, dir)).rejects.toThrow(/20240102000000_broken[\s\S]*no_such_table/);
      expect(await tableExists(sql, 'good_tbl')).toBe(false);
      expect(await tableExists(sql, '_prisma_migrations')).toBe(false);
    });

    it('refuses to run when an applied migration file was edited', async () => {
      const { sql } = await openDb();
      const dir = await tempDir();
      await writeMigration(dir, '20240101000000_first', 'CREATE TABLE first_tbl (id int);\n');
      await applyMigrations(sql, dir);

      // Only line endings changed (git autocrlf): accepted, like the native engine.
      await writeMigration(dir, '20240101000000_first', 'CREATE TABLE first_tbl (id int);\r\n');
      expect((await applyMigrations(sql, dir)).applied).toEqual([]);

      await writeMigration(dir, '20240101000000_first', 'CREATE TABLE first_tbl (id int, extra text);\n');
      await writeMigration(dir, '20240102000000_second', 'CREATE TABLE second_tbl (id int);');
      await expect(applyMigrations(sql, dir)).rejects.toThrow(/20240101000000_first was edited after it was applied/);
      expect(await tableExists(sql, 'second_tbl')).toBe(false);
    });

    it('refuses to run past a failed migration recorded by the native engine', async () => {
      const { sql } = await openDb();
      const dir = await tempDir();
      await writeMigration(dir, '20240101000000_first', 'CREATE TABLE first_tbl (id int);');
      await applyMigrations(sql, dir);
      await sql.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, 'x', '20240102000000_failed')`, [randomUUID()]);
      await writeMigration(dir, '20240103000000_third', 'CREATE TABLE third_tbl (id int);');
      await expect(applyMigrations(sql, dir)).rejects.toThrow(/failed migration\(s\) recorded: 20240102000000_failed/);
      expect(await tableExists(sql, 'third_tbl')).toBe(false);
    });

    it('rejects a migration that commits the surrounding transaction', async () => {
      const { sql } = await openDb();
      const dir = await tempDir();
      await writeMigration(dir, '20240101000000_commits', 'CREATE TABLE a_tbl (id int);\nCOMMIT;\nCREATE TABLE b_tbl (id int);');
      await expect(applyMigrations(sql, dir)).rejects.toThrow(/20240101000000_commits ended the migration transaction/);
    });

    it.skipIf(backend !== 'PostgreSQL')('lets only one of two concurrent runners apply', async () => {
      const { sql, other } = await openDb();
      const dir = await tempDir();
      await writeMigration(dir, '20240100000000_base', 'CREATE TABLE base_tbl (id int);');
      await applyMigrations(sql, dir); // the usual case: _prisma_migrations already exists
      // pg_sleep keeps the first runner inside its transaction while the second one starts.
      await writeMigration(dir, '20240101000000_slow', 'SELECT pg_sleep(0.3);\nCREATE TABLE slow_tbl (id int);');
      await writeMigration(dir, '20240102000000_next', 'CREATE TABLE next_tbl (id int);');
      const results = await Promise.all([applyMigrations(sql, dir), applyMigrations(other!(), dir)]);
      const applied = results.map((r) => r.applied).sort((a, b) => b.length - a.length);
      expect(applied).toEqual([['20240101000000_slow', '20240102000000_next'], []]);
      expect(await recordedNames(sql)).toEqual(['20240100000000_base', '20240101000000_slow', '20240102000000_next']);
    });
  });
}
