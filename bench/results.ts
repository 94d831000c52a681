/**
 * How fast a leader gets a results summary on a large history.
 *
 *   npm run bench:results -- [--db=both|pg|pglite] [--staff=5000] [--schools=40] [--rounds=40] [--runs=15] [--keep-db]
 *
 * Builds a county (1 county unit, 8 municipalities, --schools schools) with
 * --staff staff in realistic staff-group proportions (including one SFO leader
 * per school), then --rounds rounds of pulses: each round one pulse per school,
 * rotating through the question bank's theme templates, 85 % answering each
 * (6 scale answers + comment slot). 40 schools × 40 rounds × 5,000 staff gives
 * ≈ 1,000,000 answers, written with raw `unnest` bulk inserts.
 *
 * Times the real use case `resultsFor` (scope → latest round → counts per
 * cell in SQL for it and the two rounds before, and who answered both →
 * the anonymity rule over every breakdown and the round before → ranking →
 * audit row) for a county coordinator and for one
 * school's leader, --runs times each after two warm-ups, and prints medians,
 * p95, the ratio to the target (300 ms on PostgreSQL, 1 s on PGlite for the
 * county) and the main cost of the counting query's plan (EXPLAIN ANALYZE).
 *
 * PostgreSQL: a fresh database `kp_bench_results` at 127.0.0.1:5432, dropped
 * afterwards unless --keep-db. PGlite: a temporary directory, removed. Only
 * 127.0.0.1 is used; an overall timeout stops the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import type { SqlExecutor } from '../src/db/sql-executor.ts';
import { Rng } from '../src/db/demo/random.ts';
import { createDeps } from '../src/deps.ts';
import { buildPulseContent, type PulseContent } from '../src/domain/pulse-content.ts';
import type { StaffRole } from '../src/domain/profile.ts';
import { translator } from '../src/i18n/translate.ts';
import { createLogger } from '../src/logger.ts';
import { loadQuestionBank } from '../src/question-bank/load-question-bank.ts';
import type { Actor } from '../src/services/actor.ts';
import { resultsFor } from '../src/services/results-summary.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const DB = flag('db') ?? 'both';
const STAFF = Number(flag('staff') ?? 5000);
const SCHOOLS = Number(flag('schools') ?? 40);
const ROUNDS = Number(flag('rounds') ?? 40);
const RUNS = Number(flag('runs') ?? 15);
const KEEP_DB = argv.includes('--keep-db');
if (!['both', 'pg', 'pglite'].includes(DB)) throw new Error('--db must be both, pg or pglite');
for (const [name, v, min] of [['staff', STAFF, 50], ['schools', SCHOOLS, 2], ['rounds', ROUNDS, 1], ['runs', RUNS, 1]] as const) {
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}`);
}
const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const PG_DB = 'kp_bench_results';
const PG_URL = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${PG_DB}`);
const MUNICIPALITIES = 8;
const RESPONSE = 0.85;
const TARGET_MS = { postgresql: 300, pglite: 1000 } as const;

const temp: string[] = [];
process.once('exit', () => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));
const overall = setTimeout(() => {
  console.error('bench/results: gave up after 30 minutes');
  process.exit(2);
}, 30 * 60_000);
overall.unref();

/** Staff-group shares of a Norwegian school's staff (roughly; one SFO leader per school is added). */
const ROLE_SHARES: Array<[StaffRole, number]> = [
  ['teacher', 0.56],
  ['child_youth_worker', 0.13],
  ['school_assistant', 0.13],
  ['leader', 0.05],
  ['special_support', 0.05],
  ['unqualified_teacher', 0.04],
  ['other', 0.04],
];

type Ids = { tenantId: string; county: string; municipalities: string[]; schools: string[]; coordinator: string; schoolLeader: string };

