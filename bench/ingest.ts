/**
 * Answer ingestion under load: N staff answering their pulse cards at once, over HTTP.
 *
 *   npm run bench:ingest -- [--db=both|pg|pglite] [--staff=2000] [--concurrency=10,50,100] [--rate=10]
 *                           [--seconds=20] [--warmup=3] [--idle=10] [--keep-db] [--cpu-prof]
 *
 * Per database (a temporary PGlite directory; PostgreSQL `kp_bench_ingest` at 127.0.0.1:5432,
 * created and dropped through BENCH_PG_ADMIN_URL, default postgresql://root@127.0.0.1:5432/test):
 *
 * 1. Seeds in-process, BEFORE the bot starts (PGlite allows one process): one tenant, an
 *    organisation with 10 schools, --staff people with a saved profile (staff role, school
 *    level), a school membership and a 1:1 conversation reference, then ONE pulse for all of
 *    them opened with the real src/services/openPulse (template laringsmiljo-1: six 1–5
 *    questions and a comment). The outbox rows are marked sent (the cards were delivered),
 *    so the bot does no delivery work during the load. Closes the database.
 * 2. Starts the real bot (`node --import tsx src/index.ts`, local mode, LOG_LEVEL=info to a
 *    log file) and waits for GET /healthz; its outgoing calls would go to a counting mock
 *    Bot Connector on 127.0.0.1 (the activities' serviceUrl). Idle RSS after --idle seconds.
 * 3. Load, always the same request: POST `adaptiveCard/action` invokes with `Action.Execute` verb `pulse.answer`
 *    and a valid answer (like tests/routes/checkin-flow.test.ts) to /api/messages, with
 *    Node's fetch (undici, keep-alive); each phase runs --warmup seconds unmeasured, then
 *    --seconds measured.
 *    a. Open loop (--rate, default 10 submits/s, 0 = skip): submits at a steady rate whatever
 *       the answers take, as staff answering a card that just arrived would (2,000 staff all
 *       answering within 5 minutes is under 7/s); latency counted from the planned send time.
 *    b. Closed loop, for each concurrency C: C virtual users each send, await the answer and
 *       send the next at once; user v answers for the people i with i % C = v in turn, so no
 *       two requests for one person are ever in flight. The same load runs first against
 *       bench/bare-bot.ts (a teams-ai Application with the same adapter and options, no
 *       database; started once) → ratio = bot ÷ bare submits/s.
 *    A submit counts as OK only if the answer is HTTP 200 with an Adaptive Card containing
 *    the receipt heading; anything else (status, timeout after 15 s, other card) is an error.
 * 4. Stops the bot and checks the database against what was acknowledged: for every person,
 *    the stored answer rows must be exactly the items of their LAST acknowledged submission
 *    (values and the comment, which carries the submission's sequence number). lost = people
 *    whose last acknowledged submission is not what is stored (missing or older);
 *    duplicated = rows beyond one per person × item (the primary key forbids them, counted
 *    anyway); stored without acknowledgement = people whose stored submission was one that
 *    errored. Also: audit rows `pulse.answered` vs acknowledged submits.
 *
 * Figures: submits/s (OK answers ÷ measured wall time), latency p50/p95/p99/max of OK answers,
 * errors, CPU ms per submit of the bot process (and, on PostgreSQL, of its server backends),
 * the load generator's own CPU share, RSS (VmRSS of the node process running src/index.ts,
 * sampled every 100 ms: idle after start, peak during load). Targets: at 50 concurrent, bot ≥
 * 0.6 × bare and p99 < 100 ms; PASS/MISS is printed as measured. NB: in a closed loop latency ≈
 * C ÷ throughput (Little's law), so p99 < 100 ms at C = 50 needs roughly ≥ 500 submits/s.
 * Bot, bare bot, PostgreSQL and this load generator share the machine: on a busy machine every
 * figure drops (the load average is printed with each line); CPU ms per submit and the ratio
 * (which is close to the ratio of the two processes' CPU per submit) move least.
 *
 * --cpu-prof starts the bot with `--cpu-prof` and prints where its CPU went during the load
 * (self time by package and by function); the .cpuprofile files are kept and their path printed.
 *
 * Prints figures; not a timed test. Only 127.0.0.1 is used. An overall timeout stops
 * everything; child processes are stopped by process group, temporary directories removed,
 * kp_bench_ingest dropped (unless --keep-db).
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createDeps } from '../src/deps.ts';
import { buildPulseContent, itemsForPerson, type PulseItem } from '../src/domain/pulse-content.ts';
import { createLogger } from '../src/logger.ts';
import { openPulse } from '../src/services/open-pulse.ts';
import { tail } from './delivery-support.ts';
import { cpuMs, freePort, procStatusKb } from './proc.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const DB = flag('db') ?? 'both';
const STAFF = Number(flag('staff') ?? 2000);
const CONCURRENCY = (flag('concurrency') ?? '10,50,100').split(',').map((s) => Number(s.trim()));
const RATES = (flag('rate') ?? '10').split(',').map((s) => Number(s.trim())).filter((r) => r !== 0);
const SECONDS = Number(flag('seconds') ?? 20);
const WARMUP = Number(flag('warmup') ?? 3);
const IDLE = Number(flag('idle') ?? 10);
const KEEP_DB = argv.includes('--keep-db');
const CPU_PROF = argv.includes('--cpu-prof');
if (!['both', 'pg', 'pglite'].includes(DB)) throw new Error('--db must be both, pg or pglite');
if (!Number.isInteger(STAFF) || STAFF < 10) throw new Error('--staff must be an integer >= 10');
if (CONCURRENCY.some((c) => !Number.isInteger(c) || c < 1 || c > STAFF)) throw new Error('--concurrency must be integers between 1 and --staff, e.g. 10,50,100');
if (RATES.some((r) => !Number.isFinite(r) || r < 0 || r > 1000)) throw new Error('--rate must be submits per second (0 = no open-loop run), e.g. 10 or 5,20');
for (const [name, v] of [['seconds', SECONDS], ['warmup', WARMUP], ['idle', IDLE]] as const) {
  if (!Number.isFinite(v) || v < 0 || (name === 'seconds' && v < 1)) throw new Error(`--${name} must be a number of seconds`);
}
const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const PG_DB = 'kp_bench_ingest';
const PG_URL = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${PG_DB}`);
const DBS = (DB === 'both' ? ['pglite', 'pg'] : [DB]) as Array<'pglite' | 'pg'>;
const TEAMS_TENANT = '00000000-0000-4000-8000-0000000be0c2';
const TEMPLATE = 'laringsmiljo-1';
const SCHOOLS = 10;
const RECEIPT_MARK = 'Takk! Svarene dine er lagret.';
const REQUEST_TIMEOUT_MS = 15_000;
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 100;
const TARGET_AT = 50;

/** The project's pinned Node (node_modules/.bin/node) for the bot processes, whatever runs this script. */
const NODE = existsSync(path.join(ROOT, 'node_modules', '.bin', 'node')) ? path.join(ROOT, 'node_modules', '.bin', 'node') : process.execPath;
const NODE_VERSION = (() => {
  try {
    return execSync(`"${NODE}" --version`, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
})();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- clean-up and the overall timeout
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let pgCreated = false;
function killAll(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}
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
    if (pgCreated && !KEEP_DB) void dropPostgres().finally(() => process.exit(130));
    else process.exit(130);
  });
}
const perLevelMs = 2 * (WARMUP + SECONDS + 20) * 1000;
const OVERALL_MS = DBS.length * (240_000 + (CONCURRENCY.length + RATES.length) * perLevelMs + STAFF * 30) + 120_000;
const overall = setTimeout(() => {
  console.error(`bench/ingest: gave up after the overall time limit (${Math.round(OVERALL_MS / 1000)} s)`);
  killAll();
  removeTemp();
  if (pgCreated && !KEEP_DB) void dropPostgres().finally(() => process.exit(2));
  else process.exit(2);
}, OVERALL_MS);
overall.unref();

