/**
 * Delivery throughput and correctness against Teams' limits.
 *
 *   npm run bench:delivery -- [--recipients=10000] [--fail502=0.02] [--scenario=all|single|kill|two]
 *                             [--db=pg|pglite] [--seed=1] [--keep-db]
 *   diagnostics (not the shipped behaviour): --no-progress (no starter progress message, so no PUTs),
 *   --exp-send-loops=4 and --exp-pace-updates (candidate fixes, see bench/delivery-worker.ts)
 *
 * Prints figures; it is not a timed test. Per scenario: a fresh database (PostgreSQL
 * `kp_bench` at 127.0.0.1:5432, or a temporary PGlite directory with --db=pglite for
 * `single`/`kill`; `two` always uses PostgreSQL), a fresh bench/limit-connector.ts
 * (enforces 50 req/s per tenant and 7/1 s, 8/2 s, 60/30 s per conversation; injects
 * 502s), one tenant with one organisation unit and N people who each have a personal
 * conversation reference pointing at that connector, then ONE pulse for all of them
 * opened with src/services/openPulse. Bot processes are bench/delivery-worker.ts
 * (src/index.ts minus the HTTP server: teamsCardSender over a local-mode TeamsAdapter,
 * pg-boss workers, the DB-shared GCRA bucket).
 *
 * - single: one worker process.
 * - kill:   one worker; `kill -9` at ~50 % accepted, restart at once, drain.
 * - two:    two worker processes on PostgreSQL sharing the work.
 *
 * On PostgreSQL the workers start first and the pulse is opened while they run (jobs
 * queued once by openPulse, as in production). PGlite allows one process, so there the
 * pulse's rows are written first and the worker's start-up recovery (startWorkers →
 * outbox.unfinished) queues them; progress is then read from the worker's own reports.
 *
 * Figures: rate = accepted activities per second between the first and the last one at
 * the connector (steady state), ÷ DELIVERY_RATE_PER_SECOND (default 49; Teams allows
 * 50); duplicates = activities accepted more than once for the same conversation+pulse;
 * undelivered without reason = outbox rows not `sent` whose `reason` is null; lost =
 * recipients with no accepted activity and no failed/skipped row with a reason.
 *
 * Only 127.0.0.1 is used. An overall timeout stops everything; child processes are
 * killed by process group, temporary directories removed, kp_bench dropped (unless
 * --keep-db).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { startJobQueue } from '../src/jobs/job-queue.ts';
import { createLogger } from '../src/logger.ts';
import { countsFrom, killAllWorkers, openPulseFor, outboxRows, outboxVerdict, seedRecipients, startWorker as startBot, stopWorker, tail, toCounts, type Counts, type Seeded, type Worker } from './delivery-support.ts';
import { startLimitConnector, type LimitConnector } from './limit-connector.ts';

const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const PG_DB = 'kp_bench';
const PG_URL = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${PG_DB}`);

const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RECIPIENTS = Number(flag('recipients') ?? 10_000);
const FAIL502 = Number(flag('fail502') ?? 0.02);
const SEED = Number(flag('seed') ?? 1);
const SCENARIO = flag('scenario') ?? 'all';
const DB_KIND = (flag('db') ?? 'pg') as 'pg' | 'pglite';
const KEEP_DB = argv.includes('--keep-db');
/** Leave the pulse without a starter progress message (no PUT updates): isolates their effect on the tenant window. */
const NO_PROGRESS = argv.includes('--no-progress');
// Experiments with possible fixes, applied in bench/delivery-worker.ts only (src/ unchanged).
const EXP_LOOPS = flag('exp-send-loops');
const EXP_PACE_UPDATES = argv.includes('--exp-pace-updates');
if (!Number.isInteger(RECIPIENTS) || RECIPIENTS < 10) throw new Error('--recipients must be an integer >= 10');
if (!(FAIL502 >= 0 && FAIL502 < 1)) throw new Error('--fail502 must be in [0, 1)');
if (!['all', 'single', 'kill', 'two'].includes(SCENARIO)) throw new Error('--scenario must be all, single, kill or two');
if (!['pg', 'pglite'].includes(DB_KIND)) throw new Error('--db must be pg or pglite');
const SCENARIOS = (SCENARIO === 'all' ? ['single', 'kill', 'two'] : [SCENARIO]) as Array<'single' | 'kill' | 'two'>;

