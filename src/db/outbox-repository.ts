import type { PrismaClient } from '../generated/prisma/client.ts';
import type { SqlExecutor } from './sql-executor.ts';

export type OutboxKind = 'pulse' | 'reminder';
export type ClaimedMessage = {
  id: string;
  tenantId: string;
  pulseId: string;
  personId: string;
  kind: OutboxKind;
  seq: number;
  attempts: number;
};

/**
 * The outbox: one row per message to one person. `claim` is the only way to
 * send: it atomically moves a row to `sending` with a lease, so a message is
 * handled by one process at a time, and a row whose lease expired (its
 * process died) can be taken over.
 */
export function outboxRepository(prisma: PrismaClient, sql: SqlExecutor) {
  return {
    /** Adds rows for people who do not have this message yet; returns the ids of rows to send. */
    async enqueue(tenantId: string, pulseId: string, personIds: string[], kind: OutboxKind, seq: number): Promise<string[]> {
      if (personIds.length === 0) return [];
      for (let i = 0; i < personIds.length; i += 1000) {
        await prisma.outbox.createMany({
          data: personIds.slice(i, i + 1000).map((personId) => ({ tenantId, pulseId, personId, kind, seq })),
          skipDuplicates: true,
        });
      }
      const rows = await prisma.outbox.findMany({ where: { pulseId, kind, seq, status: 'pending' }, select: { id: true } });
      return rows.map((r) => r.id);
    },

    /** The cards a person was sent for a pulse (the pulse card and reminders) and where they are, to update them in place. */
    async sentCards(pulseId: string, personId: string): Promise<{ conversationId: string; activityId: string }[]> {
      const rows = await prisma.outbox.findMany({
        where: { pulseId, personId, status: 'sent', activityId: { not: null }, conversationId: { not: null } },
        select: { conversationId: true, activityId: true },
        orderBy: [{ kind: 'asc' }, { seq: 'asc' }],
      });
      return rows.map((r) => ({ conversationId: r.conversationId!, activityId: r.activityId! }));
    },

    async claim(id: string, worker: string, leaseMs: number): Promise<ClaimedMessage | null> {
      const rows = await sql.query<ClaimedMessage>(
        `UPDATE "Outbox" SET status = 'sending', "lockedBy" = $2, "lockedUntil" = now() + ($3::int * interval '1 millisecond'),
           attempts = attempts + 1, "updatedAt" = now()
         WHERE id = $1::uuid AND "nextAttemptAt" <= now()
           AND (status = 'pending' OR (status = 'sending' AND "lockedUntil" < now()))
         RETURNING id, "tenantId", "pulseId", "personId", kind, seq, attempts`,
        [id, worker, leaseMs],
      );
      return rows[0] ?? null;
    },

    async markSent(id: string, worker: string, where: { conversationId: string; activityId: string | null }): Promise<void> {
      await sql.query(
        `UPDATE "Outbox" SET status = 'sent', "sentAt" = now(), "conversationId" = $3, "activityId" = $4, "lockedUntil" = NULL, reason = NULL, "updatedAt" = now()
         WHERE id = $1::uuid AND "lockedBy" = $2`,
        [id, worker, where.conversationId, where.activityId],
      );
    },

    async markRetry(id: string, worker: string, delayMs: number, reason: string): Promise<Date> {
      const rows = await sql.query<{ nextAttemptAt: Date }>(
        `UPDATE "Outbox" SET status = 'pending', "nextAttemptAt" = now() + ($3::int * interval '1 millisecond'), "lockedUntil" = NULL, reason = $4, "updatedAt" = now()
         WHERE id = $1::uuid AND "lockedBy" = $2 RETURNING "nextAttemptAt"`,
        [id, worker, Math.round(delayMs), reason],
      );
      return rows[0]?.nextAttemptAt ?? new Date(Date.now() + delayMs);
    },

    async markDone(id: string, worker: string, status: 'failed' | 'skipped', reason: string): Promise<void> {
      await sql.query(
        `UPDATE "Outbox" SET status = $3::"OutboxStatus", reason = $4, "lockedUntil" = NULL, "updatedAt" = now() WHERE id = $1::uuid AND "lockedBy" = $2`,
        [id, worker, status, reason],
      );
    },

    /** Rows that still need sending (pending, or sending with an expired lease), for recovery after a restart. */
    async unfinished(limit = 50_000): Promise<Array<{ id: string; nextAttemptAt: Date }>> {
      return sql.query<{ id: string; nextAttemptAt: Date }>(
        `SELECT id, "nextAttemptAt" FROM "Outbox" WHERE status = 'pending' OR (status = 'sending' AND "lockedUntil" < now()) ORDER BY "createdAt" LIMIT $1`,
        [limit],
      );
    },

    /**
     * Messages whose sending process died (lease expired): the sweeper puts
     * them back on the queue. Pending rows are not swept: they still have
     * their job (a big pulse's rows simply wait their turn), and rows whose
     * job was never queued are re-queued at start-up.
     */
    async orphaned(limit = 10_000): Promise<string[]> {
      const rows = await sql.query<{ id: string }>(
        `SELECT id FROM "Outbox" WHERE status = 'sending' AND "lockedUntil" < now() ORDER BY "lockedUntil" LIMIT $1`,
        [limit],
      );
      return rows.map((r) => r.id);
    },

    async countsFor(pulseId: string): Promise<Record<string, number>> {
      const rows = await prisma.outbox.groupBy({ by: ['kind', 'status'], where: { pulseId }, _count: true });
      return Object.fromEntries(rows.map((r) => [`${r.kind}.${r.status}`, r._count]));
    },

    async failureReasons(pulseId: string): Promise<Record<string, number>> {
      const rows = await prisma.outbox.groupBy({ by: ['reason'], where: { pulseId, kind: 'pulse', status: 'failed' }, _count: true });
      return Object.fromEntries(rows.map((r) => [r.reason ?? 'unknown', r._count]));
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;

/**
 * Reserves one send slot in a shared GCRA bucket and returns the bucket's new
 * theoretical arrival time. The row lives in the database, so the rate holds
 * across every bot process, and still holds when one of them dies.
 */
export async function reserveSlot(sql: SqlExecutor, key: string, intervalMs: number): Promise<{ tat: Date; now: Date }> {
  const rows = await sql.query<{ tat: Date; now: Date }>(
    `INSERT INTO "RateBucket" (key, tat) VALUES ($1, clock_timestamp() + ($2::double precision * interval '1 millisecond'))
     ON CONFLICT (key) DO UPDATE SET tat = greatest("RateBucket".tat, clock_timestamp()) + ($2::double precision * interval '1 millisecond')
     RETURNING tat, clock_timestamp() AS now`,
    [key, intervalMs],
  );
  return rows[0]!;
}
