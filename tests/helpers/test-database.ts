import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

/** True when the suite also runs against a real PostgreSQL (TEST_DATABASE_URL). */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default,
 * or a throw-away schema in the PostgreSQL at TEST_DATABASE_URL, dropped on close.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({ kind: 'pglite', dataDir: null });
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const db = await openDatabase({ kind: 'postgresql', url }, { schema });
  const close = db.close;
  db.close = async () => {
    await close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  return db;
}
