import type { PrismaClient } from '../generated/prisma/client.ts';
import type { PulseContent } from '../domain/pulse-content.ts';
import type { ClosedPulse } from './results-repository.ts';

/** A closed pulse with whether (and when) a leader shared its summary with staff. */
export type SharablePulse = ClosedPulse & { sharedWithStaffAt: Date | null };

const SELECT = { id: true, unitId: true, content: true, closesAt: true, templateId: true, sharedWithStaffAt: true } as const;
const WITH_RESULTS = { in: ['closed' as const, 'published' as const] };

type Row = { id: string; unitId: string; content: unknown; closesAt: Date; templateId: string; sharedWithStaffAt: Date | null };
const toPulse = (r: Row): SharablePulse => ({ id: r.id, unitId: r.unitId, content: r.content as PulseContent, closesAt: r.closesAt, templateId: r.templateId, sharedWithStaffAt: r.sharedWithStaffAt });

/**
 * Sharing a round's anonymous summary with the staff of its units
 * (Pulse.sharedWithStaffAt / sharedById). Pulses only: no answer, person or
 * count leaves here.
 */
export function sharingRepository(prisma: PrismaClient) {
  return {
    /** The tenant's closed pulses among `ids`; an id of another tenant, or of an open pulse, is simply not returned. */
    async closedPulses(tenantId: string, ids: readonly string[]): Promise<SharablePulse[]> {
      if (ids.length === 0) return [];
      const rows = await prisma.pulse.findMany({ where: { tenantId, id: { in: [...ids] }, status: WITH_RESULTS }, select: SELECT, orderBy: { closesAt: 'desc' } });
      return rows.map(toPulse);
    },

    /**
     * Shares the pulses with staff. Already shared pulses keep their first
     * date and sharer, so sharing twice changes nothing. Returns how many
     * were newly shared.
     */
    async markShared(tenantId: string, ids: readonly string[], sharedById: string, at: Date): Promise<number> {
      if (ids.length === 0) return 0;
      const { count } = await prisma.pulse.updateMany({
        where: { tenantId, id: { in: [...ids] }, status: WITH_RESULTS, sharedWithStaffAt: null },
        data: { sharedWithStaffAt: at, sharedById },
      });
      return count;
    },

    /** Shared, closed pulses in `unitIds` or sent to `personId`, newest first. */
    async sharedFor(tenantId: string, unitIds: readonly string[], personId: string, limit = 500): Promise<SharablePulse[]> {
      const rows = await prisma.pulse.findMany({
        where: {
          tenantId,
          status: WITH_RESULTS,
          sharedWithStaffAt: { not: null },
          OR: [{ unitId: { in: [...unitIds] } }, { recipients: { some: { personId } } }],
        },
        select: SELECT,
        orderBy: { closesAt: 'desc' },
        take: limit,
      });
      return rows.map(toPulse);
    },

    /** Which of `pulseIds` were sent to the person. */
    async recipientOf(personId: string, pulseIds: readonly string[]): Promise<string[]> {
      if (pulseIds.length === 0) return [];
      const rows = await prisma.pulseRecipient.findMany({ where: { personId, pulseId: { in: [...pulseIds] } }, select: { pulseId: true } });
      return rows.map((r) => r.pulseId);
    },
  };
}

export type SharingRepository = ReturnType<typeof sharingRepository>;
