import type { PromptCompletionModel } from '@microsoft/teams-ai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { startJobQueue, type JobQueue } from '../../src/jobs/job-queue.ts';
import { startWorkers } from '../../src/jobs/workers.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startMockConnector, type MockConnector } from './mock-connector.ts';
import { openTestDatabase } from './test-database.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'activities');

export type Activity = Record<string, unknown>;

/** A Teams-shaped activity from tests/fixtures/activities, with overrides merged in (shallow, plus `from`/`conversation`). */
export function fixture(name: string, overrides: Activity = {}): Activity {
  const base = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Activity;
  const merged: Activity = { ...base, ...overrides };
  for (const key of ['from', 'conversation', 'channelData'] as const) {
    if (overrides[key] && typeof overrides[key] === 'object') merged[key] = { ...(base[key] as object), ...(overrides[key] as object) };
  }
  return merged;
}

export type Harness = {
  baseUrl: string;
  connector: MockConnector;
  db: Database;
  deps: Deps;
  logLines: Array<Record<string, unknown>>;
  jobs: JobQueue;
  /** POSTs an activity to /api/messages with serviceUrl pointed at the mock connector. */
  send(activity: Activity): Promise<{ status: number; body: unknown }>;
  /** Waits until the background workers have sent everything that is due (the outbox has nothing pending). */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

let activitySeq = 0;

/**
 * Starts the real app (real database, real HTTP, real Bot Framework adapter)
 * on a free port with a mock Bot Connector, the way Teams would talk to it.
 */
export async function startHarness(env: Record<string, string> = {}, opts: { db?: Database; aiModel?: PromptCompletionModel } = {}): Promise<Harness> {
  const connector = await startMockConnector();
  const db = opts.db ?? (await openTestDatabase());
  // The per-person rate limit is off and the turn timeout generous unless a test sets them
  // (tests/routes/rate-limit.test.ts does): other tests send many commands quickly on slow machines.
  const config = loadConfig({ LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0', TURN_TIMEOUT_SECONDS: '120', ...env });
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const deps = createDeps(config, db, createLogger(config.logLevel, sink));
  const bot = createApp(deps, undefined, { aiModel: opts.aiModel });
  const jobs = await startJobQueue(db, deps.logger, { pollingIntervalSeconds: 0.5, monitorIntervalSeconds: 1 });
  const workers = await startWorkers(deps, jobs);
  const server: RunningServer = await startServer(bot, deps, 0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${server.port}`;
  return {
    baseUrl,
    connector,
    db,
    deps,
    logLines,
    jobs,
    async settle(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = await db.prisma.outbox.count({ where: { OR: [{ status: 'sending' }, { status: 'pending', nextAttemptAt: { lte: new Date(Date.now() + 1000) } }] } });
        if (open === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox did not drain: ${open} messages left`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async send(activity) {
      const body = { id: `act-${++activitySeq}`, ...activity, serviceUrl: connector.url };
      const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await server.close(1000);
      workers.stop();
      await jobs.stop();
      await connector.close();
      if (!opts.db) await db.close();
    },
  };
}
