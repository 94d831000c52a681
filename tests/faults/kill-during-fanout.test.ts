/**
 * Fault 3: kill -9 of the bot process half-way through a fan-out.
 *
 * The kill scenario of bench/delivery.ts at small scale: 300 recipients, one
 * real bot worker process (bench/delivery-worker.ts) on a private PostgreSQL,
 * bench/limit-connector.ts (Teams' limits, 2 % 502s). At ~50 % accepted the
 * process is killed with SIGKILL and started again at once. Afterwards: 0
 * lost, and duplicates at most the at-least-once window allows — messages the
 * connector had accepted but the dead process had not yet recorded, never
 * more than the messages in flight (leased, `sending`) at the kill.
 *
 * DELIVERY_LEASE_SECONDS=5 (default 60) so the restarted process takes over
 * the dead one's leased messages within the test's time.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import { stopWorker } from '../../bench/delivery-support.ts';
import { sleep, summary } from './support/kit.ts';
import { useFanout } from './support/fanout.ts';

const N = 300;
const LEASE_SECONDS = 5;

const fanout = useFanout('kp-faults-kill', N, { fail502: 0.02, seed: 3 }, { DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS) });

describe('fault: kill -9 during a fan-out', () => {
  it('loses nothing; duplicates stay within the in-flight messages at the kill', async () => {
    onTestFailed(() => void process.stderr.write(fanout().logTails()));
    const first = fanout().startWorker('w1');
    await first.ready;
    const started = Date.now();
    const pulseId = await fanout().openPulse();

    // ~50 %, offset so the kill does not coincide with a batch boundary.
    const killAtAccepted = Math.floor(N / 2) + 23;
    while (fanout().connector.stats().acceptedActivities < killAtAccepted) {
      if (Date.now() - started > 90_000) throw new Error(`the fan-out did not reach ${killAtAccepted} accepted within 90 s`);
      await sleep(20);
    }
    const acceptedAtKill = fanout().connector.stats().acceptedActivities;
    await stopWorker(first, 'SIGKILL');
    const killedAt = Date.now();
    // The database as the dead process left it.
    const atKill = await fanout().counts();
    const sentRows = await fanout().db.sql.query<{ conversationId: string }>(`SELECT "conversationId" FROM "Outbox" WHERE "pulseId" = $1::uuid AND status = 'sent'`, [pulseId]);
    const sentConvs = new Set(sentRows.map((r) => r.conversationId));
    const acceptedNotRecorded = new Set(fanout().connector.accepted().filter((a) => a.pulseId === pulseId && !sentConvs.has(a.conversationId)).map((a) => a.conversationId)).size;
    const inFlight = atKill.sending;

    const second = fanout().startWorker('w1-restarted');
    await second.ready;
    await fanout().waitDrained(pulseId, 150_000);
    const drainedS = (Date.now() - killedAt) / 1000;
    await sleep(1000);
    const fig = await fanout().figures(pulseId);

    summary(`3 kill -9 during fan-out (N=${N}, 1 worker process, private PostgreSQL, lease ${LEASE_SECONDS} s)`, [
      `injected: SIGKILL of pid ${first.pid} at ${acceptedAtKill} accepted (${((killedAt - started) / 1000).toFixed(1)} s in); restarted at once as pid ${second.pid}; plus ${fanout().connector.stats().injected502} random 502s`,
      `at the kill the database had: sent ${atKill.sent}, sending (in flight, leased) ${inFlight}, pending ${atKill.pending}; accepted by the connector but not recorded 'sent' (the at-least-once window): ${acceptedNotRecorded}`,
      `after restart and drain (${drainedS.toFixed(1)} s after the kill): sent ${fig.counts.sent}, failed ${fig.counts.failed} ${JSON.stringify(fig.reasons)}; lost ${fig.lost}; not sent without reason ${fig.counts.nullReason}`,
      `DUPLICATES at the connector: ${fig.duplicates} (allowed: ≤ ${acceptedNotRecorded} accepted-not-recorded ≤ ${inFlight} in flight at the kill)`,
    ]);

    expect(fig.lost).toBe(0);
    expect(fig.counts.nullReason).toBe(0);
    expect(fig.counts.sent + fig.counts.failed + fig.counts.skipped).toBe(N);
    expect(fig.duplicates).toBeLessThanOrEqual(acceptedNotRecorded);
    expect(fig.duplicates).toBeLessThanOrEqual(inFlight);
  }, 240_000);
});