const mb = (kb: number | null) => (kb === null ? null : kb / 1024);

// ---------------------------------------------------------------- PostgreSQL
async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
async function freshPostgres(): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${PG_DB}`);
  });
  pgCreated = true;
}
async function dropPostgres(): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`));
  pgCreated = false;
}
/** CPU ms of every server backend connected to the bench database (pid → ms). */
async function backendCpu(c: pg.Client): Promise<Map<number, number>> {
  const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [PG_DB]);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = cpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

// ---------------------------------------------------------------- a counting mock Bot Connector
async function startConnector() {
  let calls = 0;
  let nextId = 1;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      const parts = (req.url ?? '/').split('?')[0]!.split('/').filter(Boolean);
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      if (req.method === 'GET' && parts[3] === 'pagedmembers') return void res.end('{"members":[]}');
      if (req.method === 'GET' && parts[3] === 'members') return void res.end('[]');
      res.end(JSON.stringify({ id: `activity-${nextId++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- seeding
type Person = { id: string; teamsUserId: string; aadObjectId: string; conversationId: string; name: string };
type Seeded = { pulseId: string; people: Person[]; items: PulseItem[]; tenantId: string; ms: number };

async function seed(databaseUrl: string, connectorUrl: string): Promise<Seeded> {
  const started = performance.now();
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config.database);
  try {
    const deps = createDeps(config, db, createLogger('silent'));
    const tenant = await db.prisma.tenant.create({ data: { teamsTenantId: TEAMS_TENANT, name: 'Benk kommune' } });
    const root = await db.prisma.orgUnit.create({ data: { tenantId: tenant.id, kind: 'organisation', name: 'Benk kommune' } });
    const schools: string[] = [];
    for (let s = 0; s < SCHOOLS; s++) {
      const unit = await db.prisma.orgUnit.create({
        data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: `Skole ${s + 1}`, schoolLevel: s % 3 === 0 ? 'ungdomstrinn' : 'barnetrinn' },
      });
      schools.push(unit.id);
    }
    // Staff with a saved profile (role, level, language): the card then asks no staff role.
    await db.sql.query(
      `INSERT INTO "Person" (id, "tenantId", "teamsUserId", "aadObjectId", name, "clientLocale", "preferredLanguage", "staffRole", "schoolLevel", "profileSavedAt", "profilePromptedAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, '29:bench-' || i, gen_random_uuid()::text, 'Ansatt ' || i, 'nb-NO', 'nb',
         (ARRAY['teacher','teacher','teacher','child_youth_worker','school_assistant','leader','special_support','other'])[1 + i % 8]::"StaffRole",
         (CASE WHEN (i % ${SCHOOLS}) % 3 = 0 THEN 'ungdomstrinn' ELSE 'barnetrinn' END)::"SchoolLevel", now(), now(), now()
       FROM generate_series(1, $2::int) AS i`,
      [tenant.id, STAFF],
    );
    await db.sql.query(
      `INSERT INTO "Membership" ("personId", "unitId", source)
       SELECT p.id, ($2::uuid[])[1 + (substr(p."teamsUserId", 10)::int % ${SCHOOLS})], 'import' FROM "Person" p WHERE p."tenantId" = $1::uuid`,
      [tenant.id, schools],
    );
    await db.sql.query(
      `INSERT INTO "ConversationRef" (id, "tenantId", "conversationId", kind, "serviceUrl", "personId", reference, "updatedAt")
       SELECT gen_random_uuid(), p."tenantId", 'a:bench-' || substr(p."teamsUserId", 10), 'personal', $2, p.id,
         jsonb_build_object(
           'activityId', 'bench-install', 'channelId', 'msteams', 'serviceUrl', $2::text, 'locale', 'nb-NO',
           'conversation', jsonb_build_object('conversationType', 'personal', 'tenantId', $3::text, 'id', 'a:bench-' || substr(p."teamsUserId", 10)),
           'user', jsonb_build_object('id', p."teamsUserId", 'name', p.name, 'aadObjectId', p."aadObjectId"),
           'bot', jsonb_build_object('id', '28:bench-bot', 'name', 'Kompetansepuls')),
         now()
       FROM "Person" p WHERE p."tenantId" = $1::uuid`,
      [tenant.id, connectorUrl, TEAMS_TENANT],
    );
    const tenantRecord = await deps.directory.tenantById(tenant.id);
    if (!tenantRecord) throw new Error('seeded tenant not found');
    const bank = await deps.bank.forTenant(tenant.id);
    const content = buildPulseContent(bank, TEMPLATE);
    const items = itemsForPerson(content, []);
    if (items.length === 0) throw new Error(`template ${TEMPLATE} asks nothing of people without pupil groups`);
    const opened = await openPulse(deps, {
      tenant: tenantRecord,
      unitId: root.id,
      content,
      roleFilter: [],
      opensAt: new Date(Date.now() - 60_000),
      closesAt: new Date(Date.now() + 7 * 24 * 3600_000),
      remindAt: [],
      onClose: 'publish',
      createdById: null,
    });
    if (!opened.pulse || opened.asked !== STAFF) throw new Error(`openPulse asked ${opened.asked} of ${STAFF}`);
    // The cards were delivered before anyone answers: no delivery work during the load.
    await db.sql.query(
      `UPDATE "Outbox" o SET status = 'sent', attempts = 1, "sentAt" = now(), "activityId" = 'card-' || o."personId", "conversationId" = c."conversationId", "updatedAt" = now()
       FROM "ConversationRef" c WHERE c."personId" = o."personId" AND c.kind = 'personal' AND o."pulseId" = $1::uuid`,
      [opened.pulse.id],
    );
    await db.sql.exec('ANALYZE');
    const people = await db.sql.query<{ id: string; teamsUserId: string; aadObjectId: string; name: string }>(
      `SELECT id, "teamsUserId", "aadObjectId", name FROM "Person" WHERE "tenantId" = $1::uuid ORDER BY substr("teamsUserId", 10)::int`,
      [tenant.id],
    );
    return {
      pulseId: opened.pulse.id,
      tenantId: tenant.id,
      items,
      people: people.map((p) => ({ ...p, conversationId: `a:bench-${p.teamsUserId.slice(9)}` })),
      ms: performance.now() - started,
    };
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- child processes (bot, bare bot)
type Child = { label: string; child: ChildProcess; pid: number; port: number; logFile: string; exited: Promise<number | null>; spawnedAt: number };

async function startChild(label: string, script: string, env: Record<string, string>, logFile: string, nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const spawnedAt = performance.now();
  // node --import tsx: the child IS the node process running the bot (no tsx wrapper in between).
  const child = spawn(NODE, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    detached: true, // own process group
    stdio: ['ignore', fd, fd],
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const c: Child = { label, child, pid: child.pid!, port, logFile, exited, spawnedAt };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode} before it was healthy; log ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`${label}: no GET /healthz 200 within 90 s; log:\n${tail(logFile)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return c;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
}

async function stopChild(c: Child): Promise<void> {
  if (!running.has(c.child)) return;
  try {
    process.kill(-c.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 25_000);
  await c.exited;
  clearTimeout(timer);
}

/** The bot's environment: local mode, never production credentials or a language-model key. */
function botEnv(databaseUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('MICROSOFT_APP_') || k.startsWith('OPENAI_') || k.startsWith('AZURE_OPENAI_')) continue;
    env[k] = v;
  }
  return { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' };
}

// ---------------------------------------------------------------- load
type Tracking = {
  /** Per person index: sequence number of the last acknowledged submission, and of the last attempted one. */
  lastAcked: Map<number, number>;
  lastTried: Map<number, number>;
  acked: number;
  errored: number;
};
type LoadResult = {
  ok: number;
  errors: number;
  errorKinds: Map<string, number>;
  firstError: string | null;
  wallMs: number;
  latencies: number[];
  genCpuMs: number;
  targetCpuMs: number | null;
  backendCpuMs: number | null;
  peakRssKb: number | null;
};

type InvokeResponse = { statusCode?: number; type?: string; value?: unknown };
let seq = 0;
const valueFor = (s: number, j: number) => String(((s + j) % 5) + 1);

function answerBody(seeded: Seeded, connectorUrl: string, personIndex: number, s: number): string {
  const p = seeded.people[personIndex]!;
  const data: Record<string, unknown> = { pulseId: seeded.pulseId };
  seeded.items.forEach((item, j) => {
    data[item.id] = item.scale === null ? `bench ${s}` : valueFor(s, j);
  });
  return JSON.stringify({
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:bench-${s}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connectorUrl,
    from: { id: p.teamsUserId, name: p.name, aadObjectId: p.aadObjectId },
    conversation: { conversationType: 'personal', tenantId: TEAMS_TENANT, id: p.conversationId },
    recipient: { id: '28:bench-bot', name: 'Kompetansepuls' },
    locale: 'nb-NO',
    replyToId: `card-${p.id}`,
    value: { action: { type: 'Action.Execute', verb: 'pulse.answer', data }, trigger: 'manual' },
    channelData: { tenant: { id: TEAMS_TENANT }, source: { name: 'message' } },
  });
}

type LoadMode = { kind: 'closed'; concurrency: number } | { kind: 'open'; rate: number };

/**
 * Closed loop: C virtual users for `ms`; user v answers for people v, v+C, v+2C, … in turn
 * (never two requests for one person in flight). Open loop: `rate` submits per second at even
 * intervals whatever the answers take (people in turn, skipping anyone still in flight); latency
 * is counted from the planned send time. Samples the target's RSS every 100 ms.
 */
async function runLoad(
  baseUrl: string,
  seeded: Seeded,
  connectorUrl: string,
  mode: LoadMode,
  ms: number,
  opts: { targetPid: number; tracking: Tracking | null; pgAdmin: pg.Client | null },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  let ok = 0;
  let errors = 0;
  let firstError: string | null = null;
  const fail = (kind: string, detail: string) => {
    errors++;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
    firstError ??= detail;
  };
  let peakRssKb: number | null = null;
  const sampler = setInterval(() => {
    const kb = procStatusKb(opts.targetPid, 'VmRSS');
    if (kb !== null && (peakRssKb === null || kb > peakRssKb)) peakRssKb = kb;
  }, 100);
  const cpu0 = process.cpuUsage();
  const target0 = cpuMs(opts.targetPid);
  const backends0 = opts.pgAdmin ? await backendCpu(opts.pgAdmin) : null;
  const url = `${baseUrl}/api/messages`;
  const started = performance.now();
  const deadline = started + ms;

  /** One submission for one person; `t0` is when it was (planned to be) sent. */
  const submit = async (personIndex: number, t0: number): Promise<void> => {
    const s = ++seq;
    const body = answerBody(seeded, connectorUrl, personIndex, s);
    opts.tracking?.lastTried.set(personIndex, s);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await res.text();
      const elapsed = performance.now() - t0;
      let parsed: InvokeResponse | null = null;
      try {
        parsed = JSON.parse(text) as InvokeResponse;
      } catch {
        // not JSON
      }
      if (res.status !== 200) fail(`HTTP ${res.status}`, `HTTP ${res.status}: ${text.slice(0, 300)}`);
      else if (parsed?.type !== 'application/vnd.microsoft.card.adaptive' || !JSON.stringify(parsed.value).includes(RECEIPT_MARK)) fail('not the receipt card', text.slice(0, 300));
      else {
        ok++;
        latencies.push(elapsed);
        if (opts.tracking) {
          opts.tracking.lastAcked.set(personIndex, s);
          opts.tracking.acked++;
        }
        return;
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const cause = e.cause ? ` (${e.cause.code ?? e.cause.message})` : '';
      fail(e.name === 'TimeoutError' ? `timeout after ${REQUEST_TIMEOUT_MS / 1000} s` : `network: ${e.message}${cause}`, `${e.name}: ${e.message}${cause}`);
    }
    if (opts.tracking) opts.tracking.errored++;
  };

  if (mode.kind === 'closed') {
    const user = async (v: number) => {
      const mine: number[] = [];
      for (let i = v; i < seeded.people.length; i += mode.concurrency) mine.push(i);
      for (let k = 0; performance.now() < deadline; k++) await submit(mine[k % mine.length]!, performance.now());
    };
    await Promise.all(Array.from({ length: mode.concurrency }, (_, v) => user(v)));
  } else {
    const inFlight = new Set<number>();
    const pending: Array<Promise<void>> = [];
    const interval = 1000 / mode.rate;
    let next = 0;
    for (let k = 0; ; k++) {
      const planned = started + k * interval;
      if (planned >= deadline) break;
      const wait = planned - performance.now();
      if (wait > 0) await sleep(wait);
      let personIndex = next;
      for (let tries = 0; inFlight.has(personIndex) && tries < seeded.people.length; tries++) personIndex = (personIndex + 1) % seeded.people.length;
      next = (personIndex + 1) % seeded.people.length;
      inFlight.add(personIndex);
      pending.push(submit(personIndex, planned).finally(() => inFlight.delete(personIndex)));
    }
    await Promise.all(pending);
  }
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const target1 = cpuMs(opts.targetPid);
  let backendCpuMs: number | null = null;
  if (opts.pgAdmin && backends0) {
    const backends1 = await backendCpu(opts.pgAdmin);
    backendCpuMs = 0;
    for (const [pid, after] of backends1) backendCpuMs += after - (backends0.get(pid) ?? 0);
  }
  return {
    ok,
    errors,
    errorKinds,
    firstError,
    wallMs,
    latencies,
    genCpuMs: (cpu.user + cpu.system) / 1000,
    targetCpuMs: target0 !== null && target1 !== null ? target1 - target0 : null,
    backendCpuMs,
    peakRssKb,
  };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN);
type Figures = { rate: number; p50: number; p95: number; p99: number; max: number; ok: number; errors: number; cpuPerSubmit: number | null; pgCpuPerSubmit: number | null; genCpuShare: number; peakRssMb: number | null; errorText: string };
function figures(r: LoadResult): Figures {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    rate: r.ok / (r.wallMs / 1000),
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
    ok: r.ok,
    errors: r.errors,
    cpuPerSubmit: r.targetCpuMs !== null && r.ok > 0 ? r.targetCpuMs / r.ok : null,
    pgCpuPerSubmit: r.backendCpuMs !== null && r.ok > 0 ? r.backendCpuMs / r.ok : null,
    genCpuShare: r.genCpuMs / r.wallMs,
    peakRssMb: mb(r.peakRssKb),
    errorText: r.errors ? ` (${[...r.errorKinds].map(([k, n]) => `${k}: ${n}`).join(', ')}; first: ${r.firstError})` : '',
  };
}
const f0 = (x: number | null) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(0));
const f1 = (x: number | null) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(1));
const f2 = (x: number | null) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(2));
function line(label: string, f: Figures): string {
  return (
    `${label.padEnd(9)} ${f1(f.rate).padStart(6)} submits/s  p50 ${f1(f.p50).padStart(5)} ms  p95 ${f1(f.p95).padStart(5)} ms  p99 ${f1(f.p99).padStart(6)} ms  max ${f0(f.max).padStart(5)} ms  ` +
    `ok ${f.ok}  errors ${f.errors}  | CPU/submit: process ${f2(f.cpuPerSubmit)} ms${f.pgCpuPerSubmit !== null ? ` + postgres ${f2(f.pgCpuPerSubmit)} ms` : ''}, load generator ${f0(f.genCpuShare * 100)} % of a core  | peak RSS ${f0(f.peakRssMb)} MB` +
    `  | load avg ${os.loadavg()[0]!.toFixed(1)}` +
    f.errorText
  );
}

// ---------------------------------------------------------------- verification
type Verification = { people: number; lost: number; duplicated: number; unacknowledged: number; stale: number; answeredAt: number; audit: number; acked: number; detail: string[] };

async function verify(databaseUrl: string, seeded: Seeded, tracking: Tracking): Promise<Verification> {
  const db: Database = await openDatabase(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }).database, { migrate: false });
  try {
    const rows = await db.sql.query<{ personId: string; itemId: string; value: number | null; comment: string | null }>(
      `SELECT "personId", "itemId", value, comment FROM "Answer" WHERE "pulseId" = $1::uuid`,
      [seeded.pulseId],
    );
    const byPerson = new Map<string, Map<string, Array<{ value: number | null; comment: string | null }>>>();
    for (const r of rows) {
      let items = byPerson.get(r.personId);
      if (!items) byPerson.set(r.personId, (items = new Map()));
      const list = items.get(r.itemId) ?? [];
      list.push({ value: r.value, comment: r.comment });
      items.set(r.itemId, list);
    }
    const storedSeq = (items: Map<string, Array<{ value: number | null; comment: string | null }>>): number | null => {
      const comment = [...items.values()].flat().find((a) => a.comment !== null)?.comment;
      const m = comment?.match(/^bench (\d+)$/);
      return m ? Number(m[1]) : null;
    };
    let lost = 0;
    let duplicated = 0;
    let unacknowledged = 0;
    let stale = 0;
    const detail: string[] = [];
    seeded.people.forEach((person, index) => {
      const acked = tracking.lastAcked.get(index);
      const tried = tracking.lastTried.get(index);
      const items = byPerson.get(person.id);
      if (items) for (const list of items.values()) duplicated += Math.max(0, list.length - 1);
      const s = items ? storedSeq(items) : null;
      const matches = (want: number) =>
        items !== undefined &&
        items.size === seeded.items.length &&
        seeded.items.every((item, j) => {
          const got = items.get(item.id)?.[0];
          return got !== undefined && (item.scale === null ? got.comment === `bench ${want}` : got.value === Number(valueFor(want, j)));
        });
      if (acked === undefined) {
        if (items) unacknowledged++; // its only submission errored for the client (e.g. timed out) but the bot finished it
        return;
      }
      if (matches(acked)) return;
      if (s !== null && tried !== undefined && s === tried && s > acked && matches(tried)) {
        unacknowledged++; // the last submission errored for the client but was stored: not lost
        return;
      }
      if (s !== null && s < acked) stale++;
      lost++;
      if (detail.length < 5) detail.push(`${person.teamsUserId}: last acknowledged ${acked}, stored ${s ?? 'nothing'} (${items?.size ?? 0} items)`);
    });
    const [answered] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "PulseRecipient" WHERE "pulseId" = $1::uuid AND "answeredAt" IS NOT NULL`, [seeded.pulseId]);
    const [audit] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE action = 'pulse.answered' AND target = $1`, [seeded.pulseId]);
    return { people: tracking.lastAcked.size, lost, duplicated, unacknowledged, stale, answeredAt: answered!.n, audit: audit!.n, acked: tracking.acked, detail };
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- CPU profile summary
type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };

function categoryOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native/v8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node: (internals)';
  const src = url.indexOf('/src/');
  if (src >= 0) return `app ${url.slice(src + 1).split('/').slice(0, 2).join('/')}`;
  return url.replace(/^file:\/\//, '');
}

/** Self time of the samples taken after `skipMs` (start-up), by package and by function. */
function summariseProfile(file: string, skipMs: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  let t = 0;
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < skipMs * 1000) return;
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    perNode.set(id, (perNode.get(id) ?? 0) + dt);
  });
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of perNode) {
    const frame = byId.get(id)!.callFrame;
    const cat = categoryOf(frame.url, frame.functionName);
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + us);
    const key = `${frame.functionName || '(anonymous)'} ${frame.url ? `${categoryOf(frame.url, '')}:${frame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `cpu profile ${file}: ${(total / 1e6).toFixed(1)} s on CPU (+ ${(idle / 1e6).toFixed(1)} s idle) after the first ${(skipMs / 1000).toFixed(1)} s (start-up) — self time:`,
    `  by package: ${top(byCategory, 14).map(([k, us]) => `${k} ${pct(us).trim()}`).join(', ')}`,
    '  top functions:',
    ...top(byFunction, 22).map(([k, us]) => `    ${pct(us)}  ${k}`),
  ];
}

