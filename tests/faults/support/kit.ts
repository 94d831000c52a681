import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, type Activity } from '../../helpers/harness.ts';

/**
 * Small pieces shared by the fault tests (tests/faults/*.test.ts): the
 * environment of a spawned bot, Teams-shaped activities for arbitrary
 * people, POSTing them to a bot process, polling, and the summary each
 * scenario prints for the CI log.
 */

/** Environment for a spawned bot process: the caller's, minus any production credentials, on 127.0.0.1. */
export function botEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('MICROSOFT_APP_') || k.startsWith('OPENAI_') || k.startsWith('AZURE_OPENAI_') || k.startsWith('VITEST') || k === 'TEST_DATABASE_URL') continue;
    env[k] = v;
  }
  return {
    ...env,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    // Many answers from the same test client in a short time: the per-person limit is not under test here.
    RATE_LIMIT_PER_MINUTE: '0',
    TURN_TIMEOUT_SECONDS: '60',
    JOB_POLL_SECONDS: '0.5',
    ...extra,
  };
}

/** A temporary directory, removed by `removeTempDirs()` (afterAll). */
const dirs = new Set<string>();
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kp-faults-${label}-`));
  dirs.add(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** A person in a Teams tenant, as activities: message text or a card action (Action.Execute). */
export function person(teamsUserId: string, conversationId: string, teamsTenantId: string, opts: { name?: string; locale?: string } = {}) {
  const from = { id: teamsUserId, name: opts.name ?? teamsUserId, aadObjectId: `8d0b2b0e-0000-4000-8000-${createHash('sha256').update(teamsUserId).digest('hex').slice(0, 12)}` };
  const conversation = { id: conversationId, tenantId: teamsTenantId };
  const common = { from, conversation, locale: opts.locale ?? 'nb-NO', channelData: { tenant: { id: teamsTenantId } } };
  return {
    teamsUserId,
    conversationId,
    install: (): Activity => fixture('personal-install', common),
    say: (text: string): Activity => fixture('personal-message', { ...common, text }),
    act: (verb: string, data: Record<string, unknown>): Activity => fixture('card-action', { ...common, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }),
  };
}

let seq = 0;

/** POSTs an activity to a bot process's /api/messages with serviceUrl pointed at the (mock) connector. */
export async function post(port: number, connectorUrl: string, activity: Activity, timeoutMs = 60_000): Promise<{ status: number; body: unknown }> {
  const body = { ...activity, id: `fault-${process.pid}-${++seq}`, serviceUrl: connectorUrl };
  const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

export async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value (returned) or the time is up (throws with `what`). */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs: number, everyMs = 200): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

/** Prints the scenario's summary (what was injected, what was verified, counts) for the CI log. */
export function summary(scenario: string, lines: string[]): void {
  const text = [`\n== faults: ${scenario}`, ...lines.map((l) => `   ${l}`)].join('\n');
  // console.log is buffered by vitest's reporter per test; stderr goes straight to the log.
  process.stderr.write(`${text}\n`);
}
