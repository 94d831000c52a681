import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { DatabaseLockedError } from './db/pglite-lock.ts';
import { createDeps } from './deps.ts';
import { startJobQueue } from './jobs/job-queue.ts';
import { startWorkers } from './jobs/workers.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

// The only module with side effects: config → database → app → server.
async function main(): Promise<void> {
  const startedAt = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let db;
  try {
    db = await openDatabase(config.database, { log: (msg) => logger.info(msg) });
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      logger.fatal(err.message);
      console.error(err.message);
      process.exit(75); // EX_TEMPFAIL
    }
    throw err;
  }
  const deps = createDeps(config, db, logger);
  const bot = createApp(deps);
  const jobs = await startJobQueue(db, logger, { pollingIntervalSeconds: config.delivery.pollSeconds, monitorIntervalSeconds: 5 });
  const workers = await startWorkers(deps, jobs);
  const server = await startServer(bot, deps);
  logger.info(
    { port: server.port, mode: config.mode, database: db.backend, startupMs: Math.round(performance.now() - startedAt) },
    `Kompetansepuls lytter på http://localhost:${server.port}/api/messages`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight turns');
    const hardStop = setTimeout(() => process.exit(1), 20_000);
    hardStop.unref();
    await server.close();
    workers.stop();
    await jobs.stop();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
