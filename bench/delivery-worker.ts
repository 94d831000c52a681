/**
 * A bot process for bench/delivery.ts without the HTTP server: the same
 * start-up as src/index.ts (config → openDatabase → createDeps → createApp,
 * which sets deps.sender = teamsCardSender over a local-mode TeamsAdapter →
 * startJobQueue → startWorkers), minus startServer.
 *
 *   node --import tsx bench/delivery-worker.ts     (env as for the bot: DATABASE_URL, DELIVERY_*, LOG_LEVEL …)
 *
 * Prints one JSON line `{"ready":…}` on stdout once the workers run. With
 * BENCH_REPORT_MS set it also prints `{"outbox":{status: n}, "nullReason": n}`
 * every that many ms (bench/delivery.ts reads PGlite progress this way, as
 * no other process may open that database). SIGTERM stops it gracefully.
 *
 * Experiments (off by default; they test fixes for what bench/delivery.ts found, without
 * touching src/): BENCH_EXP_SEND_LOOPS=n registers the send queue's handler n times, each
 * with batchSize/n (independent pg-boss fetch loops, like pg-boss `localConcurrency`), so
 * one slow message no longer holds up the next fetch; BENCH_EXP_PACE_UPDATES=1 makes the
 * progress update (updateCard, a PUT) take a slot in the tenant's shared rate bucket first.
 */
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { createDeps } from '../src/deps.ts';
import { reserveSlot } from '../src/db/outbox-repository.ts';
import { QUEUES, startJobQueue, type JobQueue } from '../src/jobs/job-queue.ts';
import { startWorkers } from '../src/jobs/workers.ts';
import { createLogger } from '../src/logger.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config.database, { log: (msg) => logger.info(msg) });
const deps = createDeps(config, db, logger);
createApp(deps);
if (process.env.BENCH_EXP_PACE_UPDATES === '1') {
  const inner = deps.sender!;
  const intervalMs = 1000 / config.delivery.ratePerSecond;
  deps.sender = {
    sendCard: (target, card) => inner.sendCard(target, card),
    async updateCard(reference, activityId, card) {
      const teamsTenantId = (reference.conversation as { tenantId?: string } | undefined)?.tenantId ?? '';
      const [tenant] = await db.sql.query<{ id: string }>(`SELECT id FROM "Tenant" WHERE "teamsTenantId" = $1`, [teamsTenantId]);
      if (tenant) {
        const slot = await reserveSlot(db.sql, `tenant:${tenant.id}`, intervalMs);
        const wait = slot.tat.getTime() - intervalMs - slot.now.getTime();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      return inner.updateCard(reference, activityId, card);
    },
  };
}
const jobs = await startJobQueue(db, logger, { pollingIntervalSeconds: config.delivery.pollSeconds, monitorIntervalSeconds: 5 });
const loops = Number(process.env.BENCH_EXP_SEND_LOOPS ?? 1);
const queue: JobQueue =
  loops > 1
    ? {
        ...jobs,
        async work(name, options, handler) {
          if (name !== QUEUES.send) return jobs.work(name, options, handler);
          for (let i = 0; i < loops; i++) await jobs.work(name, { ...options, batchSize: Math.max(1, Math.ceil(options.batchSize / loops)) }, handler);
        },
      }
    : jobs;
await startWorkers(deps, queue);
process.stdout.write(`${JSON.stringify({ ready: { pid: process.pid, backend: db.backend } })}\n`);

const reportMs = Number(process.env.BENCH_REPORT_MS ?? 0);
let timer: NodeJS.Timeout | undefined;
if (reportMs > 0) {
  const report = async () => {
    try {
      const rows = await db.sql.query<{ status: string; n: number; nullreason: number }>(
        `SELECT status::text AS status, count(*)::int AS n, count(*) FILTER (WHERE reason IS NULL)::int AS nullreason FROM "Outbox" GROUP BY status`,
      );
      const outbox = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      const nullReason = rows.filter((r) => r.status !== 'sent').reduce((s, r) => s + r.nullreason, 0);
      process.stdout.write(`${JSON.stringify({ outbox, nullReason, at: Date.now() })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ reportError: (err as Error).message })}\n`);
    }
    timer = setTimeout(() => void report(), reportMs);
  };
  timer = setTimeout(() => void report(), reportMs);
}

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  const hardStop = setTimeout(() => process.exit(1), 15_000);
  hardStop.unref();
  await jobs.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
