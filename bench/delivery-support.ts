/**
 * The pieces of bench/delivery.ts that the fault tests (tests/faults/) reuse:
 * seeding N recipients with 1:1 conversation references pointing at a mock
 * connector, opening one pulse for all of them with the real openPulse, and
 * running real bot processes (bench/delivery-worker.ts, or the whole bot,
 * src/index.ts) in their own process group so `kill -9` takes exactly one bot.
 *
 * No side effects on import: bench/delivery.ts is the benchmark (a script),
 * this module only exports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../src/db/database.ts';
import type { Deps } from '../src/deps.ts';
import { buildPulseContent, itemsForPerson } from '../src/domain/pulse-content.ts';
import { openPulse } from '../src/services/open-pulse.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- seeding

export type Seeded = { tenantId: string; teamsTenantId: string; unitId: string; templateId: string };

/** One tenant, its organisation unit, N people with a personal conversation reference each (bulk SQL). */
export async function seedRecipients(db: Database, deps: Deps, connectorUrl: string, n: number, opts: { teamsTenantId?: string; prefix?: string } = {}): Promise<Seeded> {
  const teamsTenantId = opts.teamsTenantId ?? '00000000-0000-4000-8000-00000000be0c';
  const prefix = opts.prefix ?? 'bench';
  const tenant = await db.prisma.tenant.create({ data: { teamsTenantId, name: 'Bench kommune' } });
  const unit = await db.prisma.orgUnit.create({ data: { tenantId: tenant.id, kind: 'organisation', name: 'Bench kommune' } });
  await db.sql.query(
    `INSERT INTO "Person" (id, "tenantId", "teamsUserId", name, "staffRole", "preferredLanguage", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, '29:' || $3 || '-' || i, 'Bench ' || i, 'teacher', 'nb', now() FROM generate_series(1, $2::int) AS i`,
    [tenant.id, n, prefix],
  );
  await db.sql.query(
    `INSERT INTO "ConversationRef" (id, "tenantId", "conversationId", kind, "serviceUrl", "personId", reference, "updatedAt")
     SELECT gen_random_uuid(), p."tenantId", 'a:' || substr(p."teamsUserId", 4), 'personal', $2, p.id,
       jsonb_build_object(
         'channelId', 'msteams', 'serviceUrl', $2::text, 'locale', 'nb-NO',
         'conversation', jsonb_build_object('id', 'a:' || substr(p."teamsUserId", 4), 'conversationType', 'personal', 'tenantId', $3::text, 'isGroup', false),
         'user', jsonb_build_object('id', p."teamsUserId", 'name', p.name),
         'bot', jsonb_build_object('id', '28:bench-bot', 'name', 'Kompetansepuls')),
       now()
     FROM "Person" p WHERE p."tenantId" = $1::uuid`,
    [tenant.id, connectorUrl, teamsTenantId],
  );
  const bank = await deps.bank.forTenant(tenant.id);
  const template = bank.templates.find((t) => itemsForPerson(buildPulseContent(bank, t.id), []).length > 0);
  if (!template) throw new Error('no template asks anything of a person without pupil groups');
  return { tenantId: tenant.id, teamsTenantId, unitId: unit.id, templateId: template.id };
}

/**
 * Opens the pulse through src/services/open-pulse.ts (deps.jobs set: its send jobs are
 * queued as in production) and, unless `progress` is false, points its progress message
 * at a starter chat on the connector.
 */
export async function openPulseFor(deps: Deps, s: Seeded, connectorUrl: string, opts: { progress?: boolean } = {}): Promise<{ pulseId: string; asked: number; ms: number }> {
  const tenant = await deps.directory.tenantById(s.tenantId);
  if (!tenant) throw new Error('seeded tenant not found');
  const started = performance.now();
  const content = buildPulseContent(await deps.bank.forTenant(s.tenantId), s.templateId);
  const opened = await openPulse(deps, {
    tenant,
    unitId: s.unitId,
    content,
    roleFilter: [],
    opensAt: new Date(),
    closesAt: new Date(Date.now() + 7 * 24 * 3600_000),
    remindAt: [],
    onClose: 'publish',
    createdById: null,
  });
  if (!opened.pulse) throw new Error('openPulse asked nobody');
  const ms = performance.now() - started;
  if (opts.progress === false) return { pulseId: opened.pulse.id, asked: opened.asked, ms };
  await deps.pulses.setProgressRef(opened.pulse.id, {
    reference: {
      channelId: 'msteams',
      serviceUrl: connectorUrl,
      conversation: { id: 'a:bench-starter', conversationType: 'personal', tenantId: s.teamsTenantId, isGroup: false },
      user: { id: '29:bench-starter', name: 'Starter' },
      bot: { id: '28:bench-bot', name: 'Kompetansepuls' },
    },
    activityId: 'activity-starter',
    lang: 'nb',
  });
  return { pulseId: opened.pulse.id, asked: opened.asked, ms };
}

// ---------------------------------------------------------------- bot processes

export type Worker = {
  label: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves when the workers run (delivery-worker: `{"ready":…}`; src/index.ts: the "lytter på" line). */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** The HTTP port, for src/index.ts. */
  port: number | null;
  lastReport: { outbox: Record<string, number>; nullReason: number } | null;
};

/** Every bot process started here and not yet seen to exit. */
export const runningWorkers = new Set<ChildProcess>();

export function killAllWorkers(): void {
  for (const child of runningWorkers) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  runningWorkers.clear();
}

export type StartWorkerOptions = {
  label: string;
  /** The whole environment of the process (never production credentials). */
  env: Record<string, string>;
  /** Directory for the process's log file. */
  dir: string;
  /** bench/delivery-worker.ts (default) or src/index.ts (the whole bot, with its HTTP server). */
  script?: 'bench/delivery-worker.ts' | 'src/index.ts';
  /** delivery-worker only: print outbox counts every 500 ms (read into lastReport). */
  report?: boolean;
  readyTimeoutMs?: number;
};

