import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import { acquireDataDirLock } from './pglite-lock.ts';
import { applyMigrations } from './migrate.ts';
import { pgliteExecutor, pgPoolExecutor, type SqlExecutor } from './sql-executor.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'prisma', 'migrations');

export type Database = {
  prisma: PrismaClient;
  sql: SqlExecutor;
  backend: 'pglite' | 'postgresql';
  /** How the job queue (pg-boss) reaches the same database. */
  jobs: { kind: 'pglite'; pglite: PGlite } | { kind: 'postgresql'; url: string; schema: string };
  /** True when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
};

export type OpenOptions = {
  migrate?: boolean;
  log?: (msg: string) => void;
  /** PostgreSQL only: use this schema instead of `public` (tests isolate runs this way). */
  schema?: string;
};

/**
 * Opens the configured database: embedded PGlite (with a lock on its data
 * directory) or PostgreSQL, and applies pending migrations unless told not to.
 */
export async function openDatabase(db: Config['database'], opts: OpenOptions = {}): Promise<Database> {
  const database = db.kind === 'pglite' ? await openPglite(db.dataDir) : await openPostgres(db.url, opts.schema);
  if (opts.migrate !== false) {
    try {
      await applyMigrations(database.sql, MIGRATIONS_DIR, opts.log);
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

async function openPglite(dataDir: string | null): Promise<Database> {
  const release = dataDir ? acquireDataDirLock(dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    // Small shared_buffers keeps idle RSS near 220 MB instead of 350 MB.
    const create = () => PGlite.create({ dataDir: dataDir ?? undefined, postgresqlconf: ['shared_buffers=16MB'] });
    const fresh = dataDir !== null && !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
    pglite = await create();
    if (fresh) {
      // initdb grows the WASM heap and WebAssembly memory never shrinks;
      // reopening the new directory lets that instance be collected: idle RSS
      // after a first start fell from ~850 MB to ~590 MB (bench/startup.ts).
      await pglite.close();
      pglite = await create();
    }
  } catch (err) {
    release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql = pgliteExecutor(pglite);
  let closed = false;
  return {
    prisma,
    sql,
    backend: 'pglite',
    jobs: { kind: 'pglite', pglite },
    ping: (timeoutMs = 2000) => pingWith(sql, timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its server emits 'error'; without a listener that kills the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
  const sql = pgPoolExecutor(pool);
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
  let closed = false;
  return {
    prisma,
    sql,
    backend: 'postgresql',
    // Tests isolate each run in its own schema; its jobs get their own pg-boss schema too.
    jobs: { kind: 'postgresql', url, schema: schema ? `${schema}_jobs` : 'pgboss' },
    ping: (timeoutMs = 2000) => pingWith(sql, timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function pingWith(sql: SqlExecutor, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([sql.query('select 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
