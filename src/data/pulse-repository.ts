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
};

export type StoredAnswer = AnswerValue & { answeredAt: Date };
export type ProfileSnapshot = { staffRole: StaffRole | null; schoolLevel: SchoolLevel | null; schoolId: string | null };

type PulseRow = { id: string; tenantId: string; unitId: string; templateId: string; content: unknown; roleFilter: StaffRole[]; status: PulseStatus; opensAt: Date; closesAt: Date };
const toPulse = (p: PulseRow): PulseRecord => ({ ...p, content: p.content as PulseContent });

/** Pulses, their recipients and answers. */
export function pulseRepository(prisma: PrismaClient) {
  return {
    async create(p: { tenantId: string; unitId: string; content: PulseContent; roleFilter: StaffRole[]; opensAt: Date; closesAt: Date; createdById: string; status: PulseStatus }): Promise<PulseRecord> {
      const row = await prisma.pulse.create({
        data: {
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
        },
      });
      return toPulse(row);
    },

    async find(tenantId: string, pulseId: string): Promise<PulseRecord | null> {
      if (!/^[0-9a-f-]{36}$/i.test(pulseId)) return null;
      const row = await prisma.pulse.findFirst({ where: { id: pulseId, tenantId } });
      return row ? toPulse(row) : null;
    },

    async addRecipients(pulseId: string, personIds: string[]): Promise<void> {
      await prisma.pulseRecipient.createMany({ data: personIds.map((personId) => ({ pulseId, personId })), skipDuplicates: true });
    },

    async isRecipient(pulseId: string, personId: string): Promise<boolean> {
      return (await prisma.pulseRecipient.count({ where: { pulseId, personId } })) > 0;
    },

    async markSent(pulseId: string, personId: string, where: { conversationId: string; activityId: string | null }, at: Date): Promise<void> {
      await prisma.pulseRecipient.update({
        where: { pulseId_personId: { pulseId, personId } },
        data: { deliveryStatus: 'sent', conversationId: where.conversationId, activityId: where.activityId, sentAt: at, failureReason: null },
      });
    },

    async markFailed(pulseId: string, personId: string, reason: string): Promise<void> {
      await prisma.pulseRecipient.update({ where: { pulseId_personId: { pulseId, personId } }, data: { deliveryStatus: 'failed', failureReason: reason } });
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
