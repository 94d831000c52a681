import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The few raw-SQL operations the migration runner, health check and bulk
 * queries need, over either backend (embedded PGlite or PostgreSQL).
 *
 * @example
 *   const rows = await sql.query<{ n: number }>('select 1 as n');
 */
export interface SqlExecutor {
  readonly backend: 'pglite' | 'postgresql';
  /**
   * One parameterised statement ($1, $2 …). A `name` makes it a prepared
   * statement on PostgreSQL (parsed and planned once per connection; for the
   * hot paths), and is ignored on PGlite. One name must always go with one text.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  /** A script of several statements, no parameters. */
  exec(script: string): Promise<void>;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export function pgliteExecutor(db: Pick<PGlite, 'query' | 'exec' | 'transaction'>): SqlExecutor {
  return {
    backend: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      return db.transaction(async (tx) => {
        const inner: SqlExecutor = {
          backend: 'pglite',
          query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
          exec: async (script: string) => { await tx.exec(script); },
          transaction: (f) => f(inner),
        };
        return fn(inner);
      }) as Promise<T>;
    },
  };
}

export function pgPoolExecutor(pool: pg.Pool): SqlExecutor {
  const clientExecutor = (client: pg.PoolClient): SqlExecutor => {
    const self: SqlExecutor = {
      backend: 'postgresql',
      query: async <R>(text: string, params?: unknown[], name?: string) =>
        (await client.query(name ? { name, text, values: params } : { text, values: params })).rows as R[],
      // The simple query protocol (no parameters) runs a multi-statement script
      // as one unit, unlike splitting on ';' which breaks $$-quoted bodies.
      exec: async (script: string) => { await client.query(script); },
      transaction: (f) => f(self),
    };
    return self;
  };
  return {
    backend: 'postgresql',
    async query<T>(text: string, params?: unknown[], name?: string) {
      return (await pool.query(name ? { name, text, values: params } : { text, values: params })).rows as T[];
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
