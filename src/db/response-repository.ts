import type { PrismaClient } from '../generated/prisma/client.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import type { PulseStatus } from '../domain/pulse-lifecycle.ts';
import type { StaffRole } from '../domain/profile.ts';

export type PulseSummary = {
  id: string;
  unitId: string;
  planId: string | null;
  title: LocalizedText;
  status: PulseStatus;
  opensAt: Date;
  closesAt: Date;
};

/** One recipient as the response-rate view needs them: no identity, only the groups they count in. */
export type RecipientGroups = { answered: boolean; staffRole: StaffRole | null; unitIds: string[] };

/** Read side of response rates: which pulse to show and who it went to, grouped — never who answered what. */
export function responseRepository(prisma: PrismaClient) {
  return {
    /** The most recently opened pulse for one of `unitIds`, or of one plan. */
    async latestPulse(tenantId: string, where: { unitIds: string[] } | { planId: string }): Promise<PulseSummary | null> {
      const row = await prisma.pulse.findFirst({
        where: { tenantId, status: { in: ['open', 'closed', 'published'] }, ...('planId' in where ? { planId: where.planId } : { unitId: { in: where.unitIds } }) },
        orderBy: { opensAt: 'desc' },
        select: { id: true, unitId: true, planId: true, content: true, status: true, opensAt: true, closesAt: true },
      });
      if (!row) return null;
      return { id: row.id, unitId: row.unitId, planId: row.planId, title: (row.content as { title: LocalizedText }).title, status: row.status, opensAt: row.opensAt, closesAt: row.closesAt };
    },

    /**
     * Each recipient's staff role and units. Someone who answered counts
     * under the role snapshotted with the answer (a later role change does
     * not rewrite history); someone who did not, under their current role.
     */
    async recipientGroups(pulseId: string): Promise<RecipientGroups[]> {
      const [recipients, snapshots] = await Promise.all([
        prisma.pulseRecipient.findMany({
          where: { pulseId },
          select: { personId: true, answeredAt: true, person: { select: { staffRole: true, memberships: { select: { unitId: true } } } } },
        }),
        prisma.answer.findMany({ where: { pulseId }, distinct: ['personId'], select: { personId: true, staffRole: true } }),
      ]);
      const roleAtAnswer = new Map(snapshots.map((s) => [s.personId, s.staffRole]));
      return recipients.map((r) => ({
        answered: r.answeredAt !== null,
        staffRole: r.answeredAt !== null && roleAtAnswer.has(r.personId) ? (roleAtAnswer.get(r.personId) ?? null) : r.person.staffRole,
        unitIds: r.person.memberships.map((m) => m.unitId),
      }));
    },
  };
}

export type ResponseRepository = ReturnType<typeof responseRepository>;
