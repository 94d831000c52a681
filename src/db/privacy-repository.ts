import type { PrismaClient } from '../generated/prisma/client.ts';
import type { PulseContent } from '../domain/pulse-content.ts';
import { freezeTallies } from './results-repository.ts';
import type { SqlExecutor } from './sql-executor.ts';

/** Everything stored about one person, as they may see it (their own answers included: they wrote them). */
export type PersonData = {
  profile: {
    name: string | null;
    email: string | null;
    teamsUserId: string | null;
    aadObjectId: string | null;
    clientLocale: string | null;
    preferredLanguage: string | null;
    staffRole: string | null;
    schoolLevel: string | null;
    pupilGroups: string[];
    profileSavedAt: Date | null;
    createdAt: Date;
  };
  memberships: Array<{ unitName: string; source: string }>;
  roles: Array<{ role: string; unitName: string }>;
  /** Pulses sent to them, newest first, with their own answers. */
  pulses: Array<{ pulseId: string; content: PulseContent; opensAt: Date; closesAt: Date; answeredAt: Date | null; answers: Array<{ itemId: string; value: number | null; comment: string | null }> }>;
  conversations: Array<{ kind: string; updatedAt: Date }>;
  /** Audit entries where they are the actor: action and time (targets and details are ids and counts). */
  audit: Array<{ action: string; at: Date }>;
  auditTotal: number;
};

/** Rows deleted by an erasure, per table: counts only, for the audit log and the reply. */
export type ErasureCounts = {
  answers: number;
  comments: number;
  recipients: number;
  outbox: number;
  conversations: number;
  memberships: number;
  roles: number;
  person: number;
  /** Closed pulses whose counts were stored now so their published results stay as they are. */
  frozenPulses: number;
};

/** What retention did in one tenant. */
export type RetentionCounts = { tenantId: string; pulses: number; answers: number; comments: number; frozenPulses: number };

const AUDIT_SHOWN = 50;

/** One audit entry with names resolved where the person or pulse still exists. */
export type AuditRow = {
  at: Date;
  action: string;
  actorId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  target: string | null;
  targetName: string | null;
  targetEmail: string | null;
  targetPulse: string | null;
  details: unknown;
};