// The workers' environment: the caller's DELIVERY_* / JOB_POLL_SECONDS apply; never production credentials.
const workerBaseEnv: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('MICROSOFT_APP_')) workerBaseEnv[k] = v;
workerBaseEnv.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
if (EXP_LOOPS) workerBaseEnv.BENCH_EXP_SEND_LOOPS = EXP_LOOPS;
if (EXP_PACE_UPDATES) workerBaseEnv.BENCH_EXP_PACE_UPDATES = '1';
const workerConfig = loadConfig({ ...workerBaseEnv, DATABASE_URL: PG_URL });
const LIMIT = workerConfig.delivery.ratePerSecond;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- clean-up and the overall timeout
const tempDirs = new Set<string>();
const killAll = killAllWorkers;
function removeTemp(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.once('exit', () => {
  killAll();
  removeTemp();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    removeTemp();
    process.exit(130);
  });
}
const perScenarioMs = (kind: string) => Math.round((RECIPIENTS / LIMIT) * 1000 * 2.5) + 180_000 + (kind === 'kill' ? 120_000 : 0);
const OVERALL_MS = SCENARIOS.reduce((s, k) => s + perScenarioMs(k), 0) + 60_000;
const overall = setTimeout(() => {
  console.error(`bench/delivery: gave up after the overall time limit (${Math.round(OVERALL_MS / 1000)} s)`);
  killAll();
  removeTemp();
  process.exit(2);
}, OVERALL_MS);
overall.unref();

// ---------------------------------------------------------------- database set-up and seeding
async function freshPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_DB}`);
  } finally {
    await admin.end();
  }
}
async function dropPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const seed = (db: Database, deps: Deps, connectorUrl: string, n: number): Promise<Seeded> => seedRecipients(db, deps, connectorUrl, n);
const open = (deps: Deps, s: Seeded, connectorUrl: string) => openPulseFor(deps, s, connectorUrl, { progress: !NO_PROGRESS });
const startWorker = (label: string, databaseUrl: string, dir: string, report: boolean): Worker =>
  startBot({ label, env: { ...workerBaseEnv, DATABASE_URL: databaseUrl }, dir, report });

// ---------------------------------------------------------------- measuring (seeding, workers and counts: bench/delivery-support.ts)
type Final = {
  counts: Counts;
  reasons: Record<string, number>;
  lost: number;
  sentNotAccepted: number;
  extraAttempts: number;
  retriedRows: number;
  perWorker: Map<string, number>;
  /** ms from the connector accepting an activity to the outbox row's sentAt (the at-least-once window). */
  window: { p50: number; p99: number; max: number; exposure: number };
};

async function finalFigures(db: Database, connector: LimitConnector, pulseId: string): Promise<Final> {
  const counts = await countsFrom(db);
  const rows = await outboxRows(db, pulseId);
  const { reasons, lost, sentNotAccepted, extraAttempts, retriedRows, perWorker } = outboxVerdict(rows, new Set(connector.accepted().filter((a) => a.pulseId === pulseId).map((a) => a.conversationId)));
  const acceptedAt = new Map(connector.accepted().map((a) => [a.activityId, a.at]));
  const windows: number[] = [];
  for (const r of rows) {
    const at = r.activityId ? acceptedAt.get(r.activityId) : undefined;
    if (at !== undefined && r.sentAt) windows.push(Math.max(0, new Date(r.sentAt).getTime() - at));
  }
  windows.sort((a, b) => a - b);
  const q = (p: number) => (windows.length ? windows[Math.min(windows.length - 1, Math.floor(p * windows.length))]! : 0);
  const st = connector.stats();
  const span = st.firstAcceptedAt !== null && st.lastAcceptedAt !== null ? st.lastAcceptedAt - st.firstAcceptedAt : 0;
  // Share of the sending time during which some message was accepted but not yet recorded: the chance a random kill -9 makes a duplicate.
  const exposure = span > 0 ? Math.min(1, windows.reduce((a, b) => a + b, 0) / span) : 0;
  return { counts, reasons, lost, sentNotAccepted, extraAttempts, retriedRows, perWorker, window: { p50: q(0.5), p99: q(0.99), max: windows.at(-1) ?? 0, exposure } };
}

/** Send jobs pg-boss holds for the run (every state), against one per message. */
async function sendJobs(db: Database): Promise<{ total: number; open: number } | null> {
  try {
    const [row] = await db.sql.query<{ total: number; open: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE state IN ('created', 'retry', 'active'))::int AS open FROM pgboss.job WHERE name = 'outbox-send'`,
    );
    return row ?? null;
  } catch {
    return null;
  }
}

