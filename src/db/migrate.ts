/**
 * Applies prisma/migrations/<name>/migration.sql folders without Prisma's
 * native engine, over PGlite or PostgreSQL.
 *
 * Bookkeeping uses the same `_prisma_migrations` table as `prisma migrate
 * deploy`, with the same checksums, so a database migrated here is accepted
 * by the native engine elsewhere, and vice versa.
 *
 * Unlike the native engine, all pending migrations run in ONE transaction
 * together with their `_prisma_migrations` rows: if any of them fails, the
 * database is left exactly as it was. (The Prisma driver adapters cannot be
 * used for this: pglite-prisma-adapter's executeScript does not await, so a
 * failing script would be recorded as applied, and @prisma/adapter-pg's
 * splits scripts on ';', which is neither atomic nor safe for $$ bodies.)
 *
 * Limitation of the single transaction: a migration that needs to run
 * outside a transaction (CREATE INDEX CONCURRENTLY, VACUUM) cannot be used,
 * and an enum value added by `ALTER TYPE … ADD VALUE` cannot be *used* by a
 * later migration applied in the same run. Split such changes across deploys.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { SqlExecutor } from './sql-executor.ts';

/**
 * The advisory lock key the native engine takes around `migrate deploy`
 * (session-level there). Using the same key also serialises us against a
 * native `prisma migrate deploy` running at the same time.
 */
const ADVISORY_LOCK_KEY = 72707369;

/** Same columns and types as the table created by Prisma's native engine. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** sha256 hex of the file contents: the checksum Prisma records. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Like the native engine, accept the script with either line ending: git may
 * check the same file out with CRLF on Windows and LF elsewhere.
 */
function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\r?\n/g, '\r\n')];
  return variants.some((v) => migrationChecksum(v) === recorded);
}

/** Reads `<dir>/<name>/migration.sql` for every sub-folder, in name order. */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  // Code-point order, not localeCompare: the timestamp prefix decides, on every machine.
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: MigrationFile[] = [];
  for (const name of names) {
    const file = path.join(migrationsDir, name, 'migration.sql');
    let script: string;
    try {
      script = await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`Migration folder ${name} has no readable migration.sql (${file}): ${(err as Error).message}`, { cause: err });
    }
    files.push({ name, script, checksum: migrationChecksum(script) });
  }
  return files;
}

/** Database errors carry SQLSTATE/detail/hint as properties; keep them in the message. */
function describeDbError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; detail?: string; hint?: string; position?: string };
  let text = e.message;
  if (e.code) text += ` (SQLSTATE ${e.code})`;
  if (e.detail) text += `\nDetail: ${e.detail}`;
  if (e.hint) text += `\nHint: ${e.hint}`;
  if (e.position) text += `\nPosition: ${e.position}`;
  return text;
}

/**
 * Applies every pending migration in `migrationsDir` in one transaction.
 * Throws (and changes nothing) if a migration fails, if an applied migration
 * file was edited since, or if the table records a failed migration.
 */
export async function applyMigrations(
  sql: SqlExecutor,
  migrationsDir: string,
  log: (msg: string) => void = () => undefined,
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(migrationsDir);

  return sql.transaction(async (tx) => {
    // Two processes starting at once (rolling deploy, several replicas) must
    // not both see the same pending list. The transaction-scoped lock is
    // released by COMMIT/ROLLBACK, so a crashed runner cannot leave it held.
    // PGlite has a single connection per process; concurrent processes on
    // one PGlite directory are prevented by the data directory lock file.
    if (tx.backend === 'postgresql') {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
    }
    await tx.exec(CREATE_MIGRATIONS_TABLE);

    const rows = await tx.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const active = rows.filter((r) => r.rolled_back_at === null);
    const failed = active.filter((r) => r.finished_at === null);
    if (failed.length > 0) {
      // Only the native engine leaves such rows (we roll back instead).
      throw new Error(
        `Database has failed migration(s) recorded: ${failed.map((r) => r.migration_name).join(', ')}. ` +
          'Fix the database by hand, then mark them rolled back (prisma migrate resolve --rolled-back <name>).',
      );
    }
    const applied = new Map(active.map((r) => [r.migration_name, r.checksum]));

    const byName = new Map(migrations.map((m) => [m.name, m]));
    for (const [name, recorded] of applied) {
      const file = byName.get(name);
      if (!file) {
        log(`Warning: migration ${name} is recorded in the database but missing from ${migrationsDir}`);
      } else if (!checksumMatches(file.script, recorded)) {
        throw new Error(
          `Migration ${name} was edited after it was applied (checksum in database ${recorded}, file now ${file.checksum}). ` +
            'Never edit an applied migration: restore the file and add a new migration with `npm run db:new -- <name>`.',
        );
      }
    }

    const pending = migrations.filter((m) => !applied.has(m.name));
    if (pending.length === 0) {
      log('No pending migrations.');
      return { applied: [] };
    }

    // A script with its own COMMIT/ROLLBACK would end our transaction and
    // silently break the all-or-nothing promise; detect it via the xid.
    const xid = async () => (await tx.query<{ id: string }>('SELECT txid_current()::text AS id'))[0]?.id;
    const txId = await xid();

    for (const m of pending) {
      log(`Applying migration ${m.name}`);
      const started = new Date();
      try {
        await tx.exec(m.script);
      } catch (err) {
        throw new Error(`Migration ${m.name} failed, nothing was applied: ${describeDbError(err)}`, { cause: err });
      }
      if ((await xid()) !== txId) {
        throw new Error(
          `Migration ${m.name} ended the migration transaction (it contains COMMIT or ROLLBACK). ` +
            'Remove transaction control statements; statements before it may already be committed.',
        );
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
         VALUES ($1, $2, clock_timestamp(), $3, NULL, $4, 1)`,
        [randomUUID(), m.checksum, m.name, started],
      );
    }
    log(`Applied ${pending.length} migration(s).`);
    return { applied: pending.map((m) => m.name) };
  });
}
