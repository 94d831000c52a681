import type { PrismaClient } from '../generated/prisma/client.ts';
import type { SqlExecutor } from './sql-executor.ts';
import type { AnswerValue } from '../domain/answer-validation.ts';
import type { PulseContent } from '../domain/pulse-content.ts';
import type { PulseStatus } from '../domain/pulse-lifecycle.ts';
import type { SchoolLevel, StaffRole } from '../domain/profile.ts';

export type PulseRecord = {
  id: string;
  tenantId: string;
  unitId: string;
  templateId: string;
  content: PulseContent;
  roleFilter: StaffRole[];
  status: PulseStatus;
  opensAt: Date;
  closesAt: Date;
  remindAt: Date[];
  onClose: string;
  createdById: string | null;
  planId: string | null;
};

export type NewPulse = {
  tenantId: string;
  unitId: string;
  content: PulseContent;
  roleFilter: StaffRole[];
  opensAt: Date;
  closesAt: Date;
  createdById: string | null;
  status: PulseStatus;
  planId?: string;
  occurrence?: Date;
  remindAt: Date[];
  onClose: string;
  /** A check-back round asks about this pulse's results (at most one per pulse). */
  checkBackOfId?: string;
  /** A follow-up pulse that evaluates this measure (at most one per measure). */
  measureId?: string;
};