export function privacyRepository(prisma: PrismaClient, sql: SqlExecutor) {
  return {
    async personData(personId: string): Promise<PersonData | null> {
      const person = await prisma.person.findUnique({
        where: { id: personId },
        include: {
          memberships: { include: { unit: { select: { name: true } } } },
          roles: { include: { unit: { select: { name: true } } } },
          conversations: { select: { kind: true, updatedAt: true } },
          recipientOf: { include: { pulse: { select: { id: true, content: true, opensAt: true, closesAt: true } } } },
        },
      });
      if (!person) return null;
      const answers = await prisma.answer.findMany({ where: { personId }, select: { pulseId: true, itemId: true, value: true, comment: true } });
      // Answers to a pulse they are not (any longer) a recipient of are theirs too.
      const answeredOnly = [...new Set(answers.map((a) => a.pulseId))].filter((id) => !person.recipientOf.some((r) => r.pulseId === id));
      const extra = answeredOnly.length ? await prisma.pulse.findMany({ where: { id: { in: answeredOnly } }, select: { id: true, content: true, opensAt: true, closesAt: true } }) : [];
      const pulses = [
        ...person.recipientOf.map((r) => ({ pulse: r.pulse, answeredAt: r.answeredAt })),
        ...extra.map((p) => ({ pulse: p, answeredAt: null })),
      ]
        .map(({ pulse, answeredAt }) => ({
          pulseId: pulse.id,
          content: pulse.content as unknown as PulseContent,
          opensAt: pulse.opensAt,
          closesAt: pulse.closesAt,
          answeredAt,
          answers: answers.filter((a) => a.pulseId === pulse.id).map((a) => ({ itemId: a.itemId, value: a.value, comment: a.comment })),
        }))
        .sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime());
      const [audit, auditTotal] = await Promise.all([
        prisma.auditEntry.findMany({ where: { tenantId: person.tenantId, actorId: personId }, orderBy: { at: 'desc' }, take: AUDIT_SHOWN, select: { action: true, at: true } }),
        prisma.auditEntry.count({ where: { tenantId: person.tenantId, actorId: personId } }),
      ]);
      return {
        profile: {
          name: person.name,
          email: person.email,
          teamsUserId: person.teamsUserId,
          aadObjectId: person.aadObjectId,
          clientLocale: person.clientLocale,
          preferredLanguage: person.preferredLanguage,
          staffRole: person.staffRole,
          schoolLevel: person.schoolLevel,
          pupilGroups: person.pupilGroups,
          profileSavedAt: person.profileSavedAt,
          createdAt: person.createdAt,
        },
        memberships: person.memberships.map((m) => ({ unitName: m.unit.name, source: m.source })),
        roles: person.roles.map((r) => ({ role: r.role, unitName: r.unit.name })),
        pulses,
        conversations: person.conversations.map((c) => ({ kind: c.kind, updatedAt: c.updatedAt })),
        audit,
        auditTotal,
      };
    },

    /** How many rows an erasure would delete (for the confirmation card). */
    async erasurePreview(personId: string): Promise<Omit<ErasureCounts, 'frozenPulses' | 'person'>> {
      const [answers, comments, recipients, outbox, conversations, memberships, roles] = await Promise.all([
        prisma.answer.count({ where: { personId } }),
        prisma.answer.count({ where: { personId, comment: { not: null } } }),
        prisma.pulseRecipient.count({ where: { personId } }),
        prisma.outbox.count({ where: { personId } }),
        prisma.conversationRef.count({ where: { personId } }),
        prisma.membership.count({ where: { personId } }),
        prisma.roleAssignment.count({ where: { personId } }),
      ]);
      return { answers, comments, recipients, outbox, conversations, memberships, roles };
    },

    /**
     * Deletes a person and everything that is about them, in one transaction:
     * first the counts of every closed pulse they answered are stored (if
     * not already), so published results stay exactly as they were; then
     * their answers and comments, recipient and delivery rows, conversation
     * references, memberships, roles and the person row. Where another row
     * only names them as its creator (a plan, a pulse, a measure, a role they
     * granted), that reference is cleared and the row stays. Audit entries
     * stay (accountability); their ids then point to no one.
     */
    async erase(personId: string): Promise<ErasureCounts> {
      return sql.transaction(async (tx) => {
        const count = async (text: string) => (await tx.query<{ n: number }>(`WITH d AS (${text} RETURNING 1) SELECT count(*)::int AS n FROM d`, [personId]))[0]!.n;
        const answered = await tx.query<{ pulseId: string }>(`SELECT DISTINCT "pulseId"::text AS "pulseId" FROM "Answer" WHERE "personId" = $1::uuid`, [personId]);
        const frozenPulses = await freezeTallies(tx, answered.map((r) => r.pulseId));
        const [deleted] = await tx.query<{ answers: number; comments: number }>(
          `WITH d AS (DELETE FROM "Answer" WHERE "personId" = $1::uuid RETURNING comment)
           SELECT count(*)::int AS answers, (count(*) FILTER (WHERE comment IS NOT NULL))::int AS comments FROM d`,
          [personId],
        );
        const recipients = await count(`DELETE FROM "PulseRecipient" WHERE "personId" = $1::uuid`);
        const outbox = await count(`DELETE FROM "Outbox" WHERE "personId" = $1::uuid`);
        const conversations = await count(`DELETE FROM "ConversationRef" WHERE "personId" = $1::uuid`);
        const memberships = await count(`DELETE FROM "Membership" WHERE "personId" = $1::uuid`);
        const roles = await count(`DELETE FROM "RoleAssignment" WHERE "personId" = $1::uuid`);
        await tx.query(`UPDATE "RoleAssignment" SET "grantedBy" = NULL WHERE "grantedBy" = $1::uuid`, [personId]);
        // progressRef is the starter's own conversation reference (it names them).
        await tx.query(`UPDATE "Pulse" SET "createdById" = NULL, "progressRef" = NULL WHERE "createdById" = $1::uuid`, [personId]);
        await tx.query(`UPDATE "Pulse" SET "sharedById" = NULL WHERE "sharedById" = $1::uuid`, [personId]);
        await tx.query(`UPDATE "PulsePlan" SET "createdById" = NULL WHERE "createdById" = $1::uuid`, [personId]);
        await tx.query(`UPDATE "Measure" SET "createdById" = NULL WHERE "createdById" = $1::uuid`, [personId]);
        for (const table of ['CustomBankItem', 'CustomBankTemplate', 'CustomMeasure']) {
          await tx.query(`UPDATE "${table}" SET "createdBy" = NULL WHERE "createdBy" = $1::uuid`, [personId]);
        }
        const person = await count(`DELETE FROM "Person" WHERE id = $1::uuid`);
        return { answers: deleted!.answers, comments: deleted!.comments, recipients, outbox, conversations, memberships, roles, person, frozenPulses };
      });
    },

    /**
     * Retention: for every pulse that closed before `cutoff` and still has
     * answers, stores its counts (closed and published pulses; once) and
     * deletes its answers and comments, one pulse per transaction. Running it
     * again finds nothing to do.
     */
    async applyRetention(cutoff: Date): Promise<RetentionCounts[]> {
      const due = await sql.query<{ id: string; tenantId: string }>(
        `SELECT p.id::text AS id, p."tenantId"::text AS "tenantId" FROM "Pulse" p
          WHERE p.status IN ('closed', 'published', 'cancelled') AND p."closesAt" < $1::timestamptz
            AND EXISTS (SELECT 1 FROM "Answer" a WHERE a."pulseId" = p.id)
          ORDER BY p."closesAt"`,
        [cutoff],
      );
      const byTenant = new Map<string, RetentionCounts>();
      for (const pulse of due) {
        const done = await sql.transaction(async (tx) => {
          const frozen = await freezeTallies(tx, [pulse.id]);
          const [d] = await tx.query<{ answers: number; comments: number }>(
            `WITH d AS (DELETE FROM "Answer" WHERE "pulseId" = $1::uuid RETURNING comment)
             SELECT count(*)::int AS answers, (count(*) FILTER (WHERE comment IS NOT NULL))::int AS comments FROM d`,
            [pulse.id],
          );
          return { frozen, answers: d!.answers, comments: d!.comments };
        });
        if (done.answers === 0) continue;
        const t = byTenant.get(pulse.tenantId) ?? { tenantId: pulse.tenantId, pulses: 0, answers: 0, comments: 0, frozenPulses: 0 };
        t.pulses += 1;
        t.answers += done.answers;
        t.comments += done.comments;
        t.frozenPulses += done.frozen;
        byTenant.set(pulse.tenantId, t);
      }
      return [...byTenant.values()];
    },

    /** The tenant's audit log, oldest first, with the actor's name and e-mail where the person still exists. */
    async auditLog(tenantId: string): Promise<AuditRow[]> {
      return sql.query<AuditRow>(
        `SELECT e.at, e.action, e."actorId"::text AS "actorId", p.name AS "actorName", p.email AS "actorEmail", e.target,
                tp.name AS "targetName", tp.email AS "targetEmail", pu.content->'title'->>'nb' AS "targetPulse", e.details
           FROM "AuditEntry" e
           LEFT JOIN "Person" p ON p.id = e."actorId"
           LEFT JOIN "Person" tp ON tp.id::text = e.target AND tp."tenantId" = e."tenantId"
           LEFT JOIN "Pulse" pu ON pu.id::text = e.target AND pu."tenantId" = e."tenantId"
          WHERE e."tenantId" = $1::uuid ORDER BY e.at, e.id`,
        [tenantId],
      );
    },
  };
}

export type PrivacyRepository = ReturnType<typeof privacyRepository>;
