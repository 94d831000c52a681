import { PgBoss, fromPglite, type Job, type SendOptions } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';

export const QUEUES = {
  send: 'outbox-send',
  firePlan: 'plan-fire',
  remind: 'pulse-remind',
  close: 'pulse-close',
  progress: 'pulse-progress',
  measureFollowUps: 'measure-follow-ups',
  // privacy (issue 8)
  answerRetention: 'answer-retention',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type JobQueue = {
  send(queue: QueueName, data: object, options?: SendOptions): Promise<void>;
  sendMany(queue: QueueName, jobs: Array<{ data: object; startAfter?: Date }>): Promise<void>;
  work<T>(queue: QueueName, options: { batchSize: number; concurrency?: number; pollingIntervalSeconds?: number }, handler: (jobs: Job<T>[]) => Promise<void>): Promise<void>;
  /** A recurring job on a cron pattern in a time zone; calling it again replaces the schedule (safe on every start). */
  schedule(queue: QueueName, cron: string, data: object, options: { tz: string }): Promise<void>;
  stop(): Promise<void>;
};

export type JobQueueOptions = { pollingIntervalSeconds: number; monitorIntervalSeconds: number };

/**
 * pg-boss on the bot's own database (PGlite or PostgreSQL, same code). Its
 * defaults are tuned for slow batch work: workers sleep between fetches and
 * abandoned jobs are noticed once a minute, so both are lowered here
 * (shared/notes/stack.md). Jobs are at-least-once; every handler is idempotent.
 */
export async function startJobQueue(db: Database, logger: Logger, opts: JobQueueOptions): Promise<JobQueue> {
  // schedule: pg-boss creates each cron job once per tick across processes (the daily measure check).
  const common = { supervise: true, schedule: true, monitorIntervalSeconds: opts.monitorIntervalSeconds, superviseIntervalSeconds: Math.max(1, opts.monitorIntervalSeconds) } as const;
  const boss =
    db.jobs.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(db.jobs.pglite), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: db.jobs.url, schema: db.jobs.schema, max: 4 });
  boss.on('error', (err: Error) => logger.error({ err: { message: err.message } }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    // Expire stuck sends quickly (a dead process); retries are decided by our own code.
    await boss.createQueue(name, { expireInSeconds: name === QUEUES.send ? 60 : 300, retryLimit: 5, retryBackoff: true, retryDelay: 2 });
  }
  const workers: string[] = [];
  return {
    async send(queue, data, options) {
      await boss.send(queue, data, options ?? {});
    },
    async sendMany(queue, jobs) {
      for (let i = 0; i < jobs.length; i += 1000) {
        await boss.insert(queue, jobs.slice(i, i + 1000).map((j) => ({ data: j.data, ...(j.startAfter ? { startAfter: j.startAfter } : {}) })));
      }
    },
    async work<T>(queue: QueueName, options: { batchSize: number; concurrency?: number; pollingIntervalSeconds?: number }, handler: (jobs: Job<T>[]) => Promise<void>) {
      workers.push(
        await boss.work<T>(
          queue,
          {
            batchSize: options.batchSize,
            // Several fetch loops, and no sleep while batches come back full: one
            // slow message must not hold back the rest (bench/delivery.ts).
            localConcurrency: options.concurrency ?? 1,
            burstWhenBatchFull: true,
            pollingIntervalSeconds: options.pollingIntervalSeconds ?? opts.pollingIntervalSeconds,
          },
          handler,
        ),
      );
    },
    async schedule(queue, cron, data, options) {
      await boss.schedule(queue, cron, data, { tz: options.tz });
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000, close: db.jobs.kind === 'postgresql' });
    },
  };
}
