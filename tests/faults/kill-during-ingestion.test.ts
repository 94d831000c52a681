/**
 * Fault 4: kill -9 of the bot while staff submit their answers.
 *
 * The real bot process (src/index.ts) on a PRIVATE PostgreSQL, M staff in one
 * open pulse, answers POSTed concurrently to /api/messages as Teams would
 * (Action.Execute `pulse.answer`). Half-way through the bot is killed with
 * SIGKILL; it is started again on the same database. Every answer that got
 * its HTTP 200 receipt must be stored exactly once with all its items; no
 * person may have part of a submission; those who got no receipt can submit
 * again and are then stored once too.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { seedRecipients, openPulseFor, startWorker, stopWorker, tail, type Worker } from '../../bench/delivery-support.ts';
import { startLimitConnector, type LimitConnector } from '../../bench/limit-connector.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { createDeps } from '../../src/deps.ts';
import { itemsForPerson } from '../../src/domain/pulse-content.ts';
import { nb } from '../../src/i18n/nb.ts';
import { createLogger } from '../../src/logger.ts';
import { botEnv, person, post, removeTempDirs, summary, tempDir, waitFor } from './support/kit.ts';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.ts';

const M = 80;
const CONCURRENCY = 8;
const KILL_AFTER_ACKS = Math.floor(M / 2);

let pgServer: PrivatePostgres | undefined;
let connector: LimitConnector | undefined;
let db: Database | undefined;
const bots: Worker[] = [];
const dir = tempDir('ingest');

beforeAll(async () => {
  pgServer = await startPrivatePostgres('kp-faults-ingest');
  await pgServer.createDatabase('kp');
  connector = await startLimitConnector();
}, 120_000);

afterAll(async () => {
  for (const b of bots) await stopWorker(b, 'SIGKILL');
  await db?.close().catch(() => undefined);
  await connector?.close();
  await pgServer?.remove();
  removeTempDirs();
}, 60_000);

describe('fault: kill -9 during answer ingestion', () => {
  it('keeps every acknowledged answer exactly once, with all its items, and no partial answer sets', async () => {
    onTestFailed(() => void bots.forEach((b) => process.stderr.write(`${b.label} log tail:\n${tail(b.logFile, 30)}\n`)));
    const url = pgServer!.url('kp');
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
    db = await openDatabase(config.database);
    const deps = createDeps(config, db, createLogger('silent'));
    const seeded = await seedRecipients(db, deps, connector!.url, M, { prefix: 'staff' });
    // No job queue in this process: the bot queues the unsent cards when it starts.
    const { pulseId } = await openPulseFor(deps, seeded, connector!.url, { progress: false });
    const pulse = await deps.pulses.findById(pulseId);
    const items = itemsForPerson(pulse!.content, []);
    const perSubmission = items.filter((i) => i.scale).length;
    const answer = { pulseId, ...Object.fromEntries(items.filter((i) => i.scale).map((i, k) => [i.id, String((k % 5) + 1)])) };

    const start = (label: string) => {
      const b = startWorker({ label, script: 'src/index.ts', dir, env: botEnv(url) });
      bots.push(b);
      return b;
    };
    const first = start('bot');
    await first.ready;
    const port = first.port!;
    // The pulse's cards (queued by the bot at start-up) go out first: this scenario is about ingestion.
    await waitFor('the cards delivered', async () => (await db!.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Outbox" WHERE status IN ('pending', 'sending')`))[0]!.n === 0, 60_000);

    const people = Array.from({ length: M }, (_, i) => person(`29:staff-${i + 1}`, `a:staff-${i + 1}`, seeded.teamsTenantId, { name: `Staff ${i + 1}` }));
    const acked = new Set<string>();
    const notAcked = new Map<string, string>();
    let killedAt: { acked: number; inFlight: number } | null = null;
    let next = 0;
    let inFlight = 0;
    const killing: Promise<void>[] = [];
    const lane = async () => {
      while (next < people.length) {
        const p = people[next++]!;
        if (killedAt) {
          notAcked.set(p.teamsUserId, 'not sent: bot was down');
          continue;
        }
        inFlight++;
        try {
          const res = await post(port, connector!.url, p.act('pulse.answer', answer), 30_000);
          if (res.status === 200 && JSON.stringify(res.body).includes(nb['receipt.title'])) acked.add(p.teamsUserId);
          else notAcked.set(p.teamsUserId, `HTTP ${res.status}`);
        } catch (err) {
          notAcked.set(p.teamsUserId, `${(err as Error).message}`);
        } finally {
          inFlight--;
        }
        if (!killedAt && acked.size >= KILL_AFTER_ACKS) {
          killedAt = { acked: acked.size, inFlight };
          killing.push(stopWorker(first, 'SIGKILL'));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    await Promise.all(killing);
    expect(killedAt).not.toBeNull();
    expect(first.child.exitCode === null && first.child.signalCode === 'SIGKILL').toBe(true);

    // Restart on the same database.
    const second = start('bot-restarted');
    await second.ready;

    type Row = { teamsUserId: string; items: number; distinctItems: number; answeredAt: Date | null };
    const perPerson = async () =>
      db!.sql.query<Row>(
        `SELECT p."teamsUserId", count(a."itemId")::int AS items, count(DISTINCT a."itemId")::int AS "distinctItems", r."answeredAt"
         FROM "PulseRecipient" r JOIN "Person" p ON p.id = r."personId" LEFT JOIN "Answer" a ON a."pulseId" = r."pulseId" AND a."personId" = r."personId"
         WHERE r."pulseId" = $1::uuid GROUP BY p."teamsUserId", r."answeredAt"`,
        [pulseId],
      );
    const afterKill = await perPerson();
    const byUser = new Map(afterKill.map((r) => [r.teamsUserId, r]));
    const lostAcked = [...acked].filter((u) => byUser.get(u)?.items !== perSubmission || !byUser.get(u)?.answeredAt);
    const partial = afterKill.filter((r) => r.items !== 0 && r.items !== perSubmission);
    const inconsistent = afterKill.filter((r) => (r.items > 0) !== (r.answeredAt !== null));
    const duplicates = afterKill.filter((r) => r.items !== r.distinctItems);
    const storedUnacked = [...notAcked.keys()].filter((u) => (byUser.get(u)?.items ?? 0) > 0).length;
    expect(lostAcked).toEqual([]);
    expect(partial).toEqual([]);
    expect(inconsistent).toEqual([]);
    expect(duplicates).toEqual([]);

    // Those without a receipt try again against the restarted bot: stored once.
    const retried = await Promise.all([...notAcked.keys()].map(async (u) => {
      const p = people.find((x) => x.teamsUserId === u)!;
      const res = await post(second.port!, connector!.url, p.act('pulse.answer', answer), 60_000);
      return res.status === 200 && JSON.stringify(res.body).includes(nb['receipt.title']);
    }));
    expect(retried.every(Boolean)).toBe(true);
    const final = await perPerson();
    expect(final.every((r) => r.items === perSubmission && r.distinctItems === perSubmission && r.answeredAt !== null)).toBe(true);
    const [total] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Answer" WHERE "pulseId" = $1::uuid`, [pulseId]);
    expect(total!.n).toBe(M * perSubmission);
    // The cards queued at start-up were delivered once each, across the kill.
    await waitFor('all cards delivered', async () => (await db!.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Outbox" WHERE status IN ('pending', 'sending')`))[0]!.n === 0, 120_000);

    const reasons = [...notAcked.values()].reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
    summary('4 kill -9 during answer ingestion (real bot on a private PostgreSQL)', [
      `injected: SIGKILL of the bot (pid ${first.pid}) after ${killedAt!.acked} of ${M} receipts, ${killedAt!.inFlight} submissions in flight (${CONCURRENCY} concurrent); restarted as pid ${second.pid}`,
      `acknowledged before the kill: ${acked.size}; without receipt: ${notAcked.size} ${JSON.stringify(reasons)}; of those stored anyway (committed, reply lost): ${storedUnacked}`,
      `verified in the database after restart: acknowledged answers lost ${lostAcked.length}, partial answer sets ${partial.length}, answeredAt inconsistent ${inconsistent.length}, duplicate rows ${duplicates.length} (each submission = ${perSubmission} items)`,
      `re-submitted ${notAcked.size} after restart: all receipted; final ${total!.n} answer rows = ${M} × ${perSubmission}; connector duplicates of the pulse card ${connector!.stats().duplicates}`,
    ]);
  }, 240_000);
});
