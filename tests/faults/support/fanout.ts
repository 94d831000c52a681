import { countsFrom, openPulseFor, outboxRows, outboxVerdict, seedRecipients, startWorker, stopWorker, tail, type Counts, type Seeded, type Worker } from '../../../bench/delivery-support.ts';
import { startLimitConnector, type LimitConnector, type LimitConnectorOptions } from '../../../bench/limit-connector.ts';
import { loadConfig } from '../../../src/config.ts';
import { openDatabase, type Database } from '../../../src/db/database.ts';
import { createDeps, type Deps } from '../../../src/deps.ts';
import { startJobQueue } from '../../../src/jobs/job-queue.ts';
import { createLogger } from '../../../src/logger.ts';
import { afterAll, beforeAll } from 'vitest';
import { botEnv, removeTempDirs, tempDir, waitFor } from './kit.ts';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';

/**
 * A pulse fan-out against bench/limit-connector.ts with real bot worker
 * processes (bench/delivery-worker.ts) on a private PostgreSQL: N seeded
 * recipients, one pulse opened with the real openPulse while the workers run
 * (its send jobs queued as in production), and the figures that matter
 * afterwards, read from the database and the connector.
 */
export type Fanout = {
  db: Database;
  deps: Deps;
  connector: LimitConnector;
  seeded: Seeded;
  workers: Worker[];
  startWorker(label: string, extraEnv?: Record<string, string>): Worker;
  openPulse(): Promise<string>;
  counts(): Promise<Counts>;
  waitDrained(pulseId: string, timeoutMs: number): Promise<void>;
  figures(pulseId: string): Promise<FanoutFigures>;
  logTails(): string;
  close(): Promise<void>;
};

export type FanoutFigures = {
  counts: Counts;
  /** Outbox rows not sent, by `status:reason`. */
  reasons: Record<string, number>;
  /** Recipients with no accepted card and no failed/skipped row with a reason. */
  lost: number;
  /** Rows marked sent that the connector never accepted. */
  sentNotAccepted: number;
  /** Cards accepted more than once for the same conversation and pulse. */
  duplicates: number;
  /** Rows that needed more than one attempt, and the extra attempts. */
  retriedRows: number;
  extraAttempts: number;
};

export async function startFanout(pgServer: PrivatePostgres, database: string, n: number, connectorOptions: LimitConnectorOptions, workerEnv: Record<string, string> = {}): Promise<Fanout> {
  const dir = tempDir('fanout');
  await pgServer.createDatabase(database);
  const url = pgServer.url(database);
  const connector = await startLimitConnector(connectorOptions);
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config.database);
  const deps = createDeps(config, db, createLogger('silent'));
  const seeded = await seedRecipients(db, deps, connector.url, n);
  const workers: Worker[] = [];
  const env = botEnv(url, { LOG_LEVEL: 'warn', ...workerEnv });

  const figures = async (pulseId: string): Promise<FanoutFigures> => {
    const { reasons, lost, sentNotAccepted, retriedRows, extraAttempts } = outboxVerdict(
      await outboxRows(db, pulseId),
      new Set(connector.accepted().filter((a) => a.pulseId === pulseId).map((a) => a.conversationId)),
    );
    return { counts: await countsFrom(db), reasons, lost, sentNotAccepted, duplicates: connector.stats().duplicates, retriedRows, extraAttempts };
  };

  return {
    db,
    deps,
    connector,
    seeded,
    workers,
    startWorker(label, extraEnv = {}) {
      const w = startWorker({ label, dir, env: { ...env, ...extraEnv } });
      workers.push(w);
      return w;
    },
    async openPulse() {
      // As in production: openPulse queues one send job per message on pg-boss; the workers take them.
      const jobs = await startJobQueue(db, deps.logger, { pollingIntervalSeconds: 1, monitorIntervalSeconds: 5 });
      deps.jobs = jobs;
      try {
        return (await openPulseFor(deps, seeded, connector.url)).pulseId;
      } finally {
        await jobs.stop();
        deps.jobs = undefined;
      }
    },
    counts: () => countsFrom(db),
    async waitDrained(pulseId, timeoutMs) {
      await waitFor(
        'the outbox to drain',
        async () => {
          const [row] = await db.sql.query<{ open: number }>(`SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS open FROM "Outbox" WHERE "pulseId" = $1::uuid`, [pulseId]);
          return row!.open === 0;
        },
        timeoutMs,
        250,
      );
    },
    figures,
    logTails: () => workers.map((w) => `${w.label} (pid ${w.pid}):\n${tail(w.logFile, 25)}`).join('\n'),
    async close() {
      await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
      await db.close().catch(() => undefined);
      await connector.close();
    },
  };
}

/**
 * For a fault test file: a private PostgreSQL and a fan-out on it, started
 * before the tests and removed after them (also the temporary directories).
 * Returns a getter, valid once `beforeAll` has run.
 */
export function useFanout(name: string, n: number, connectorOptions: LimitConnectorOptions, workerEnv: Record<string, string> = {}): () => Fanout {
  let pgServer: PrivatePostgres | undefined;
  let fanout: Fanout | undefined;
  beforeAll(async () => {
    pgServer = await startPrivatePostgres(name);
    fanout = await startFanout(pgServer, 'kp', n, connectorOptions, workerEnv);
  }, 120_000);
  afterAll(async () => {
    await fanout?.close();
    await pgServer?.remove();
    removeTempDirs();
  }, 60_000);
  return () => {
    if (!fanout) throw new Error('the fan-out is not started (useFanout is used outside a test)');
    return fanout;
  };
}
