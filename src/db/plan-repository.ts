import type { PrismaClient } from '../generated/prisma/client.ts';
import type { StaffRole } from '../domain/profile.ts';
import type { Recurrence } from '../domain/schedule.ts';

export type PlanReminder = { kind: 'afterOpen' | 'beforeClose'; minutes: number };
export type PlanStatus = 'active' | 'paused' | 'cancelled' | 'finished';

export type PlanRecord = {
  id: string;
  tenantId: string;
  unitId: string;
  templateId: string;
  roleFilter: StaffRole[];
  firstSendAt: Date;
  recurrence: Recurrence;
  endsAt: Date | null;
  windowMinutes: number;
  reminders: PlanReminder[];
  maxReminders: number;
  onClose: 'publish' | 'publishAndPost';
  skipHolidays: boolean;
  status: PlanStatus;
  nextRunAt: Date | null;
  createdById: string | null;
};

export type PlanInput = Omit<PlanRecord, 'id' | 'status' | 'nextRunAt'>;

type Row = Omit<PlanRecord, 'recurrence' | 'reminders' | 'onClose'> & { recurrence: string; reminders: unknown; onClose: string };
const toPlan = (r: Row): PlanRecord => ({
  id: r.id,
  tenantId: r.tenantId,
  unitId: r.unitId,
  templateId: r.templateId,
  roleFilter: r.roleFilter,
  firstSendAt: r.firstSendAt,
  recurrence: r.recurrence as Recurrence,
  endsAt: r.endsAt,
  windowMinutes: r.windowMinutes,
  reminders: (Array.isArray(r.reminders) ? r.reminders : []) as PlanReminder[],
  maxReminders: r.maxReminders,
  onClose: r.onClose === 'publishAndPost' ? 'publishAndPost' : 'publish',
  skipHolidays: r.skipHolidays,
  status: r.status,
  nextRunAt: r.nextRunAt,
  createdById: r.createdById,
});

/** Coordinators' pulse plans and the tenant's own holidays. */
export function planRepository(prisma: PrismaClient) {
  return {
    async create(input: PlanInput, nextRunAt: Date | null): Promise<PlanRecord> {
      const row = await prisma.pulsePlan.create({ data: { ...input, reminders: input.reminders as object, nextRunAt, status: nextRunAt ? 'active' : 'finished' } });
      return toPlan(row as Row);
    },

    async update(tenantId: string, planId: string, input: PlanInput, nextRunAt: Date | null): Promise<PlanRecord | null> {
      const { count } = await prisma.pulsePlan.updateMany({ where: { id: planId, tenantId, status: { in: ['active', 'paused'] } }, data: { ...input, reminders: input.reminders as object, nextRunAt } });
      return count ? this.find(tenantId, planId) : null;
    },

    async find(tenantId: string, planId: string): Promise<PlanRecord | null> {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(planId)) return null;
      const row = await prisma.pulsePlan.findFirst({ where: { id: planId, tenantId } });
      return row ? toPlan(row as Row) : null;
    },

    async findById(planId: string): Promise<PlanRecord | null> {
      const row = await prisma.pulsePlan.findUnique({ where: { id: planId } });
      return row ? toPlan(row as Row) : null;
    },

    async list(tenantId: string, unitIds: string[]): Promise<PlanRecord[]> {
      const rows = await prisma.pulsePlan.findMany({ where: { tenantId, unitId: { in: unitIds }, status: { in: ['active', 'paused'] } }, orderBy: { nextRunAt: 'asc' } });
      return rows.map((r) => toPlan(r as Row));
    },

    async setStatus(tenantId: string, planId: string, from: PlanStatus[], to: PlanStatus, nextRunAt?: Date | null): Promise<boolean> {
      const { count } = await prisma.pulsePlan.updateMany({ where: { id: planId, tenantId, status: { in: from } }, data: { status: to, ...(nextRunAt !== undefined ? { nextRunAt } : {}) } });
      return count === 1;
    },

    /**
     * Moves the plan to its next occurrence only if it is still at `current`:
     * with several processes, exactly one advances it.
     */
    async advance(planId: string, current: Date, next: Date | null): Promise<boolean> {
      const { count } = await prisma.pulsePlan.updateMany({
        where: { id: planId, status: 'active', nextRunAt: current },
        data: next ? { nextRunAt: next } : { nextRunAt: null, status: 'finished' },
      });
      return count === 1;
    },

    async active(): Promise<PlanRecord[]> {
      return (await prisma.pulsePlan.findMany({ where: { status: 'active', nextRunAt: { not: null } } })).map((r) => toPlan(r as Row));
    },

    async holidays(tenantId: string): Promise<Array<{ from: string; to: string }>> {
      return (await prisma.tenantHoliday.findMany({ where: { tenantId } })).map((h) => ({ from: h.fromDate, to: h.toDate }));
    },

    async addHoliday(tenantId: string, from: string, to: string, name: string): Promise<void> {
      await prisma.tenantHoliday.create({ data: { tenantId, fromDate: from, toDate: to, name } });
    },

    async lastPulse(planId: string) {
      return prisma.pulse.findFirst({ where: { planId }, orderBy: { occurrence: 'desc' }, select: { id: true, status: true, closesAt: true, occurrence: true } });
    },
  };
}

export type PlanRepository = ReturnType<typeof planRepository>;
