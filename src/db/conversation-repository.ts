import type { PrismaClient } from '../generated/prisma/client.ts';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export type StoredConversation = {
  tenantId: string;
  conversationId: string;
  kind: ConversationKind;
  serviceUrl: string;
  personId?: string;
  teamsTeamId?: string;
  /** The Bot Framework ConversationReference, kept whole for proactive sends. */
  reference: Record<string, unknown>;
};

/** Conversation references for proactive messages (pulses, reminders, channel posts). */
export function conversationRepository(prisma: PrismaClient) {
  return {
    async save(c: StoredConversation): Promise<void> {
      const data = {
        kind: c.kind,
        serviceUrl: c.serviceUrl,
        personId: c.personId ?? null,
        teamsTeamId: c.teamsTeamId ?? null,
        reference: c.reference as object,
      };
      await prisma.conversationRef.upsert({
        where: { tenantId_conversationId: { tenantId: c.tenantId, conversationId: c.conversationId } },
        create: { tenantId: c.tenantId, conversationId: c.conversationId, ...data },
        update: data,
      });
    },

    /** A service URL known for the tenant, for creating new 1:1 chats with roster-only people. */
    async anyServiceUrl(tenantId: string): Promise<string | null> {
      const ref = await prisma.conversationRef.findFirst({ where: { tenantId }, orderBy: { updatedAt: 'desc' }, select: { serviceUrl: true } });
      return ref?.serviceUrl ?? null;
    },

    /** The team's channel conversation (where the bot was installed), for channel posts. */
    async channelFor(tenantId: string, teamsTeamId: string) {
      return prisma.conversationRef.findFirst({ where: { tenantId, teamsTeamId, kind: 'channel' }, orderBy: { updatedAt: 'desc' } });
    },

    async personalFor(personId: string) {
      return prisma.conversationRef.findFirst({ where: { personId, kind: 'personal' }, orderBy: { updatedAt: 'desc' } });
    },
  };
}

export type ConversationRepository = ReturnType<typeof conversationRepository>;