export function startWorker(opts: StartWorkerOptions): Worker {
  const { label, dir } = opts;
  const logFile = path.join(dir, `${label}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', opts.script ?? 'bench/delivery-worker.ts'], {
    cwd: ROOT,
    detached: true, // own process group: kill -9 of the group takes exactly this bot
    stdio: ['ignore', 'pipe', fd],
    env: { ...opts.env, ...(opts.report ? { BENCH_REPORT_MS: '500' } : {}) },
  });
  closeSync(fd);
  runningWorkers.add(child);
  const w: Worker = { label, child, pid: child.pid!, logFile, ready: Promise.resolve(), exited: Promise.resolve(null), port: null, lastReport: null };
  w.exited = new Promise((resolve) =>
    child.once('exit', (code) => {
      runningWorkers.delete(child);
      resolve(code);
    }),
  );
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  w.ready = new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const msg = JSON.parse(line) as { ready?: unknown; outbox?: Record<string, number>; nullReason?: number; port?: unknown; msg?: unknown };
          if (msg.ready) resolve();
          if (typeof msg.port === 'number' && typeof msg.msg === 'string' && msg.msg.includes('lytter')) {
            w.port = msg.port;
            resolve();
          }
          if (msg.outbox) w.lastReport = { outbox: msg.outbox, nullReason: msg.nullReason ?? 0 };
          // The bot logs (pino) to stdout: keep them with its stderr.
          else appendFileSync(logFile, `${line}\n`);
        } catch {
          appendFileSync(logFile, `${line}\n`);
        }
      }
    });
    void w.exited.then((code) => reject(new Error(`${label} exited (${code}) before it was ready; log ${logFile}:\n${tail(logFile)}`)));
    setTimeout(() => reject(new Error(`${label} not ready within ${readyTimeoutMs / 1000} s; log:\n${tail(logFile)}`)), readyTimeoutMs).unref();
  });
  // Nobody may be waiting yet; a failed start is reported by whoever awaits `ready`.
  w.ready.catch(() => undefined);
  return w;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** SIGTERM (graceful) or SIGKILL to the worker's process group; SIGKILL after 15 s if it does not stop. */
export async function stopWorker(w: Worker, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (!runningWorkers.has(w.child)) return;
  try {
    process.kill(-w.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-w.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 15_000);
  await w.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- measuring

export type Counts = { pending: number; sending: number; sent: number; failed: number; skipped: number; nullReason: number };
export const toCounts = (o: Record<string, number>, nullReason: number): Counts => ({
  pending: o.pending ?? 0,
  sending: o.sending ?? 0,
  sent: o.sent ?? 0,
  failed: o.failed ?? 0,
  skipped: o.skipped ?? 0,
  nullReason,
});

/** Outbox rows by status; `nullReason` = rows not sent without a reason. */
export async function countsFrom(db: Database): Promise<Counts> {
  const rows = await db.sql.query<{ status: string; n: number; nullreason: number }>(
    `SELECT status::text AS status, count(*)::int AS n, count(*) FILTER (WHERE reason IS NULL)::int AS nullreason FROM "Outbox" GROUP BY status`,
  );
  return toCounts(Object.fromEntries(rows.map((r) => [r.status, r.n])), rows.filter((r) => r.status !== 'sent').reduce((s, r) => s + r.nullreason, 0));
}

/** One outbox row of a pulse, with the 1:1 conversation it was for. */
export type OutboxRow = { status: string; reason: string | null; conversationId: string | null; attempts: number; lockedBy: string | null; activityId: string | null; sentAt: Date | null };

export async function outboxRows(db: Database, pulseId: string): Promise<OutboxRow[]> {
  return db.sql.query<OutboxRow>(
    `SELECT o.status::text AS status, o.reason, c."conversationId", o.attempts, o."lockedBy", o."activityId", o."sentAt"
     FROM "Outbox" o LEFT JOIN "ConversationRef" c ON c."personId" = o."personId" AND c.kind = 'personal'
     WHERE o."pulseId" = $1::uuid`,
    [pulseId],
  );
}

/**
 * The outbox held against what the connector accepted (conversation ids),
 * the same way in the benchmark and the fault tests. lost = recipients with
 * no accepted card and no failed/skipped row with a reason; sentNotAccepted =
 * rows marked sent that the connector never accepted; reasons counts rows
 * not sent by `status:reason`; perWorker counts sent rows by process.
 */
export function outboxVerdict(rows: OutboxRow[], accepted: ReadonlySet<string | null>) {
  const reasons: Record<string, number> = {};
  const perWorker = new Map<string, number>();
  let lost = 0;
  let sentNotAccepted = 0;
  let extraAttempts = 0;
  let retriedRows = 0;
  for (const r of rows) {
    const got = r.conversationId !== null && accepted.has(r.conversationId);
    const explained = (r.status === 'failed' || r.status === 'skipped') && r.reason !== null;
    if (!got && !explained) lost++;
    if (r.status === 'sent' && !got) sentNotAccepted++;
    if (r.status !== 'sent') reasons[`${r.status}:${r.reason ?? 'null'}`] = (reasons[`${r.status}:${r.reason ?? 'null'}`] ?? 0) + 1;
    if (r.status === 'sent' && r.lockedBy) perWorker.set(r.lockedBy, (perWorker.get(r.lockedBy) ?? 0) + 1);
    extraAttempts += Math.max(0, r.attempts - 1);
    if (r.attempts > 1) retriedRows++;
  }
  return { reasons, lost, sentNotAccepted, extraAttempts, retriedRows, perWorker };
}
