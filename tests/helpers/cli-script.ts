import { spawn, type ChildProcess } from 'node:child_process';
import { openDatabase, type Database } from '../../src/db/database.ts';
import type { SqlExecutor } from '../../src/db/sql-executor.ts';

/** Row counts of every table in the current schema, so "nothing changed" means nothing. */
export async function tableCounts(sql: SqlExecutor): Promise<Record<string, number>> {
  const tables = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = row!.n;
  }
  return counts;
}

/**
 * Runs `script` (scripts/*.ts) in its own Node process against the PGlite
 * directory `dataDir`, as `npm run …` would, and opens that database between
 * runs. `killAll` belongs in afterEach: a run left behind by a failed test
 * would hold the database lock and fail every test after it.
 */
export function scriptRunner(script: string, dataDir: string) {
  const running = new Set<ChildProcess>();
  return {
    run(args: string[]): Promise<{ code: number | null; out: string }> {
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
        env: { ...process.env, DATABASE_URL: `pglite:${dataDir}`, MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: '', MICROSOFT_APP_TENANT_ID: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      running.add(child);
      return new Promise((resolve) =>
        child.on('exit', (code) => {
          running.delete(child);
          resolve({ code, out });
        }),
      );
    },
    async withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
      const db = await openDatabase({ kind: 'pglite', dataDir });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    killAll(): void {
      for (const child of running) child.kill('SIGKILL');
      running.clear();
    },
  };
}