export type StoredAnswer = AnswerValue & { answeredAt: Date };
export type ProfileSnapshot = { staffRole: StaffRole | null; schoolLevel: SchoolLevel | null; schoolId: string | null };
/** What answering a pulse needs to know, read in one round trip. */
export type AnsweringContext = { pulse: PulseRecord; isRecipient: boolean; schoolId: string | null };
/** The audit row written with a submission, in the same statement. */
export type AnswerAudit = { tenantId: string; details: Record<string, string | number | boolean | null> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * The two statements of the answer path (bench/ingest.ts): answering is the one
 * request that arrives in bursts (a whole staff in common time), and through
 * the ORM it took ~15 round trips and ~10 ms of CPU. As plain SQL it is two
 * round trips: one read, one atomic write.
 */

/**
 * The pulse (only within the tenant), whether the person is a recipient, and
 * the school of their first membership that has one (walking up the unit
 * tree; at most 32 levels, so a cycle cannot loop).
 */
const ANSWERING_CONTEXT_SQL = `
WITH RECURSIVE up AS (
  SELECT u.id, u."parentId", u.kind, 0 AS depth, m."unitId" AS start
  FROM "Membership" m JOIN "OrgUnit" u ON u.id = m."unitId" AND u."tenantId" = $1::uuid
  WHERE m."personId" = $3::uuid
  UNION ALL
  SELECT p.id, p."parentId", p.kind, up.depth + 1, up.start
  FROM up JOIN "OrgUnit" p ON p.id = up."parentId"
  WHERE up.kind <> 'school' AND up.depth < 32
)
SELECT pu.id, pu."tenantId", pu."unitId", pu."templateId", pu.content, pu."roleFilter"::text[] AS "roleFilter",
       pu.status::text AS status, pu."opensAt", pu."closesAt", pu."remindAt", pu."onClose", pu."createdById", pu."planId",
       EXISTS (SELECT 1 FROM "PulseRecipient" r WHERE r."pulseId" = pu.id AND r."personId" = $3::uuid) AS "isRecipient",
       (SELECT up.id FROM up WHERE up.kind = 'school' ORDER BY up.start, up.depth LIMIT 1) AS "schoolId"
FROM "Pulse" pu
WHERE pu.id = $2::uuid AND pu."tenantId" = $1::uuid`;

/**
 * One person's whole submission, as a single (so atomic) statement: marks the
 * recipient answered, upserts every item's answer, deletes answers to items
 * left out this time, and writes the audit row — all only if the person is a
 * recipient. Returns how many recipient rows were marked (0 or 1).
 */
const STORE_ANSWERS_SQL = `
WITH recipient AS (
  UPDATE "PulseRecipient" SET "answeredAt" = $3 WHERE "pulseId" = $1::uuid AND "personId" = $2::uuid RETURNING 1
), removed AS (
  DELETE FROM "Answer"
  WHERE "pulseId" = $1::uuid AND "personId" = $2::uuid AND NOT ("itemId" = ANY($4::text[])) AND EXISTS (SELECT 1 FROM recipient)
), stored AS (
  INSERT INTO "Answer" ("pulseId", "personId", "itemId", value, comment, "staffRole", "schoolLevel", "schoolId", "answeredAt", "updatedAt")
  SELECT $1::uuid, $2::uuid, a.item, a.value, a.comment, $7::"StaffRole", $8::"SchoolLevel", $9::uuid, $3, $3
  FROM unnest($4::text[], $5::int[], $6::text[]) AS a(item, value, comment)
  WHERE EXISTS (SELECT 1 FROM recipient)
  ON CONFLICT ("pulseId", "personId", "itemId") DO UPDATE SET
    value = EXCLUDED.value, comment = EXCLUDED.comment, "staffRole" = EXCLUDED."staffRole", "schoolLevel" = EXCLUDED."schoolLevel",
    "schoolId" = EXCLUDED."schoolId", "answeredAt" = EXCLUDED."answeredAt", "updatedAt" = EXCLUDED."updatedAt"
), audited AS (
  INSERT INTO "AuditEntry" ("tenantId", "actorId", action, target, details)
  SELECT $10::uuid, $2::uuid, 'pulse.answered', $1, $11::jsonb WHERE EXISTS (SELECT 1 FROM recipient)
)
SELECT count(*)::int AS marked FROM recipient`;

type PulseRow = { id: string; tenantId: string; unitId: string; templateId: string; content: unknown; roleFilter: StaffRole[]; status: PulseStatus; opensAt: Date; closesAt: Date; remindAt: Date[]; onClose: string; createdById: string | null; planId: string | null };
const toPulse = (p: PulseRow): PulseRecord => ({
  id: p.id,
  tenantId: p.tenantId,
  unitId: p.unitId,
  templateId: p.templateId,
  content: p.content as PulseContent,
  roleFilter: p.roleFilter,
  status: p.status,
  opensAt: p.opensAt,
  closesAt: p.closesAt,
  remindAt: p.remindAt,
  onClose: p.onClose,
  createdById: p.createdById,
  planId: p.planId,
});

const rowData = (p: NewPulse) => ({
  tenantId: p.tenantId,
  unitId: p.unitId,
  templateId: p.content.templateId,
  bankVersion: p.content.bankVersion,
  content: p.content as object,
  roleFilter: p.roleFilter,
  status: p.status,
  opensAt: p.opensAt,
  closesAt: p.closesAt,
  createdById: p.createdById,
  planId: p.planId ?? null,
  occurrence: p.occurrence ?? null,
  remindAt: p.remindAt,
  onClose: p.onClose,
  checkBackOfId: p.checkBackOfId ?? null,
  measureId: p.measureId ?? null,
});

/** Pulses, their recipients and answers. */
export function pulseRepository(prisma: PrismaClient, sql: SqlExecutor) {
  /**
   * One check-back per pulse and one follow-up per measure, also when two
   * presses arrive at once (there is no unique index: a cancelled one may be
   * redone): the row the new pulse points at is locked while we look.
   */
  async function createLinked(p: NewPulse): Promise<{ pulse: PulseRecord; created: boolean }> {
    return prisma.$transaction(async (tx) => {
      if (p.checkBackOfId) await tx.$executeRaw`SELECT id FROM "Pulse" WHERE id = ${p.checkBackOfId}::uuid FOR UPDATE`;
      else await tx.$executeRaw`SELECT id FROM "Measure" WHERE id = ${p.measureId}::uuid FOR UPDATE`;
      const link = p.checkBackOfId ? { checkBackOfId: p.checkBackOfId } : { measureId: p.measureId };
      const existing = await tx.pulse.findFirst({ where: { ...link, status: { not: 'cancelled' } }, orderBy: { createdAt: 'asc' } });
      if (existing) return { pulse: toPulse(existing), created: false };
      return { pulse: toPulse(await tx.pulse.create({ data: rowData(p) })), created: true };
    });
  }

  return {
    /**
     * Creates the pulse; for a plan occurrence that already has its pulse
     * (a re-run job, a second process), or a pulse's check-back or a
     * measure's follow-up that already exists, returns the existing one instead.
     */
    async create(p: NewPulse): Promise<{ pulse: PulseRecord; created: boolean }> {
      if (p.checkBackOfId || p.measureId) return createLinked(p);
      if (p.planId && p.occurrence) {
        const existing = await prisma.pulse.findUnique({ where: { planId_occurrence: { planId: p.planId, occurrence: p.occurrence } } });
        if (existing) return { pulse: toPulse(existing), created: false };
      }
      try {
        const row = await prisma.pulse.create({ data: rowData(p) });
        return { pulse: toPulse(row), created: true };
      } catch (err) {
        if ((err as { code?: string }).code !== 'P2002' || !p.planId || !p.occurrence) throw err;
        const existing = await prisma.pulse.findUniqueOrThrow({ where: { planId_occurrence: { planId: p.planId, occurrence: p.occurrence } } });
        return { pulse: toPulse(existing), created: false };
      }
    },

    /** Where "Sendt N av M" is shown: the starter's conversation and that message's id. */
    async setProgressRef(pulseId: string, ref: { reference: object; activityId: string; lang: string }): Promise<void> {
      await prisma.pulse.update({ where: { id: pulseId }, data: { progressRef: ref, progressAt: null } });
    },

    async findById(pulseId: string): Promise<PulseRecord | null> {
      const row = await prisma.pulse.findUnique({ where: { id: pulseId } });
      return row ? toPulse(row) : null;
    },

    async hasAnswered(pulseId: string, personId: string): Promise<boolean> {
      const r = await prisma.pulseRecipient.findUnique({ where: { pulseId_personId: { pulseId, personId } }, select: { answeredAt: true } });
      return Boolean(r?.answeredAt);
    },

    /** Moves the pulse from one status to another only if it is still in `from` (safe with several processes). */
    async setStatus(pulseId: string, from: PulseStatus, to: PulseStatus): Promise<boolean> {
      const { count } = await prisma.pulse.updateMany({ where: { id: pulseId, status: from }, data: { status: to } });
      return count === 1;
    },

    /** Recipients who have not answered and whose pulse card was delivered: who gets reminder `seq`. */
    async nonResponders(pulseId: string): Promise<string[]> {
      const rows = await prisma.pulseRecipient.findMany({
        where: { pulseId, answeredAt: null },
        select: { personId: true },
      });
      const delivered = new Set(
        (await prisma.outbox.findMany({ where: { pulseId, kind: 'pulse', status: 'sent' }, select: { personId: true } })).map((r) => r.personId),
      );
      return rows.map((r) => r.personId).filter((id) => delivered.has(id));
    },

    async responseCounts(pulseId: string): Promise<{ recipients: number; answered: number }> {
      const [recipients, answered] = await Promise.all([
        prisma.pulseRecipient.count({ where: { pulseId } }),
        prisma.pulseRecipient.count({ where: { pulseId, answeredAt: { not: null } } }),
      ]);
      return { recipients, answered };
    },

    async openPulses(): Promise<PulseRecord[]> {
      return (await prisma.pulse.findMany({ where: { status: 'open' } })).map(toPulse);
    },

    async find(tenantId: string, pulseId: string): Promise<PulseRecord | null> {
      if (!UUID.test(pulseId)) return null;
      const row = await prisma.pulse.findFirst({ where: { id: pulseId, tenantId } });
      return row ? toPulse(row) : null;
    },

    async addRecipients(pulseId: string, personIds: string[]): Promise<void> {
      await prisma.pulseRecipient.createMany({ data: personIds.map((personId) => ({ pulseId, personId })), skipDuplicates: true });
    },

    /** The pulse within the tenant, whether the person is asked it, and their school (for the answer snapshot); null if no such pulse. */
    async answeringContext(tenantId: string, pulseId: string, personId: string): Promise<AnsweringContext | null> {
      if (!UUID.test(pulseId)) return null;
      const [row] = await sql.query<PulseRow & { isRecipient: boolean; schoolId: string | null }>(ANSWERING_CONTEXT_SQL, [tenantId, pulseId, personId], 'kp_answering_context');
      return row ? { pulse: toPulse(row), isRecipient: row.isRecipient, schoolId: row.schoolId } : null;
    },

    /** The open pulse this person was sent most recently (for text answers). */
    async latestOpenFor(personId: string, now: Date): Promise<PulseRecord | null> {
      const row = await prisma.pulse.findFirst({
        where: { status: 'open', closesAt: { gt: now }, recipients: { some: { personId } } },
        orderBy: { opensAt: 'desc' },
      });
      return row ? toPulse(row) : null;
    },

    /**
     * Replaces this person's whole submission for the pulse and records it in
     * the audit log, atomically: a resubmission or a resent activity never
     * counts twice, an answer left out on edit (e.g. a removed comment) is
     * gone, and there is an audit row exactly when answers were stored.
     * Throws if the person is (no longer) a recipient; nothing is then stored.
     */
    async replaceAnswers(pulseId: string, personId: string, answers: AnswerValue[], snapshot: ProfileSnapshot, at: Date, audit: AnswerAudit): Promise<void> {
      const [result] = await sql.query<{ marked: number }>(STORE_ANSWERS_SQL, [
        pulseId,
        personId,
        at,
        answers.map((a) => a.itemId),
        answers.map((a) => a.value),
        answers.map((a) => a.comment),
        snapshot.staffRole,
        snapshot.schoolLevel,
        snapshot.schoolId,
        audit.tenantId,
        JSON.stringify(audit.details),
      ], 'kp_store_answers');
      if (result?.marked !== 1) throw new Error(`not a recipient of pulse ${pulseId}; answers not stored`);
    },

    async answersOf(pulseId: string, personId: string): Promise<StoredAnswer[]> {
      const rows = await prisma.answer.findMany({ where: { pulseId, personId } });
      return rows.map((r) => ({ itemId: r.itemId, value: r.value, comment: r.comment, answeredAt: r.answeredAt }));
    },
  };
}

export type PulseRepository = ReturnType<typeof pulseRepository>;
