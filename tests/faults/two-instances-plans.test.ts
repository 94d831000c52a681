/**
 * Fault 5: two bot processes on one PostgreSQL, plans firing one after another.
 *
 * Plans are at most weekly in the product (no faster cadence to configure),
 * so the "accelerated hour" is 12 plans (6 once-only, 6 weekly) whose times
 * fall 6–28 s after they are saved, with two real bot worker processes
 * (bench/delivery-worker.ts) on a private PostgreSQL racing for every
 * occurrence. Each occurrence's run job is queued as save-plan does, plus two
 * extra copies (pg-boss is at-least-once; a retry or a second queueing must
 * not send a pulse twice). Verified in the database and at the connector:
 * exactly one pulse per plan and occurrence, and every person got every pulse
 * exactly once.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import { QUEUES, startJobQueue } from '../../src/jobs/job-queue.ts';
import { queuePlanRun } from '../../src/services/plan-runner.ts';
import { sleep, summary, waitFor } from './support/kit.ts';
import { useFanout } from './support/fanout.ts';

const RECIPIENTS = 25;
const PLANS = 12;
const FIRST_S = 6;
const SPACING_S = 2;

const fanout = useFanout('kp-faults-plans', RECIPIENTS, { fail502: 0.02, seed: 5 });

describe('fault: two instances on PostgreSQL, plans firing in quick succession', () => {
  it('opens exactly one pulse per plan occurrence and sends each person each pulse once', async () => {
    onTestFailed(() => void process.stderr.write(fanout().logTails()));
    const w1 = fanout().startWorker('w1');
    const w2 = fanout().startWorker('w2');
    await Promise.all([w1.ready, w2.ready]);

    const { db, deps, seeded } = fanout();
    const t0 = Date.now();
    const plans: Array<{ id: string; at: Date; recurrence: string }> = [];
    for (let i = 0; i < PLANS; i++) {
      const at = new Date(Math.ceil((t0 + (FIRST_S + i * SPACING_S) * 1000) / 1000) * 1000);
      const recurrence = i % 2 === 0 ? 'none' : 'weekly';
      const plan = await db.prisma.pulsePlan.create({
        data: { tenantId: seeded.tenantId, unitId: seeded.unitId, templateId: seeded.templateId, firstSendAt: at, recurrence, windowMinutes: 120, reminders: [], maxReminders: 0, onClose: 'publish', skipHolidays: false, status: 'active', nextRunAt: at },
      });
      plans.push({ id: plan.id, at, recurrence });
    }
    // Queue each run as save-plan does, and two more copies of the same occurrence (duplicate jobs).
    const jobs = await startJobQueue(db, deps.logger, { pollingIntervalSeconds: 1, monitorIntervalSeconds: 5 });
    try {
      for (const p of plans) {
        await queuePlanRun({ ...deps, jobs }, { id: p.id, nextRunAt: p.at, status: 'active' });
        for (let copy = 0; copy < 2; copy++) await jobs.send(QUEUES.firePlan, { planId: p.id, occurrence: p.at.toISOString() }, { startAfter: p.at });
      }
    } finally {
      await jobs.stop();
    }
    const lastAt = plans.at(-1)!.at.getTime();

    // Every occurrence fired and every message settled.
    await waitFor(
      'every plan occurrence to fire and its messages to settle',
      async () => {
        if (Date.now() < lastAt) return false;
        const [row] = await db.sql.query<{ pulses: number; open: number; msgs: number }>(
          `SELECT (SELECT count(*)::int FROM "Pulse" WHERE "planId" IS NOT NULL) AS pulses,
                  (SELECT count(*)::int FROM "Outbox" WHERE status IN ('pending', 'sending')) AS open,
                  (SELECT count(*)::int FROM "Outbox") AS msgs`,
        );
        return row!.pulses >= PLANS && row!.open === 0 && row!.msgs >= PLANS * RECIPIENTS;
      },
      lastAt - Date.now() + 90_000,
      500,
    );
    // Late duplicates would show up now: give the queue a few more polls.
    await sleep(3_000);
    const runS = (Date.now() - t0) / 1000;

    const perOccurrence = await db.sql.query<{ planId: string; occurrence: Date; n: number; firstOpened: Date }>(
      `SELECT "planId", occurrence, count(*)::int AS n, min("opensAt") AS "firstOpened" FROM "Pulse" WHERE "planId" IS NOT NULL GROUP BY "planId", occurrence`,
    );
    const pulses = await db.sql.query<{ id: string; planId: string }>(`SELECT id, "planId" FROM "Pulse" WHERE "planId" IS NOT NULL`);
    const accepted = fanout().connector.accepted();
    const perPulse = new Map<string, Map<string, number>>();
    for (const a of accepted) {
      if (!a.pulseId) continue;
      const m = perPulse.get(a.pulseId) ?? new Map<string, number>();
      m.set(a.conversationId, (m.get(a.conversationId) ?? 0) + 1);
      perPulse.set(a.pulseId, m);
    }
    const notExactlyOnce = pulses.filter((p) => {
      const m = perPulse.get(p.id);
      return !m || m.size !== RECIPIENTS || [...m.values()].some((n) => n !== 1);
    });
    const bySender = await db.sql.query<{ worker: string; n: number }>(`SELECT split_part("lockedBy", ':', 2) AS worker, count(*)::int AS n FROM "Outbox" WHERE status = 'sent' GROUP BY 1`);
    const firedLate = perOccurrence.map((o) => new Date(o.firstOpened).getTime() - new Date(o.occurrence).getTime());
    const planRows = await db.sql.query<{ recurrence: string; status: string; nextRunAt: Date | null }>(`SELECT recurrence, status::text, "nextRunAt" FROM "PulsePlan"`);
    const fireJobs = await db.sql.query<{ state: string; n: number }>(`SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY 1`, [QUEUES.firePlan]);

    summary(`5 two instances on one PostgreSQL, ${PLANS} plans firing ${FIRST_S}–${FIRST_S + (PLANS - 1) * SPACING_S} s after saving (accelerated hour)`, [
      `injected: 2 worker processes (pids ${w1.pid}, ${w2.pid}) racing; each occurrence queued 3 times (save-plan's job + 2 duplicate plan-fire jobs); 2 % 502s; ${RECIPIENTS} recipients per pulse`,
      `verified: ${perOccurrence.length} plan occurrences → ${pulses.length} pulses (max per occurrence ${Math.max(...perOccurrence.map((o) => o.n))}); pulses where someone got the card ≠ 1 time: ${notExactlyOnce.length}; connector duplicates ${fanout().connector.stats().duplicates}`,
      `opened ${Math.min(...firedLate)}–${Math.max(...firedLate)} ms after the planned time; sent per process ${JSON.stringify(Object.fromEntries(bySender.map((r) => [r.worker, r.n])))}; plan-fire jobs ${JSON.stringify(fireJobs)}; run ${runS.toFixed(0)} s`,
    ]);

    expect(perOccurrence.length).toBe(PLANS);
    expect(perOccurrence.every((o) => o.n === 1)).toBe(true);
    expect(new Set(perOccurrence.map((o) => o.planId)).size).toBe(PLANS);
    expect(notExactlyOnce).toEqual([]);
    expect(fanout().connector.stats().duplicates).toBe(0);
    expect(planRows.filter((p) => p.recurrence === 'none').every((p) => p.status === 'finished')).toBe(true);
    expect(planRows.filter((p) => p.recurrence === 'weekly').every((p) => p.status === 'active' && p.nextRunAt && new Date(p.nextRunAt).getTime() > Date.now() + 6 * 86_400_000)).toBe(true);
  }, 240_000);
});