async function insertAll(sql: SqlExecutor, table: string, columns: string[], types: string[], rows: unknown[][]): Promise<void> {
  for (let at = 0; at < rows.length; at += 50_000) {
    const batch = rows.slice(at, at + 50_000);
    const cols = columns.map((_, c) => batch.map((r) => r[c]));
    await sql.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${types.map((t, i) => (t.startsWith('"') ? `$${i + 1}::text[]::${t}[]` : `$${i + 1}::${t}[]`)).join(', ')})`,
      cols,
    );
  }
}

async function seed(db: Database): Promise<{ ids: Ids; answers: number; pulses: number; ms: number }> {
  const started = performance.now();
  const rng = new Rng('bench-results');
  const sql = db.sql;
  const id = () => crypto.randomUUID();
  const tenantId = (await sql.query<{ id: string }>(`INSERT INTO "Tenant" (id, "teamsTenantId", name) VALUES (gen_random_uuid(), 'bench-county', 'Benk fylke') RETURNING id`))[0]!.id;
  const county = id();
  const municipalities = Array.from({ length: MUNICIPALITIES }, id);
  const schools = Array.from({ length: SCHOOLS }, id);
  const units = [
    [county, tenantId, null, 'organisation', 'Benk fylke', null],
    ...municipalities.map((m, i) => [m, tenantId, county, 'municipality', `Kommune ${i + 1}`, null]),
    ...schools.map((s, i) => [s, tenantId, municipalities[i % MUNICIPALITIES], 'school', `Skole ${i + 1}`, i % 3 === 0 ? 'ungdomstrinn' : 'barnetrinn']),
  ];
  await insertAll(sql, 'OrgUnit', ['id', 'tenantId', 'parentId', 'kind', 'name', 'schoolLevel', 'updatedAt'], ['uuid', 'uuid', 'uuid', '"UnitKind"', 'text', '"SchoolLevel"', 'timestamptz'], units.map((u) => [...u, new Date()]));

  const people: { id: string; school: number; role: StaffRole; level: string }[] = [];
  for (let s = 0; s < SCHOOLS; s++) people.push({ id: id(), school: s, role: 'sfo_leader', level: units[1 + MUNICIPALITIES + s]![5] as string });
  while (people.length < STAFF) {
    const s = people.length % SCHOOLS;
    let r = rng.next();
    const role = ROLE_SHARES.find(([, share]) => (r -= share) < 0)?.[0] ?? 'teacher';
    people.push({ id: id(), school: s, role, level: units[1 + MUNICIPALITIES + s]![5] as string });
  }
  await insertAll(sql, 'Person', ['id', 'tenantId', 'name', 'staffRole', 'schoolLevel', 'updatedAt'], ['uuid', 'uuid', 'text', '"StaffRole"', '"SchoolLevel"', 'timestamptz'], people.map((p, i) => [p.id, tenantId, `Ansatt ${i}`, p.role, p.level, new Date()]));
  await insertAll(sql, 'Membership', ['personId', 'unitId', 'source'], ['uuid', 'uuid', 'text'], people.map((p) => [p.id, schools[p.school], 'import']));
  const coordinator = people.find((p) => p.role === 'leader' && p.school === 0)!.id;
  const schoolLeader = people.find((p) => p.role === 'leader' && p.school === 1)!.id;
  await insertAll(sql, 'RoleAssignment', ['personId', 'unitId', 'role'], ['uuid', 'uuid', '"AppRole"'], [[coordinator, county, 'coordinator'], [schoolLeader, schools[1], 'leader']]);

  const bank = loadQuestionBank();
  const templates = bank.templates.map((t) => t.id).filter((t) => buildPulseContent(bank, t).items.filter((i) => i.kind === 'competence').length === 3);
  const contents = new Map<string, PulseContent>(templates.map((t) => [t, buildPulseContent(bank, t)]));
  const start = Date.UTC(2022, 7, 15, 9);
  let answers = 0;
  let pulses = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const templateId = templates[round % templates.length]!;
    const content = contents.get(templateId)!;
    const scale = content.items.filter((i) => i.scale !== null);
    const opensAt = new Date(start + round * 14 * 86_400_000);
    const closesAt = new Date(opensAt.getTime() + 7 * 86_400_000);
    const pulseIds = schools.map(id);
    await insertAll(
      sql,
      'Pulse',
      ['id', 'tenantId', 'unitId', 'templateId', 'bankVersion', 'content', 'status', 'opensAt', 'closesAt', 'updatedAt'],
      ['uuid', 'uuid', 'uuid', 'text', 'text', 'jsonb', '"PulseStatus"', 'timestamptz', 'timestamptz', 'timestamptz'],
      pulseIds.map((p, s) => [p, tenantId, schools[s], templateId, content.bankVersion, JSON.stringify(content), 'published', opensAt, closesAt, closesAt]),
    );
    pulses += pulseIds.length;
    const rows: unknown[][] = [];
    for (const person of people) {
      if (!rng.chance(RESPONSE)) continue;
      const needy = person.role === 'child_youth_worker' || person.role === 'school_assistant' ? 1 : 0;
      for (const item of scale) {
        const base = item.kind === 'competence' ? 3.4 - needy : 3.6 + needy * 0.6;
        const value = Math.min(5, Math.max(1, Math.round(base + rng.normal())));
        rows.push([pulseIds[person.school], person.id, item.id, value, person.role, person.level, schools[person.school], closesAt, closesAt]);
      }
    }
    await insertAll(
      sql,
      'Answer',
      ['pulseId', 'personId', 'itemId', 'value', 'staffRole', 'schoolLevel', 'schoolId', 'answeredAt', 'updatedAt'],
      ['uuid', 'uuid', 'text', 'int', '"StaffRole"', '"SchoolLevel"', 'uuid', 'timestamptz', 'timestamptz'],
      rows,
    );
    answers += rows.length;
  }
  await sql.exec('ANALYZE');
  return { ids: { tenantId, county, municipalities, schools, coordinator, schoolLeader }, answers, pulses, ms: performance.now() - started };
}

/** Wraps the executor (and its transactions) so the counting query can be EXPLAINed with its real parameters. */
function capturing(sql: SqlExecutor): { sql: SqlExecutor; last: () => { text: string; params: unknown[] } | null; reset: () => void } {
  let last: { text: string; params: unknown[] } | null = null;
  const wrap = (inner: SqlExecutor): SqlExecutor => ({
    backend: inner.backend,
    query: (text, params) => {
      // The first counting query of a view is the latest round's (the rounds before and their overlap follow).
      if (!last && /[\s,]a AS MATERIALIZED/.test(text)) last = { text, params: params ?? [] };
      return inner.query(text, params);
    },
    exec: (s) => inner.exec(s),
    transaction: (f) => inner.transaction((tx) => f(wrap(tx))),
  });
  return { sql: wrap(sql), last: () => last, reset: () => (last = null) };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function timeViewer(db: Database, personId: string, tenantId: string): Promise<{ median: number; p95: number; respondents: number | null; rows: number; plan: string }> {
  const captured = capturing(db.sql);
  const deps = createDeps(loadConfig({ LOG_LEVEL: 'warn' }), { ...db, sql: captured.sql }, createLogger('warn'));
  const tenant = (await deps.directory.tenantById(tenantId))!;
  const person = (await deps.directory.findPerson(tenantId, personId))!;
  const actor: Actor = { tenant, person, roles: await deps.directory.rolesOf(personId), lang: 'nb', t: translator('nb') };
  const times: number[] = [];
  let respondents: number | null = null;
  for (let i = 0; i < RUNS + 2; i++) {
    captured.reset();
    const t0 = performance.now();
    const outcome = await resultsFor(deps, actor, { focus: 'summary', role: null, level: null });
    const ms = performance.now() - t0;
    if (outcome.kind !== 'ok') throw new Error(`expected results, got ${outcome.kind}`);
    respondents = outcome.view.target.respondents;
    if (i >= 2) times.push(ms);
  }
  const q = captured.last()!;
  const [answersInRound] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Answer" WHERE "pulseId" = ANY($1::uuid[])`, [q.params[0]]);
  // The same session setting as the repository uses for this query.
  const [explained] = await db.sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '32MB'`);
    return tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, q.params);
  });
  const planJson = explained!['QUERY PLAN'];
  const plan = (typeof planJson === 'string' ? JSON.parse(planJson) : planJson) as Array<{ Plan: PlanNode; 'Execution Time': number }>;
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95), respondents, rows: answersInRound!.n, plan: describePlan(plan[0]!) };
}

type PlanNode = { 'Node Type': string; 'Total Cost': number; 'Actual Total Time': number; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
function describePlan(root: { Plan: PlanNode; 'Execution Time': number }): string {
  const scans: string[] = [];
  const walk = (n: PlanNode) => {
    if (n['Relation Name'] === 'Answer') scans.push(`${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} (cost ${n['Total Cost'].toFixed(0)}, ${n['Actual Total Time'].toFixed(1)} ms)`);
    n.Plans?.forEach(walk);
  };
  walk(root.Plan);
  return `total cost ${root.Plan['Total Cost'].toFixed(0)}, executed in ${root['Execution Time'].toFixed(1)} ms; Answer read by ${[...new Set(scans)].join('; ')}`;
}

async function runOn(kind: 'postgresql' | 'pglite'): Promise<void> {
  let db: Database;
  if (kind === 'postgresql') {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_DB}`);
    await admin.end();
    db = await openDatabase({ kind: 'postgresql', url: PG_URL });
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-bench-results-'));
    temp.push(dir);
    db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'db') });
  }
  try {
    const seeded = await seed(db);
    console.log(`\n== ${kind}: ${seeded.answers.toLocaleString('en')} answers, ${seeded.pulses} pulses, ${STAFF} staff in ${SCHOOLS} schools; seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    for (const [label, person] of [['county coordinator', seeded.ids.coordinator], ['one school\'s leader', seeded.ids.schoolLeader]] as const) {
      const r = await timeViewer(db, person, seeded.ids.tenantId);
      const ratio = label === 'county coordinator' ? `  → ${(r.median / TARGET_MS[kind]).toFixed(2)} of the ${TARGET_MS[kind]} ms target` : '';
      console.log(`${label.padEnd(20)} latest round ${r.rows.toLocaleString('en')} answers, ${r.respondents} respondents: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms${ratio}`);
      console.log(`${''.padEnd(20)} counting query: ${r.plan}`);
    }
  } finally {
    await db.close();
    if (kind === 'postgresql' && !KEEP_DB) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
      await admin.end();
    }
  }
}

console.log(`bench/results — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}; ${RUNS} timed runs per viewer after 2 warm-ups`);
if (DB !== 'pglite') await runOn('postgresql');
if (DB !== 'pg') await runOn('pglite');
