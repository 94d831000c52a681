/**
 * Start-up time and idle memory of the bot process, as `npm run start:bot` runs it
 * (`tsx src/index.ts`, local mode, embedded PGlite).
 *
 *   npx tsx bench/startup.ts [--runs=3] [--idle=10]
 *
 * Per run: a fresh empty `pglite:<tmpdir>` (cold: creates the cluster and applies
 * all migrations), then the same dir again (warm), plus `pglite:memory` (what the
 * tests and the e2e harness use). Each start is timed from spawn() until
 * GET /healthz answers 200; after `--idle` seconds without traffic the VmRSS of
 * the node process running src/index.ts is read from /proc (the tsx wrapper
 * process is reported separately). Prints medians. Only 127.0.0.1 is used and
 * every process is stopped (SIGTERM, then SIGKILL of its process group).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, procStatusKb } from './proc.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = hit ? Number(hit.split('=')[1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};
const RUNS = arg('runs', 3);
const IDLE_S = arg('idle', 10);
const START_TIMEOUT_MS = 60_000;
// Hard stop for the whole benchmark, whatever happens.
const overall = setTimeout(() => {
  console.error(`bench/startup: gave up after the overall time limit`);
  cleanup();
  process.exit(2);
}, RUNS * (3 * (IDLE_S * 1000 + START_TIMEOUT_MS + 15_000)) + 30_000);
overall.unref();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const running = new Set<ChildProcess>();

function cleanup(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
process.once('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

/** The node process running src/index.ts: tsx's child (tsx re-executes node with its loader). */
function botPidUnder(wrapperPid: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (ppid === wrapperPid && cmd.includes('src/index.ts')) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // gone
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && groupAlive(pid)) await sleep(50);
  if (groupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
    while (groupAlive(pid)) await sleep(50);
  }
  running.delete(child);
}

type Sample = { startMs: number; inProcessMs: number | null; rssMb: number | null; wrapperRssMb: number | null; hwmMb: number | null };

async function measure(databaseUrl: string): Promise<Sample> {
  const port = await freePort();
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/index.ts'], {
    cwd: ROOT,
    detached: true, // own process group: stopping it takes tsx and its node child
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MICROSOFT_APP_ID: '',
      MICROSOFT_APP_PASSWORD: '',
      MICROSOFT_APP_TENANT_ID: '',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
    },
  });
  running.add(child);
  child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  try {
    let startMs: number | null = null;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}:\n${output.join('')}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) {
          startMs = performance.now() - started;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
    if (startMs === null) throw new Error(`no /healthz 200 within ${START_TIMEOUT_MS} ms:\n${output.join('')}`);
    const logged = output.join('').match(/"startupMs":(\d+)/);
    await sleep(IDLE_S * 1000);
    const botPid = child.pid ? botPidUnder(child.pid) : null;
    const kb = (pid: number | null | undefined, field: string) => (pid ? procStatusKb(pid, field) : null);
    const mb = (v: number | null) => (v === null ? null : v / 1024);
    return {
      startMs,
      inProcessMs: logged ? Number(logged[1]) : null,
      rssMb: mb(kb(botPid, 'VmRSS')),
      hwmMb: mb(kb(botPid, 'VmHWM')),
      wrapperRssMb: mb(kb(child.pid, 'VmRSS')),
    };
  } finally {
    await stopGroup(child);
  }
}

const median = (xs: Array<number | null>) => {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
};
const fmt = (x: number | null, unit: string, digits = 0) => (x === null ? 'n/a' : `${x.toFixed(digits)} ${unit}`);

const results: Record<'cold' | 'warm' | 'memory', Sample[]> = { cold: [], warm: [], memory: [] };
console.log(`bench/startup: Node ${process.version} (bench runner), ${os.cpus().length} CPUs, ${RUNS} runs, ${IDLE_S} s idle before reading RSS`);
for (let run = 1; run <= RUNS; run++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-bench-pglite-'));
  try {
    for (const kind of ['cold', 'warm'] as const) {
      const s = await measure(`pglite:${dir}`);
      results[kind].push(s);
      console.log(`  run ${run} ${kind.padEnd(6)} start ${fmt(s.startMs, 'ms')} (in-process ${fmt(s.inProcessMs, 'ms')}), idle RSS ${fmt(s.rssMb, 'MB')} (peak ${fmt(s.hwmMb, 'MB')}), tsx wrapper ${fmt(s.wrapperRssMb, 'MB')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const s = await measure('pglite:memory');
  results.memory.push(s);
  console.log(`  run ${run} memory start ${fmt(s.startMs, 'ms')} (in-process ${fmt(s.inProcessMs, 'ms')}), idle RSS ${fmt(s.rssMb, 'MB')} (peak ${fmt(s.hwmMb, 'MB')}), tsx wrapper ${fmt(s.wrapperRssMb, 'MB')}`);
}

console.log(`\nmedians (${RUNS} runs; start = spawn → GET /healthz 200; in-process = the bot's own startupMs; RSS = VmRSS of the node process running src/index.ts after ${IDLE_S} s idle)`);
for (const [label, kind] of [
  ['cold  pglite:<empty dir>', 'cold'],
  ['warm  pglite:<same dir> ', 'warm'],
  ['      pglite:memory     ', 'memory'],
] as const) {
  const xs = results[kind];
  console.log(
    `  ${label}  start ${fmt(median(xs.map((s) => s.startMs)), 'ms')}  in-process ${fmt(median(xs.map((s) => s.inProcessMs)), 'ms')}  idle RSS ${fmt(median(xs.map((s) => s.rssMb)), 'MB')}  peak RSS ${fmt(median(xs.map((s) => s.hwmMb)), 'MB')}  (+ tsx wrapper ${fmt(median(xs.map((s) => s.wrapperRssMb)), 'MB')})`,
  );
}
clearTimeout(overall);