/** What the workers' sweeper (src/jobs/workers.ts) re-queued, from their warn-level logs. */
function sweeps(logFiles: string[]): { sweeps: number; messages: number } {
  let n = 0;
  let messages = 0;
  for (const file of logFiles) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.includes('re-queuing messages')) continue;
      try {
        messages += Number((JSON.parse(line) as { messages?: number }).messages ?? 0);
        n++;
      } catch {
        // not JSON
      }
    }
  }
  return { sweeps: n, messages };
}

/** Most activities accepted in any sliding 1 s window (all conversations). */
function peakPerSecond(connector: LimitConnector): number {
  const times = connector.accepted().map((a) => a.at);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------- one scenario
async function runScenario(kind: 'single' | 'kill' | 'two'): Promise<string> {
  const backend: 'pg' | 'pglite' = kind === 'two' ? 'pg' : DB_KIND;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-bench-delivery-'));
  tempDirs.add(dir);
  const databaseUrl = backend === 'pg' ? PG_URL : `pglite:${path.join(dir, 'pglite')}`;
  const connector = await startLimitConnector({ fail502: FAIL502, seed: SEED });
  const logger = createLogger('silent');
  const deadline = now() + perScenarioMs(kind);
  const workers: Worker[] = [];
  let db: Database | null = null;
  const notes: string[] = [];
  try {
    if (backend === 'pg') await freshPostgres();
    const config = loadConfig({ ...workerBaseEnv, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    const seedStart = now();
    db = await openDatabase(config.database);
    let deps = createDeps(config, db, logger);
    const seeded = await seed(db, deps, connector.url, RECIPIENTS);
    const seedMs = now() - seedStart;

    let pulseId: string;
    let openMs: number;
    let t0: number;
    const processes = kind === 'two' ? 2 : 1;
    if (backend === 'pg') {
      for (let i = 1; i <= processes; i++) workers.push(startWorker(`w${i}`, databaseUrl, dir, false));
      await Promise.all(workers.map((w) => w.ready));
      const jobs = await startJobQueue(db, logger, { pollingIntervalSeconds: config.delivery.pollSeconds, monitorIntervalSeconds: 5 });
      deps.jobs = jobs;
      t0 = now();
      ({ pulseId, ms: openMs } = await open(deps, seeded, connector.url));
      await jobs.stop();
      // stop() closed pg-boss's pool only; the bench's own Prisma/pg pool stays open for queries.
    } else {
      ({ pulseId, ms: openMs } = await open(deps, seeded, connector.url));
      await db.close();
      db = null;
      workers.push(startWorker('w1', databaseUrl, dir, true));
      await workers[0]!.ready;
      t0 = now();
    }

    const counts = async (): Promise<Counts | null> => {
      if (db) return countsFrom(db);
      const r = workers.at(-1)?.lastReport;
      return r ? toCounts(r.outbox, r.nullReason) : null;
    };

    // Drain (and, for `kill`, kill -9 at ~50 % accepted and restart).
    let killed = false;
    let lastSettled = -1;
    let lastChange = now();
    let drainedAt: number | null = null;
    let last: Counts | null = null;
    while (now() < deadline) {
      await sleep(kind === 'kill' && !killed ? 50 : 250);
      // ~50 %, offset by 23 so the kill does not coincide with a batch boundary (batches of 50).
      if (kind === 'kill' && !killed && connector.stats().acceptedActivities >= Math.floor(RECIPIENTS / 2) + 23) {
        const victim = workers[0]!;
        const acceptedAtKill = connector.stats().acceptedActivities;
        const killAt = now();
        await stopWorker(victim, 'SIGKILL');
        killed = true;
        // Look at the database as the dead process left it (PGlite: its lock is stale now).
        const look = db ?? (await openDatabase(loadConfig({ ...workerBaseEnv, DATABASE_URL: databaseUrl }).database, { migrate: false }));
        const c = await countsFrom(look);
        const sentRows = await look.sql.query<{ conversationId: string }>(`SELECT "conversationId" FROM "Outbox" WHERE "pulseId" = $1::uuid AND status = 'sent'`, [pulseId]);
        const sentConvs = new Set(sentRows.map((r) => r.conversationId));
        const acceptedNotRecorded = new Set(connector.accepted().filter((a) => a.pulseId === pulseId && !sentConvs.has(a.conversationId)).map((a) => a.conversationId)).size;
        if (!db) await look.close();
        notes.push(
          `killed pid ${victim.pid} at ${s(killAt - t0)} with ${acceptedAtKill} accepted: DB then had ${c.sent} sent, ${c.sending} 'sending' (lease ${60} s), ${c.pending} pending; ` +
            `${acceptedNotRecorded} accepted by the connector but not yet recorded 'sent' (the at-least-once window)`,
        );
        const again = startWorker('w1r', databaseUrl, dir, backend === 'pglite');
        workers.push(again);
        await again.ready;
        notes.push(`restarted as pid ${again.pid} ${s(now() - killAt)} after the kill`);
        continue;
      }
      const c = await counts();
      if (!c) continue;
      last = c;
      const settled = c.sent + c.failed + c.skipped;
      if (settled !== lastSettled) {
        lastSettled = settled;
        lastChange = now();
      }
      if (c.pending === 0 && c.sending === 0 && settled >= RECIPIENTS) {
        drainedAt = now();
        break;
      }
      if (now() - lastChange > 150_000) {
        notes.push(`STALLED: nothing settled for 150 s (pending ${c.pending}, sending ${c.sending}, settled ${settled})`);
        break;
      }
    }
    if (drainedAt === null && !notes.some((n) => n.startsWith('STALLED'))) notes.push(`NOT DRAINED within ${s(perScenarioMs(kind))}: ${JSON.stringify(last)}`);
    // Send jobs still queued after the drain are no-ops (their rows are settled), but new messages
    // queue behind them: measure how fast the running workers clear them (PostgreSQL only).
    let churn: { open: number; perSecond: number; left: number } | null = null;
    if (db && drainedAt !== null) {
      const before = await sendJobs(db);
      if (before && before.open > 0) {
        await sleep(10_000);
        const after = await sendJobs(db);
        if (after) churn = { open: before.open, perSecond: (before.open - after.open) / 10, left: after.open };
      }
    }
    // Let a trailing progress update land, then stop the bots.
    await sleep(500);
    await Promise.all(workers.map((w) => stopWorker(w)));
    if (!db) db = await openDatabase(loadConfig({ ...workerBaseEnv, DATABASE_URL: databaseUrl }).database, { migrate: false });
    deps = createDeps(config, db, logger);
    const fin = await finalFigures(db, connector, pulseId);
    const jobsHeld = await sendJobs(db);
    const swept = sweeps(workers.map((w) => w.logFile));
    const st = connector.stats();
    const rate = connector.rate();
    const drainMs = (drainedAt ?? now()) - t0;
    const pidOf = (lockedBy: string) => Number(lockedBy.split(':')[1]);
    const perProcess = [...fin.perWorker.entries()]
      .map(([by, n]) => `${workers.find((w) => w.pid === pidOf(by))?.label ?? by}=${n}`)
      .join(', ');

    const lines = [
      `${kind.padEnd(6)} [${backend}, ${processes} process${processes > 1 ? 'es' : ''}, ${RECIPIENTS} recipients, fail502=${FAIL502}] ` +
        `rate ${f1(rate)} msg/s ÷ limit ${LIMIT} = ${f2(rate / LIMIT)} (target ≥ 0.90; Teams 50) | ` +
        `duplicates ${st.duplicates} | lost ${fin.lost} | undelivered without reason ${fin.counts.nullReason} | ` +
        `429s ${st.throttledTenant + st.throttledConversation} (tenant ${st.throttledTenant}, conversation ${st.throttledConversation}) | ` +
        `502s injected ${st.injected502} | time to drain ${drainedAt ? s(drainMs) : `NOT DRAINED (${s(drainMs)})`}`,
      `         outbox: sent ${fin.counts.sent}, failed ${fin.counts.failed}, skipped ${fin.counts.skipped}, pending ${fin.counts.pending}, sending ${fin.counts.sending}` +
        (Object.keys(fin.reasons).length ? ` (not sent: ${JSON.stringify(fin.reasons)})` : '') +
        `; rows retried by the worker ${fin.retriedRows} (+${fin.extraAttempts} attempts); sent but never accepted ${fin.sentNotAccepted}`,
      `         connector: ${st.acceptedActivities} activities accepted (${st.duplicatedRecipients} recipients twice+), ${st.updates} progress updates, ${st.requests} requests; ` +
        `peak ${peakPerSecond(connector)} activities / ${st.peakTenantPerSecond} requests in any 1 s; end-to-end ${f1(fin.counts.sent / (drainMs / 1000))} msg/s ` +
        `(open → drained; openPulse took ${s(openMs)}, seeding ${s(seedMs)})`,
    ];
    lines.push(
      `         queue: ${jobsHeld ? `${jobsHeld.total} send jobs created for ${RECIPIENTS} messages (${f2(jobsHeld.total / RECIPIENTS)} per message)` : 'send jobs n/a'}; ` +
        `sweeper re-queued ${swept.messages} messages in ${swept.sweeps} sweeps` +
        (churn
          ? churn.left === 0
            ? `; when the outbox was drained ${churn.open} (no-op) send jobs were still queued, all cleared within 10 s`
            : `; when the outbox was drained ${churn.open} (no-op) send jobs were still queued, cleared at ${f1(churn.perSecond)}/s, ` +
              `so a message queued then (next pulse, reminder) waits ≈ ${churn.perSecond > 0 ? s((churn.open / churn.perSecond) * 1000) : '∞'} behind them`
          : jobsHeld
            ? `; ${jobsHeld.open} send jobs still queued at the end`
            : ''),
    );
    if (kind === 'two') lines.push(`         per process (sent rows by lockedBy): ${perProcess}; aggregate ${f1(rate)} msg/s ÷ ${LIMIT} = ${f2(rate / LIMIT)}`);
    for (const n of notes) lines.push(`         ${n}`);
    if (kind === 'kill') {
      lines.push(
        `         at-least-once: a message the connector accepted just before kill -9 but that the dead process had not yet recorded 'sent' ` +
          `is sent again once its 60 s lease expires; duplicates that occurred: ${st.duplicates}. ` +
          `Accept → sentAt took p50 ${f1(fin.window.p50)} ms, p99 ${f1(fin.window.p99)} ms, max ${f1(fin.window.max)} ms, so a kill at a random moment ` +
          `lands in that window with probability ≈ ${f1(fin.window.exposure * 100)} % (then 1 duplicate)`,
      );
    }
    if (!drainedAt || st.duplicates > 0 || fin.lost > 0) {
      for (const w of workers) lines.push(`         log ${w.label} (pid ${w.pid}) tail:\n${tail(w.logFile, 8).replace(/^/gm, '           ')}`);
    }
    return lines.join('\n');
  } finally {
    await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
    if (db) await db.close().catch(() => undefined);
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

console.log(
  `bench/delivery: Node ${process.version}, ${os.cpus().length} CPUs; ${RECIPIENTS} recipients, DELIVERY_RATE_PER_SECOND=${LIMIT}, ` +
    `DELIVERY_BATCH_SIZE=${workerConfig.delivery.batchSize}, JOB_POLL_SECONDS=${workerConfig.delivery.pollSeconds}, fail502=${FAIL502}, seed=${SEED}; ` +
    `scenarios ${SCENARIOS.join(', ')} (single/kill on ${DB_KIND}, two on pg); overall limit ${Math.round(OVERALL_MS / 1000)} s` +
    (NO_PROGRESS || EXP_LOOPS || EXP_PACE_UPDATES
      ? `\n  NOT the shipped behaviour:${NO_PROGRESS ? ' --no-progress (no starter progress message)' : ''}${EXP_LOOPS ? ` --exp-send-loops=${EXP_LOOPS}` : ''}${EXP_PACE_UPDATES ? ' --exp-pace-updates' : ''}`
      : ''),
);
let failed = false;
try {
  for (const kind of SCENARIOS) {
    try {
      console.log(await runScenario(kind));
    } catch (err) {
      failed = true;
      console.log(`${kind.padEnd(6)} ERROR: ${(err as Error).stack ?? err}`);
    }
  }
} finally {
  if (!KEEP_DB && (SCENARIOS.includes('two') || DB_KIND === 'pg')) await dropPostgres().catch(() => undefined);
  clearTimeout(overall);
  killAll();
  removeTemp();
}
process.exit(failed ? 1 : 0);
