import type { PrismaClient } from '../generated/prisma/client.ts';
import type { FollowUpState, MeasureStatus } from '../domain/measure-due.ts';
import type { MeasureRecord } from './measure-repository.ts';
import type { PulseContent } from '../domain/pulse-content.ts';
import type { PulseStatus } from '../domain/pulse-lifecycle.ts';
import type { ClosedPulse } from './results-repository.ts';

/** Pulses of one template closing within this many days before the base pulse form its round (as in results-repository). */
const ROUND_DAYS = 21;

/**
 * The audit action that records a proposal. The audit log is append-only and
 * already says what the bot did; it doubles as the "proposed once" marker, so
 * no column is needed on Measure.
 */
export const PROPOSED_ACTION = 'measure.followUp.proposed';

/** A measure as the evaluation needs it (not its reasons). */
export type EvaluationMeasure = Omit<MeasureRecord, 'catalogueVersion' | 'reasons' | 'createdAt'>;

export type FollowUpPulse = { id: string; unitId: string; status: PulseStatus; opensAt: Date; closesAt: Date; content: PulseContent };

const MEASURE_FIELDS = { id: true, tenantId: true, unitId: true, staffRole: true, catalogueId: true, themeIds: true, itemIds: true, basePulseId: true, startsOn: true, evaluateOn: true, status: true, createdById: true } as const;
const CLOSED: PulseStatus[] = ['closed', 'published'];

const followUpState = (status: PulseStatus | undefined): FollowUpState => (!status ? 'none' : CLOSED.includes(status) ? 'closed' : 'open');
const toClosed = (p: { id: string; unitId: string; content: unknown; closesAt: Date; templateId: string }): ClosedPulse => ({ id: p.id, unitId: p.unitId, content: p.content as PulseContent, closesAt: p.closesAt, templateId: p.templateId });

/** Measures as the evaluation sees them: their base round, their follow-up pulse, proposals. */
export function measureEvaluationRepository(prisma: PrismaClient) {
  async function followUpOf(measureId: string): Promise<FollowUpPulse | null> {
    const row = await prisma.pulse.findFirst({
      where: { measureId, status: { notIn: ['cancelled', 'draft'] } },
      orderBy: { createdAt: 'asc' },
      select: { id: true, unitId: true, status: true, opensAt: true, closesAt: true, content: true },
    });
    return row ? { ...row, content: row.content as PulseContent } : null;
  }

  return {
    /** Every running measure, with what the daily job decides on (see domain/measure-due.ts). */
    async running(): Promise<Array<EvaluationMeasure & { hasBase: boolean; followUp: FollowUpState; proposed: boolean }>> {
      const rows = await prisma.measure.findMany({
        where: { status: 'running' },
        select: { ...MEASURE_FIELDS, followUps: { where: { status: { notIn: ['cancelled', 'draft'] } }, select: { status: true }, orderBy: { createdAt: 'asc' }, take: 1 } },
      });
      const baseIds = rows.flatMap((r) => (r.basePulseId ? [r.basePulseId] : []));
      const bases = new Set((await prisma.pulse.findMany({ where: { id: { in: baseIds }, status: { in: CLOSED } }, select: { id: true } })).map((p) => p.id));
      const proposed = new Set(
        (await prisma.auditEntry.findMany({ where: { action: PROPOSED_ACTION, target: { in: rows.map((r) => r.id) } }, select: { target: true } })).map((a) => a.target),
      );
      return rows.map(({ followUps, ...m }) => ({ ...m, hasBase: m.basePulseId !== null && bases.has(m.basePulseId), followUp: followUpState(followUps[0]?.status), proposed: proposed.has(m.id) }));
    },

    async find(tenantId: string, measureId: string): Promise<EvaluationMeasure | null> {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(measureId)) return null;
      return prisma.measure.findFirst({ where: { id: measureId, tenantId }, select: MEASURE_FIELDS });
    },

    /** Running and evaluated measures in the units, newest first. */
    async inUnits(unitIds: string[], statuses: MeasureStatus[]): Promise<EvaluationMeasure[]> {
      if (unitIds.length === 0) return [];
      return prisma.measure.findMany({ where: { unitId: { in: unitIds }, status: { in: statuses } }, select: MEASURE_FIELDS, orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }] });
    },

    followUpOf,

    /** The measure's "before" pulse, if it exists and has closed. */
    async basePulse(pulseId: string | null): Promise<ClosedPulse | null> {
      if (!pulseId) return null;
      const row = await prisma.pulse.findFirst({ where: { id: pulseId, status: { in: CLOSED } } });
      return row ? toClosed(row) : null;
    },

    /**
     * The base pulse's round inside the measure's units: the base pulse and
     * the same template's pulses there that closed in the three weeks before
     * it (a survey run in every school). Check-backs and other follow-ups are
     * not "before" data.
     */
    async baseRound(base: ClosedPulse, unitIds: string[]): Promise<ClosedPulse[]> {
      const rows = await prisma.pulse.findMany({
        where: {
          templateId: base.templateId,
          unitId: { in: unitIds },
          status: { in: CLOSED },
          checkBackOfId: null,
          measureId: null,
          closesAt: { gte: new Date(base.closesAt.getTime() - ROUND_DAYS * 86_400_000), lte: base.closesAt },
        },
        orderBy: [{ closesAt: 'desc' }, { id: 'asc' }],
      });
      // One pulse per unit, as a round is everywhere (results-repository.ts).
      const round = [base];
      for (const r of rows) if (!round.some((p) => p.unitId === r.unitId)) round.push(toClosed(r));
      return round;
    },

    /**
     * Records that the follow-up was proposed, once: the measure row is locked
     * while the log is checked, so two processes running the daily job at the
     * same moment cannot both propose. true = this caller should send it.
     */
    async claimProposal(m: { id: string; tenantId: string }, details: Record<string, string | number>): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT id FROM "Measure" WHERE id = ${m.id}::uuid FOR UPDATE`;
        if ((await tx.auditEntry.count({ where: { action: PROPOSED_ACTION, target: m.id } })) > 0) return false;
        await tx.auditEntry.create({ data: { tenantId: m.tenantId, action: PROPOSED_ACTION, target: m.id, details } });
        return true;
      });
    },

    /** running → evaluated, once (false when it was not running any more). */
    async markEvaluated(measureId: string): Promise<boolean> {
      const { count } = await prisma.measure.updateMany({ where: { id: measureId, status: 'running' }, data: { status: 'evaluated' } });
      return count === 1;
    },

    /** Who holds the leader role on these units (for nearestLeaders). */
    async leaderGrants(unitIds: string[]): Promise<{ personId: string; unitId: string }[]> {
      return prisma.roleAssignment.findMany({ where: { unitId: { in: unitIds }, role: 'leader' }, select: { personId: true, unitId: true } });
    },
  };
}

export type MeasureEvaluationRepository = ReturnType<typeof measureEvaluationRepository>;