// ---------------------------------------------------------------- one database
type LevelFigures = { concurrency: number; bare: Figures; bot: Figures };
type OpenFigures = { rate: number; bot: Figures };
type DbOutcome = { kind: 'pglite' | 'pg'; idleRssMb: number | null; peakRssMb: number | null; hwmMb: number | null; startMs: number; seedMs: number; open: OpenFigures[]; levels: LevelFigures[]; verification: Verification | null; connectorCalls: number; notes: string[] };

async function runOn(kind: 'pglite' | 'pg', bare: Child, connector: Awaited<ReturnType<typeof startConnector>>): Promise<DbOutcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-bench-ingest-'));
  tempDirs.add(dir);
  const databaseUrl = kind === 'pg' ? PG_URL : `pglite:${path.join(dir, 'pglite')}`;
  const notes: string[] = [];
  let bot: Child | null = null;
  let pgAdmin: pg.Client | null = null;
  const profileDir = CPU_PROF ? mkdtempSync(path.join(os.tmpdir(), `kp-bench-ingest-prof-${kind}-`)) : null;
  try {
    if (kind === 'pg') await freshPostgres();
    const seeded = await seed(databaseUrl, connector.url);
    console.log(`  seeded ${STAFF} staff in ${SCHOOLS} schools + one open pulse (${TEMPLATE}: ${seeded.items.length} items) in ${(seeded.ms / 1000).toFixed(1)} s`);
    bot = await startChild(`bot (${kind})`, 'src/index.ts', botEnv(databaseUrl), path.join(dir, 'bot.log'), profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    const startMs = performance.now() - bot.spawnedAt;
    const idleCpu0 = cpuMs(bot.pid);
    const idleT0 = performance.now();
    await sleep(IDLE * 1000);
    const idleRssMb = mb(procStatusKb(bot.pid, 'VmRSS'));
    const idleCpu1 = cpuMs(bot.pid);
    const idleShare = idleCpu0 !== null && idleCpu1 !== null ? (idleCpu1 - idleCpu0) / (performance.now() - idleT0) : null;
    console.log(
      `  bot pid ${bot.pid} healthy after ${(startMs / 1000).toFixed(1)} s; idle RSS after ${IDLE} s: ${f0(idleRssMb)} MB; ` +
        `idle CPU ${idleShare === null ? 'n/a' : `${(idleShare * 100).toFixed(1)} % of a core (job-queue polling)`}`,
    );
    if (kind === 'pg') {
      pgAdmin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await pgAdmin.connect();
    }
    const loadStartedAt = performance.now();
    const tracking: Tracking = { lastAcked: new Map(), lastTried: new Map(), acked: 0, errored: 0 };
    const levels: LevelFigures[] = [];
    let peakRssMb: number | null = null;
    const callsBefore = connector.calls();
    const botUrl = `http://127.0.0.1:${bot.port}`;
    const bareUrl = `http://127.0.0.1:${bare.port}`;
    const loadBot = async (mode: LoadMode): Promise<Figures> => {
      if (WARMUP > 0) {
        const w = await runLoad(botUrl, seeded, connector.url, mode, WARMUP * 1000, { targetPid: bot!.pid, tracking, pgAdmin: null });
        if (w.peakRssKb !== null) peakRssMb = Math.max(peakRssMb ?? 0, w.peakRssKb / 1024);
      }
      const r = await runLoad(botUrl, seeded, connector.url, mode, SECONDS * 1000, { targetPid: bot!.pid, tracking, pgAdmin });
      if (r.peakRssKb !== null) peakRssMb = Math.max(peakRssMb ?? 0, r.peakRssKb / 1024);
      return figures(r);
    };
    // A realistic peak first (open loop: staff arrive at a steady rate, whatever the answers take).
    const open: OpenFigures[] = [];
    for (const rate of RATES) {
      const f = await loadBot({ kind: 'open', rate });
      console.log(`  ${`${rate}/s`.padEnd(6)}${line('bot', f)}  (open loop)`);
      open.push({ rate, bot: f });
    }
    for (const c of CONCURRENCY) {
      if (WARMUP > 0) await runLoad(bareUrl, seeded, connector.url, { kind: 'closed', concurrency: c }, WARMUP * 1000, { targetPid: bare.pid, tracking: null, pgAdmin: null });
      const bareFig = figures(await runLoad(bareUrl, seeded, connector.url, { kind: 'closed', concurrency: c }, SECONDS * 1000, { targetPid: bare.pid, tracking: null, pgAdmin: null }));
      console.log(`  C=${String(c).padEnd(4)}${line('bare bot', bareFig)}`);
      const botFig = await loadBot({ kind: 'closed', concurrency: c });
      console.log(`  C=${String(c).padEnd(4)}${line('bot', botFig)}`);
      console.log(`         → ratio ${f2(botFig.rate / bareFig.rate)} of the bare bot`);
      levels.push({ concurrency: c, bare: bareFig, bot: botFig });
    }
    const connectorCalls = connector.calls() - callsBefore;
    const hwmMb = mb(procStatusKb(bot.pid, 'VmHWM'));
    const skipMs = loadStartedAt - bot.spawnedAt;
    await stopChild(bot);
    const code = await bot.exited;
    if (code !== 0) notes.push(`bot exited with ${code} on SIGTERM; log tail:\n${tail(bot.logFile, 10)}`);
    const errorsLogged = readFileSync(bot.logFile, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
    if (errorsLogged.length) notes.push(`${errorsLogged.length} error lines in the bot log, first: ${errorsLogged[0]!.slice(0, 400)}`);
    bot = null;
    const verification = await verify(databaseUrl, seeded, tracking);
    if (profileDir) {
      const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      if (files.length === 0) notes.push(`no .cpuprofile written in ${profileDir}`);
      for (const f of files) notes.push(...summariseProfile(path.join(profileDir, f), skipMs));
    }
    return { kind, idleRssMb, peakRssMb, hwmMb, startMs, seedMs: seeded.ms, open, levels, verification, connectorCalls, notes };
  } finally {
    if (bot) await stopChild(bot);
    if (pgAdmin) await pgAdmin.end().catch(() => undefined);
    if (kind === 'pg' && !KEEP_DB) await dropPostgres().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

// ---------------------------------------------------------------- main
const load1 = os.loadavg()[0]!;
console.log(
  `bench/ingest — ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} CPUs (load average ${load1.toFixed(2)} at start), bots on Node ${NODE_VERSION} (load generator ${process.version}); ` +
    `${STAFF} staff, open loop ${RATES.length ? RATES.map((r) => `${r}/s`).join('/') : 'off'}, concurrency ${CONCURRENCY.join('/')}, ${WARMUP} s warm-up + ${SECONDS} s measured per run, databases ${DBS.join(', ')}; ` +
    `overall limit ${Math.round(OVERALL_MS / 1000)} s`,
);
const connector = await startConnector();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'kp-bench-ingest-bare-'));
tempDirs.add(scratch);
let bare: Child | null = null;
const outcomes: DbOutcome[] = [];
let failed = false;
try {
  bare = await startChild('bare bot', 'bench/bare-bot.ts', botEnv(''), path.join(scratch, 'bare.log'));
  await sleep(IDLE * 1000);
  const bareIdle = mb(procStatusKb(bare.pid, 'VmRSS'));
  console.log(`bare bot (bench/bare-bot.ts) pid ${bare.pid}: healthy after ${((performance.now() - bare.spawnedAt) / 1000 - IDLE).toFixed(1)} s, idle RSS ${f0(bareIdle)} MB`);
  for (const kind of DBS) {
    console.log(`\n== ${kind === 'pg' ? `PostgreSQL (${PG_URL})` : 'PGlite (temporary directory)'}`);
    try {
      const o = await runOn(kind, bare, connector);
      outcomes.push(o);
      const v = o.verification!;
      console.log(
        `  database check: ${v.acked} acknowledged submits for ${v.people} people → lost: ${v.lost}, duplicated: ${v.duplicated}` +
          `${v.stale ? ` (${v.stale} of the lost hold an older submission)` : ''}, stored without acknowledgement: ${v.unacknowledged}; ` +
          `recipients marked answered ${v.answeredAt} (${v.people} acknowledged${v.unacknowledged ? ` + up to ${v.unacknowledged} not` : ''}); ` +
          `audit rows 'pulse.answered' ${v.audit} for ${v.acked} acknowledged submits${v.audit > v.acked ? ` (+${v.audit - v.acked}: submits that errored for the client, e.g. timed out, but were stored)` : ''}`,
      );
      for (const d of v.detail) console.log(`    ${d}`);
      console.log(`  RSS of the bot: idle ${f0(o.idleRssMb)} MB, peak during load ${f0(o.peakRssMb)} MB (VmHWM ${f0(o.hwmMb)} MB); connector calls during load: ${o.connectorCalls}`);
      for (const n of o.notes) console.log(`  ${n}`);
      if (v.lost || v.duplicated) failed = true;
    } catch (err) {
      failed = true;
      console.log(`  ERROR: ${(err as Error).stack ?? err}`);
    }
  }
  const bareHwm = mb(procStatusKb(bare.pid, 'VmHWM'));
  console.log(`\nbare bot peak RSS (VmHWM) ${f0(bareHwm)} MB`);
} finally {
  if (bare) await stopChild(bare);
  await connector.close();
  clearTimeout(overall);
  killAll();
  removeTemp();
}

console.log(`\nsummary (targets at C=${TARGET_AT}: bot ≥ ${TARGET_RATIO} × bare submits/s, p99 < ${TARGET_P99_MS} ms; load average now ${os.loadavg()[0]!.toFixed(2)})`);
console.log('  db      C     bare/s   bot/s  ratio   bot p50   bot p99   bare p99  errors  verdict');
for (const o of outcomes) {
  for (const l of o.open) {
    console.log(
      `  ${o.kind.padEnd(7)} ${`${l.rate}/s`.padStart(5)}        ${f1(l.bot.rate).padStart(7)}      —  ${f1(l.bot.p50).padStart(7)}   ${f1(l.bot.p99).padStart(7)}         —   ${String(l.bot.errors).padStart(5)}   open loop (p99 ${l.bot.p99 < TARGET_P99_MS ? '<' : '≥'} ${TARGET_P99_MS} ms)`,
    );
  }
  for (const l of o.levels) {
    const ratio = l.bot.rate / l.bare.rate;
    const verdict =
      l.concurrency === TARGET_AT
        ? `ratio ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}, p99 ${l.bot.p99 < TARGET_P99_MS ? 'PASS' : 'MISS'}`
        : `(p99 ${l.bot.p99 < TARGET_P99_MS ? '<' : '≥'} ${TARGET_P99_MS} ms)`;
    console.log(
      `  ${o.kind.padEnd(7)} ${String(l.concurrency).padStart(3)}  ${f1(l.bare.rate).padStart(8)} ${f1(l.bot.rate).padStart(7)}  ${f2(ratio).padStart(5)}  ${f1(l.bot.p50).padStart(7)}   ${f1(l.bot.p99).padStart(7)}   ${f1(l.bare.p99).padStart(7)}   ${String(l.bot.errors).padStart(5)}   ${verdict}`,
    );
  }
  const v = o.verification;
  if (v) console.log(`  ${o.kind.padEnd(7)} lost: ${v.lost}, duplicated: ${v.duplicated}; RSS idle ${f0(o.idleRssMb)} MB, peak ${f0(o.peakRssMb)} MB`);
}
if (!outcomes.some((o) => o.levels.some((l) => l.concurrency === TARGET_AT))) console.log(`  (no run at C=${TARGET_AT}: the targets were not evaluated)`);
process.exit(failed ? 1 : 0);
