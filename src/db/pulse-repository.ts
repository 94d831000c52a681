import type { PrismaClient } from '../generated/prisma/client.ts';
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
export function pulseRepository(prisma: PrismaClient) {
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
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(pulseId)) return null;
      const row = await prisma.pulse.findFirst({ where: { id: pulseId, tenantId } });
      return row ? toPulse(row) : null;
    },

    async addRecipients(pulseId: string, personIds: string[]): Promise<void> {
      await prisma.pulseRecipient.createMany({ data: personIds.map((personId) => ({ pulseId, personId })), skipDuplicates: true });
    },

    async isRecipient(pulseId: string, personId: string): Promise<boolean> {
      return (await prisma.pulseRecipient.count({ where: { pulseId, personId } })) > 0;
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
     * Replaces this person's whole submission for the pulse in one
     * transaction: a resubmission or a resent activity never counts twice,
     * and an answer left out on edit (e.g. a removed comment) is gone.
     */
    async replaceAnswers(pulseId: string, personId: string, answers: AnswerValue[], snapshot: ProfileSnapshot, at: Date): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await tx.answer.deleteMany({ where: { pulseId, personId } });
        await tx.answer.createMany({
          data: answers.map((a) => ({ pulseId, personId, itemId: a.itemId, value: a.value, comment: a.comment, ...snapshot, answeredAt: at })),
        });
        await tx.pulseRecipient.update({ where: { pulseId_personId: { pulseId, personId } }, data: { answeredAt: at } });
      });
    },

    async answersOf(pulseId: string, personId: string): Promise<StoredAnswer[]> {
      const rows = await prisma.answer.findMany({ where: { pulseId, personId } });
      return rows.map((r) => ({ itemId: r.itemId, value: r.value, comment: r.comment, answeredAt: r.answeredAt }));
    },
  };
}

export type PulseRepository = ReturnType<typeof pulseRepository>;
