/**
 * Fault 1: the database goes down while the bot serves, and comes back.
 *
 * The real bot process (src/index.ts) on a PRIVATE PostgreSQL; a mock Bot
 * Connector on 127.0.0.1 records what it sends. The database is stopped with
 * `pg_ctl stop -m immediate` (every server process aborted, as in a crash);
 * staff get «prøv igjen om litt» in their own language, /healthz says 503
 * degraded, and an answer submitted meanwhile is not stored at all. Then the
 * database is started again and, without restarting the bot, it serves
 * normally, stores the answer once, and its job queue (pg-boss) runs a job
 * queued after the recovery (a new pulse is delivered).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWorker, stopWorker, tail, type Worker } from '../../bench/delivery-support.ts';
import type { PulseContent } from '../../src/domain/pulse-content.ts';
import { itemsForPerson } from '../../src/domain/pulse-content.ts';
import { en } from '../../src/i18n/en.ts';
import { nb } from '../../src/i18n/nb.ts';
import { startMockConnector, type MockConnector } from '../helpers/mock-connector.ts';
import { botEnv, healthz, person, post, removeTempDirs, sleep, summary, tempDir, waitFor } from './support/kit.ts';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.ts';

const TENANT = 'f1e2d3c4-0000-4000-8000-0000000fa017';
const ola = person('29:1fault-ola', 'a:1fault-ola', TENANT, { name: 'Ola Rektor' });
const kari = person('29:1fault-kari', 'a:1fault-kari', TENANT, { name: 'Kari Nordmann' });
const emma = person('29:1fault-emma', 'a:1fault-emma', TENANT, { name: 'Emma Smith', locale: 'en-US' });

let pgServer: PrivatePostgres | undefined;
let connector: MockConnector | undefined;
let bot: Worker | undefined;
let client: pg.Client | undefined;
const dir = tempDir('db-down');

beforeAll(async () => {
  pgServer = await startPrivatePostgres('kp-faults-dbdown');
  await pgServer.createDatabase('kp');
  connector = await startMockConnector();
  bot = startWorker({ label: 'bot', script: 'src/index.ts', dir, env: botEnv(pgServer.url('kp')) });
  await bot.ready;
}, 120_000);

afterAll(async () => {
  await client?.end().catch(() => undefined);
  if (bot) await stopWorker(bot, 'SIGKILL');
  await connector?.close();
  await pgServer?.remove();
  removeTempDirs();
}, 60_000);

const texts = (conversationId: string) => connector!.sentActivities().filter((a) => (a as { conversation?: { id?: string } }).conversation?.id === conversationId).map((a) => a.text ?? JSON.stringify(a.attachments?.[0]?.content ?? ''));
const cardsFor = (pulseId: string) => connector!.calls.filter((c) => c.method === 'POST' && (c.status ?? 0) < 300 && /\/activities/.test(c.path) && JSON.stringify(c.body).includes(pulseId)).map((c) => c.conversationId);

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  if (!client) {
    client = new pg.Client({ connectionString: pgServer!.url('kp') });
    client.on('error', () => undefined);
    await client.connect();
  }
  return (await client.query<T>(sql, params)).rows;
}

describe('fault: the database goes down mid-run and comes back', () => {
  it('answers «prøv igjen om litt», reports degraded, stores nothing half-way, and recovers by itself (pg-boss too)', async () => {
    onTestFailed(() => void process.stderr.write(`bot log tail:\n${tail(bot!.logFile, 40)}\n`));
    const port = bot!.port!;
    const send = (a: Record<string, unknown>) => post(port, connector!.url, a);

    // --- before: a working bot with a leader, two staff and an open pulse delivered by pg-boss
    await send(ola.install());
    await send(ola.say('rolle meg leder'));
    for (const p of [kari, emma]) {
      await send(p.install());
      const saved = await send(p.act('profile.save', { staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: '', language: '' }));
      expect(saved.status).toBe(200);
    }
    await send(ola.say('start puls laringsmiljo-1'));
    const [firstPulse] = await waitFor('the first pulse', () => query<{ id: string; content: PulseContent }>(`SELECT id, content FROM "Pulse" ORDER BY "createdAt"`).then((r) => (r.length ? r : null)), 20_000);
    await waitFor('the first pulse delivered to all three', () => cardsFor(firstPulse!.id).length >= 3, 30_000);
    const items = itemsForPerson(firstPulse!.content, []);
    const answer = { pulseId: firstPulse!.id, ...Object.fromEntries(items.filter((i) => i.scale).map((i) => [i.id, '3'])) };
    const scaleItems = items.filter((i) => i.scale).length;
    expect((await healthz(port)).status).toBe(200);

    // --- the database goes down (crash: immediate stop)
    await client!.end();
    client = undefined;
    const downAt = Date.now();
    await pgServer!.stop('immediate');

    const health = await healthz(port);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'unreachable' });

    const before = connector!.calls.length;
    const kariDown = await send(kari.say('hjelp'));
    const emmaDown = await send(emma.say('help'));
    const submitDown = await send(kari.act('pulse.answer', answer));
    const downReplies = connector!.calls.slice(before).filter((c) => /\/activities/.test(c.path)).map((c) => ({ conv: c.conversationId, text: (c.body as { text?: string } | undefined)?.text }));
    expect(texts(kari.conversationId).filter((t) => t === nb['error.unavailable']).length).toBe(1); // the message
    // The card action gets the words as its response; the card stays as filled in, to be sent again.
    expect(submitDown.status).toBe(200);
    expect(submitDown.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: nb['error.unavailable'] });
    expect(texts(emma.conversationId)).toContain(en['error.unavailable']);
    expect(nb['error.unavailable']).toContain('Prøv igjen om litt');

    // Down long enough for pg-boss's pollers and the pools to fail a few times.
    await sleep(Math.max(0, 8_000 - (Date.now() - downAt)));
    const stillDown = await healthz(port);
    expect(stillDown.status).toBe(503);

    // --- the database comes back; the bot is NOT restarted
    await pgServer!.start();
    const upAt = Date.now();
    const healthyAfterMs = (await waitFor('/healthz 200 after the restart', async () => ((await healthz(port)).status === 200 ? Date.now() : null), 60_000)) - upAt;

    // Nothing was half-written while it was down.
    const kariId = (await query<{ id: string }>(`SELECT id FROM "Person" WHERE "teamsUserId" = $1`, [kari.teamsUserId]))[0]!.id;
    const afterRecovery = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "Answer" WHERE "pulseId" = $1 AND "personId" = $2`, [firstPulse!.id, kariId]);
    expect(afterRecovery[0]!.n).toBe(0);
    const answeredWhileDown = await query<{ answeredAt: Date | null }>(`SELECT "answeredAt" FROM "PulseRecipient" WHERE "pulseId" = $1 AND "personId" = $2`, [firstPulse!.id, kariId]);
    expect(answeredWhileDown[0]!.answeredAt).toBeNull();

    // Service resumes: a normal answer, the submission stored exactly once.
    const beforeHelp = connector!.calls.length;
    const helpAgain = await send(kari.say('hjelp'));
    expect(helpAgain.status).toBe(200);
    const helpText = connector!.calls.slice(beforeHelp).map((c) => JSON.stringify(c.body)).join('\n');
    expect(helpText).toContain(nb['help.title']);
    expect(helpText).not.toContain(nb['error.unavailable']);

    const submitted = await send(kari.act('pulse.answer', answer));
    expect(submitted.status).toBe(200);
    expect(JSON.stringify(submitted.body)).toContain('Takk! Svarene dine er lagret.');
    const stored = await query<{ itemId: string; n: number }>(`SELECT "itemId", count(*)::int AS n FROM "Answer" WHERE "pulseId" = $1 AND "personId" = $2 GROUP BY "itemId"`, [firstPulse!.id, kariId]);
    expect(stored.length).toBe(scaleItems);
    expect(stored.every((r) => r.n === 1)).toBe(true);

    // pg-boss recovered: a job queued after the recovery runs (a new pulse is delivered to everyone).
    await send(ola.say('start puls digital-kompetanse'));
    const second = await waitFor('the second pulse', async () => (await query<{ id: string }>(`SELECT id FROM "Pulse" WHERE id <> $1`, [firstPulse!.id]))[0], 20_000);
    await waitFor('the second pulse delivered to all three after the recovery', () => cardsFor(second.id).length >= 3, 60_000);
    const jobs = await query<{ state: string; n: number }>(`SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = 'outbox-send' GROUP BY state`);
    const outbox = await query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Outbox" WHERE "pulseId" = $1 GROUP BY status`, [second.id]);
    expect(outbox).toEqual([{ status: 'sent', n: 3 }]);
    expect(bot!.child.exitCode).toBeNull(); // still the same process

    summary('1 database down mid-run (real bot on a private PostgreSQL, pg_ctl stop -m immediate, then start)', [
      `injected: PostgreSQL stopped for ${((upAt - downAt) / 1000).toFixed(1)} s while the bot (pid ${bot!.pid}) was serving`,
      `while down: /healthz ${health.status} ${JSON.stringify(health.body)}; message → HTTP ${kariDown.status}, English message → HTTP ${emmaDown.status}, pulse.answer → HTTP ${submitDown.status}`,
      `while down the connector got: ${JSON.stringify(downReplies)}`,
      `after start: /healthz 200 again after ${(healthyAfterMs / 1000).toFixed(1)} s, same process; answers stored while down: ${afterRecovery[0]!.n}; re-submitted answer stored once (${stored.length} items, each 1 row)`,
      `pg-boss after recovery: new pulse delivered to ${cardsFor(second.id).length}/3 (outbox ${JSON.stringify(outbox)}); outbox-send jobs by state ${JSON.stringify(jobs)}`,
    ]);
  }, 240_000);
});

