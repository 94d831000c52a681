import type { Deps } from '../deps.ts';
import { updateProgress } from '../delivery/progress.ts';
import { createSendWorker } from '../delivery/send-worker.ts';
import { firePlan, queuePlanRun } from '../services/plan-runner.ts';
import { closePulse, remindPulse } from '../services/pulse-closing.ts';
import { scheduleLifecycle } from '../services/open-pulse.ts';
import { runMeasureFollowUps } from '../services/measure-follow-up.ts';
import { OSLO_TZ } from '../domain/schedule.ts';
import { RETENTION_CRON } from '../domain/retention.ts';
import { runRetention } from '../services/retention.ts';
import { QUEUES, type JobQueue } from './job-queue.ts';

/** 08:00 every day, Europe/Oslo: when leaders are at work to see the proposal. */
export const MEASURE_FOLLOW_UP_CRON = '0 8 * * *';
const DAILY_POLL_SECONDS = 60;

/**
 * Registers the job handlers and re-queues what the database says is still
 * to do. The database, not the queue, is the source of truth: after a crash,
 * a lost job or a restore, this puts every open pulse, unsent message and
 * active plan back on the queue. Handlers are idempotent, so re-queuing
 * something that was already queued costs nothing.
 */
export async function startWorkers(deps: Deps, jobs: JobQueue): Promise<{ stop(): void }> {
  deps.jobs = jobs;
  const sender = createSendWorker(deps);
  // Four loops of small batches keep the shared rate bucket busy while one
  // message waits for a retry inside the connector client.
  await jobs.work<{ outboxId: string }>(QUEUES.send, { batchSize: Math.max(1, Math.ceil(deps.config.delivery.batchSize / 4)), concurrency: 4 }, (batch) => sender.handle(batch));
  await jobs.work<{ planId: string; occurrence: string }>(QUEUES.firePlan, { batchSize: 1 }, async ([job]) => firePlan(deps, job!.data.planId, job!.data.occurrence));
  await jobs.work<{ pulseId: string; seq: number }>(QUEUES.remind, { batchSize: 1 }, async ([job]) => remindPulse(deps, job!.data.pulseId, job!.data.seq));
  await jobs.work<{ pulseId: string }>(QUEUES.close, { batchSize: 1 }, async ([job]) => closePulse(deps, job!.data.pulseId));
  await jobs.work<{ pulseId: string }>(QUEUES.progress, { batchSize: 1 }, async ([job]) => updateProgress(deps, job!.data.pulseId, true));
  // Measures due for evaluation get their follow-up proposal every morning (issue 6; idempotent).
  // Daily jobs: looking for them once a minute is plenty (every poll is a query; idle CPU, bench/ingest.ts).
  await jobs.work(QUEUES.measureFollowUps, { batchSize: 1, pollingIntervalSeconds: DAILY_POLL_SECONDS }, async () => void (await runMeasureFollowUps(deps)));
  await jobs.schedule(QUEUES.measureFollowUps, MEASURE_FOLLOW_UP_CRON, {}, { tz: OSLO_TZ });
  // privacy (issue 8): raw answers and comments past ANSWER_RETENTION_DAYS go every night; their counts stay (idempotent).
  await jobs.work(QUEUES.answerRetention, { batchSize: 1, pollingIntervalSeconds: DAILY_POLL_SECONDS }, async () => void (await runRetention(deps)));
  await jobs.schedule(QUEUES.answerRetention, RETENTION_CRON, {}, { tz: OSLO_TZ });

  const unfinished = await deps.outbox.unfinished();
  await jobs.sendMany(QUEUES.send, unfinished.map((r) => ({ data: { outboxId: r.id }, startAfter: r.nextAttemptAt })));
  for (const pulse of await deps.pulses.openPulses()) await scheduleLifecycle(deps, pulse);
  for (const plan of await deps.plans.active()) await queuePlanRun(deps, plan);
  deps.logger.info({ messages: unfinished.length }, 'job workers started');

  // A process that dies mid-send leaves its messages leased; once the lease
  // runs out, any live process sends them (at-least-once: see README).
  const sweeper = setInterval(() => {
    void deps.outbox
      .orphaned()
      .then(async (ids) => {
        if (ids.length === 0) return;
        deps.logger.warn({ messages: ids.length }, 're-queuing messages left by a stopped process');
        await jobs.sendMany(QUEUES.send, ids.map((outboxId) => ({ data: { outboxId } })));
      })
      .catch((err: Error) => deps.logger.warn({ err: { message: err.message } }, 'outbox sweep failed'));
  }, deps.config.delivery.sweepMs);
  sweeper.unref();
  return { stop: () => clearInterval(sweeper) };
}
