import type { Deps } from '../deps.ts';
import type { PlanRecord } from '../db/plan-repository.ts';
import { buildPulseContent } from '../domain/pulse-content.ts';
import { closesAtFor, fallsOnSkippedHoliday, nextOccurrence, reminderTimes, type PlanSchedule } from '../domain/schedule.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { openPulse } from './open-pulse.ts';
import { planHolidays } from './plan-holidays.ts';

export async function scheduleFor(deps: Deps, plan: Pick<PlanRecord, 'tenantId' | 'unitId' | 'firstSendAt' | 'recurrence' | 'skipHolidays' | 'endsAt'>): Promise<PlanSchedule> {
  return {
    firstSendAt: plan.firstSendAt,
    recurrence: plan.recurrence,
    skipHolidays: plan.skipHolidays,
    holidays: plan.skipHolidays ? await planHolidays(deps, plan.tenantId, plan.unitId) : [],
    endsAt: plan.endsAt,
  };
}

/** Queues the job that fires the plan at its next occurrence (idempotent: keyed by plan and time). */
export async function queuePlanRun(deps: Deps, plan: Pick<PlanRecord, 'id' | 'nextRunAt' | 'status'>): Promise<void> {
  if (!deps.jobs || plan.status !== 'active' || !plan.nextRunAt) return;
  await deps.jobs.send(QUEUES.firePlan, { planId: plan.id, occurrence: plan.nextRunAt.toISOString() }, { startAfter: plan.nextRunAt, singletonKey: `${plan.id}:${plan.nextRunAt.toISOString()}` });
}

/**
 * Runs one occurrence of a plan: opens its pulse (once, whatever the number
 * of processes or retries: pulses are unique per plan and occurrence),
 * advances the plan to its next occurrence and queues that. A run after a
 * missed time (the bot was down) still sends once, and says so in the log.
 * A time that has become a holiday since it was planned (a skolerute added
 * later) sends nothing; the plan moves on to its next time.
 */
export async function firePlan(deps: Deps, planId: string, occurrenceIso: string): Promise<void> {
  const plan = await deps.plans.findById(planId);
  const occurrence = new Date(occurrenceIso);
  if (!plan || plan.status !== 'active' || plan.nextRunAt?.getTime() !== occurrence.getTime()) return;
  const now = deps.clock();
  const lateMs = now.getTime() - occurrence.getTime();
  if (lateMs > 60_000) deps.logger.warn({ plan: plan.id, occurrence: occurrenceIso, lateMinutes: Math.round(lateMs / 60_000) }, 'plan run was missed (bot was down?); sending it now, once');

  const tenant = await deps.directory.tenantById(plan.tenantId);
  if (!tenant) return;
  const bank = await deps.bank.forTenant(plan.tenantId);
  const schedule = await scheduleFor(deps, plan);
  if (fallsOnSkippedHoliday(schedule, occurrence)) {
    deps.logger.info({ plan: plan.id, occurrence: occurrenceIso }, 'plan occurrence falls on a holiday; skipped');
  } else if (bank.templates.some((t) => t.id === plan.templateId)) {
    const opensAt = now > occurrence ? now : occurrence;
    const closesAt = closesAtFor(opensAt, { kind: 'duration', ms: plan.windowMinutes * 60_000 });
    const remindAt = reminderTimes(opensAt, closesAt, plan.reminders.map((r) => ({ kind: r.kind, ms: r.minutes * 60_000 })), plan.maxReminders);
    await openPulse(deps, {
      tenant,
      unitId: plan.unitId,
      content: buildPulseContent(bank, plan.templateId),
      roleFilter: plan.roleFilter,
      opensAt,
      closesAt,
      remindAt,
      onClose: plan.onClose,
      createdById: plan.createdById,
      plan: { id: plan.id, occurrence },
    });
  } else {
    deps.logger.error({ plan: plan.id, template: plan.templateId }, 'plan template no longer exists; occurrence skipped');
  }
  // From now, not from the missed time: a weekly plan missed for three weeks
  // sends one pulse when the bot is back, not three in a row.
  const next = nextOccurrence(schedule, now > occurrence ? now : occurrence);
  if (await deps.plans.advance(plan.id, occurrence, next)) await queuePlanRun(deps, { id: plan.id, nextRunAt: next, status: next ? 'active' : 'finished' });
}

/**
 * After a unit's school holidays changed: moves each active plan of the
 * units that inherit them (`unitIds`) to its next time from now under the
 * new calendar, so «planer» shows the right next send and no job waits for
 * a time that is now a holiday (or misses one that no longer is).
 */
export async function rescheduleForHolidays(deps: Deps, tenantId: string, unitIds: string[]): Promise<void> {
  const now = deps.clock();
  for (const plan of await deps.plans.list(tenantId, unitIds)) {
    if (plan.status !== 'active' || !plan.skipHolidays || plan.recurrence === 'none' || !plan.nextRunAt || plan.nextRunAt <= now) continue;
    const next = nextOccurrence(await scheduleFor(deps, plan), now);
    if (next?.getTime() === plan.nextRunAt.getTime()) continue;
    if (await deps.plans.advance(plan.id, plan.nextRunAt, next)) await queuePlanRun(deps, { id: plan.id, nextRunAt: next, status: next ? 'active' : 'finished' });
  }
}
