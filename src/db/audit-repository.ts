import type { PrismaClient } from '../generated/prisma/client.ts';

export type AuditEvent = {
  tenantId: string;
  actorId?: string | null;
  /** Dotted verb, e.g. `bot.installed`, `role.granted`, `results.viewed`. */
  action: string;
  target?: string;
  /** Ids and counts only: never answer contents or free text. */
  details?: Record<string, string | number | boolean | null>;
};

export function auditRepository(prisma: PrismaClient) {
  return {
    async record(e: AuditEvent): Promise<void> {
      await prisma.auditEntry.create({
        data: { tenantId: e.tenantId, actorId: e.actorId ?? null, action: e.action, target: e.target ?? null, details: e.details ?? undefined },
      });
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
