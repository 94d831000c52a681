import type { PrismaClient } from '../generated/prisma/client.ts';
import type { RoundPulseLink } from '../domain/check-back.ts';
import type { PersonRecord } from './directory-repository.ts';

const PERSON_FIELDS = {
  id: true,
  tenantId: true,
  name: true,
  teamsUserId: true,
  aadObjectId: true,
  clientLocale: true,
  preferredLanguage: true,
  staffRole: true,
  schoolLevel: true,
  pupilGroups: true,
  profileSavedAt: true,
  profilePromptedAt: true,
} as const;

/** What check-back rounds need to know about pulses: their links and their recipients. */
export function checkBackRepository(prisma: PrismaClient) {
  return {
    /** For each pulse: whether it is a check-back itself, and its own check-back if one exists (not cancelled). */
    async links(tenantId: string, pulseIds: string[]): Promise<RoundPulseLink[]> {
      if (pulseIds.length === 0) return [];
      const rows = await prisma.pulse.findMany({
        where: { tenantId, id: { in: pulseIds } },
        select: { id: true, unitId: true, checkBackOfId: true, checkBacks: { where: { status: { not: 'cancelled' } }, select: { id: true }, take: 1 } },
      });
      return rows.map((r) => ({ id: r.id, unitId: r.unitId, checkBackOfId: r.checkBackOfId, checkBackId: r.checkBacks[0]?.id ?? null }));
    },

    /** The people a pulse was sent to (its PulseRecipient rows), whatever their unit is today. */
    async recipientsOf(pulseId: string): Promise<PersonRecord[]> {
      const rows = await prisma.pulseRecipient.findMany({ where: { pulseId }, select: { person: { select: PERSON_FIELDS } }, orderBy: { personId: 'asc' } });
      return rows.map((r) => r.person);
    },

    async recipientCount(pulseIds: string[]): Promise<number> {
      return pulseIds.length === 0 ? 0 : prisma.pulseRecipient.count({ where: { pulseId: { in: pulseIds } } });
    },
  };
}

export type CheckBackRepository = ReturnType<typeof checkBackRepository>;
