/**
 * npm run db:migrate
 *
 * Applies pending prisma/migrations to the database named by DATABASE_URL
 * (same rules as the bot: unset or pglite:<dir> → embedded PGlite, guarded by
 * its lock file; postgresql://… → PostgreSQL). Replaces `prisma migrate
 * deploy`, which needs Prisma's native engine.
 */
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const target = config.database.kind === 'pglite' ? `PGlite ${config.database.dataDir ?? '(memory)'}` : `PostgreSQL ${new URL(config.database.url).host}${new URL(config.database.url).pathname}`;
  console.log(`Migrating ${target}`);
  const db = await openDatabase(config.database, { log: (msg) => console.log(msg) });
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `db:migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
