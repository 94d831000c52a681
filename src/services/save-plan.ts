import type { Deps } from '../deps.ts';
import type { PlanInput, PlanRecord } from '../db/plan-repository.ts';
import { newPlanValues, parsePlanForm, planFormValues, planToValues, type PlanFormProblem, type PlanFormValues } from '../domain/plan-form.ts';
import { nextOccurrence, occurrencesBetween } from '../domain/schedule.ts';
import { unitsWithoutSchoolHolidays } from '../domain/school-holidays.ts';
import type { UnitNode } from '../domain/unit-scope.ts';
import type { Actor } from './actor.ts';
import { manageablePlan, plannerScope, templateChoices, type PlannerScope, type TemplateChoice } from './plan-access.ts';
import { planHolidays } from './plan-holidays.ts';
import { queuePlanRun, scheduleFor } from './plan-runner.ts';

/** What the plan form needs to be drawn; `withoutSchoolHolidays`: units in scope no skolerute covers (unitsWithoutSchoolHolidays). */
export type PlanFormData = {
  templates: TemplateChoice[];
  units: UnitNode[];
  values: PlanFormValues;
  problems: PlanFormProblem[];
  withoutSchoolHolidays: { units: UnitNode[]; all: boolean };
};

async function formData(deps: Deps, actor: Actor, planner: PlannerScope, templates: TemplateChoice[], values: PlanFormValues, problems: PlanFormProblem[] = []): Promise<PlanFormData> {
  const holidays = await deps.schoolHolidays.forTenant(actor.tenant.id);
  return { templates, units: planner.scope, values, problems, withoutSchoolHolidays: unitsWithoutSchoolHolidays(planner.units, holidays, planner.scope) };
}

export type SavePlanOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'notFound' }
  | { kind: 'invalid'; form: PlanFormData }
  | { kind: 'saved'; plan: PlanRecord; created: boolean; upcoming: Date[] };

/** How many coming sends the confirmation lists. */
const PREVIEW = 3;
const TWO_YEARS_MS = 2 * 366 * 24 * 3600_000;

/**
 * Creates or changes a plan from the form: checks who may, validates
 * (src/domain/plan-form.ts), stores it with its next run (the first
 * occurrence after now), queues that run and records it in the audit log.
 * A paused plan stays paused when edited and gets its next run on resume.
 */
export async function savePlan(deps: Deps, actor: Actor, data: Record<string, unknown>): Promise<SavePlanOutcome> {
  const planner = await plannerScope(deps, actor);
  const { scope } = planner;
  if (scope.length === 0) return { kind: 'notAllowed' };
  const editing = typeof data.planId === 'string' && data.planId !== '';
  const existing = editing ? await manageablePlan(deps, actor, scope, data.planId) : null;
  if (editing && !existing) return { kind: 'notFound' };

  const templates = await templateChoices(deps, actor.tenant.id);
  const parsed = parsePlanForm(data, {
    templateIds: templates.map((t) => t.id),
    unitIds: scope.map((u) => u.id),
    holidays: await planHolidays(deps, actor.tenant.id, planFormValues(data).unitId),
    now: deps.clock(),
  });
  if (!parsed.ok) return { kind: 'invalid', form: await formData(deps, actor, planner, templates, parsed.values, parsed.problems) };

  const d = parsed.draft;
  const input: PlanInput = {
    tenantId: actor.tenant.id,
    unitId: d.unitId,
    templateId: d.templateId,
    roleFilter: d.roleFilter,
    firstSendAt: d.firstSendAt,
    recurrence: d.recurrence,
    endsAt: null,
    windowMinutes: d.windowMinutes,
    reminders: d.reminders,
    maxReminders: d.maxReminders,
    onClose: d.onClose,
    skipHolidays: d.skipHolidays,
    createdById: existing?.createdById ?? actor.person.id,
  };
  const paused = existing?.status === 'paused';
  const plan = existing ? await deps.plans.update(actor.tenant.id, existing.id, input, paused ? null : d.nextRunAt) : await deps.plans.create(input, d.nextRunAt);
  if (!plan) return { kind: 'notFound' }; // cancelled or finished meanwhile
  await queuePlanRun(deps, plan);
  await deps.audit.record({
    tenantId: actor.tenant.id,
    actorId: actor.person.id,
    action: existing ? 'plan.updated' : 'plan.created',
    target: plan.id,
    details: { unitId: plan.unitId, templateId: plan.templateId, recurrence: plan.recurrence, windowMinutes: plan.windowMinutes },
  });
  const schedule = await scheduleFor(deps, plan);
  const upcoming = occurrencesBetween(schedule, d.nextRunAt, new Date(d.nextRunAt.getTime() + TWO_YEARS_MS), PREVIEW);
  return { kind: 'saved', plan, created: !existing, upcoming };
}

/**
 * The form for a new plan (`pick` preselects a template or unit), or filled
 * in from a plan for "Endre". The first date shown is the plan's next run,
 * so saving it unchanged keeps the plan's rhythm.
 */
export async function planFormFor(
  deps: Deps,
  actor: Actor,
  what: { planId: unknown } | { pick: { templateId?: string; unitId?: string } },
): Promise<{ kind: 'notAllowed' } | { kind: 'notFound' } | { kind: 'form'; form: PlanFormData }> {
  const planner = await plannerScope(deps, actor);
  const { scope } = planner;
  if (scope.length === 0) return { kind: 'notAllowed' };
  const templates = await templateChoices(deps, actor.tenant.id);
  const now = deps.clock();
  if ('pick' in what) return { kind: 'form', form: await formData(deps, actor, planner, templates, newPlanValues(now, what.pick)) };
  const plan = await manageablePlan(deps, actor, scope, what.planId);
  if (!plan) return { kind: 'notFound' };
  const sendAt = plan.nextRunAt && plan.nextRunAt > now ? plan.nextRunAt : (nextOccurrence(await scheduleFor(deps, plan), now) ?? plan.firstSendAt);
  return { kind: 'form', form: await formData(deps, actor, planner, templates, planToValues(plan, sendAt)) };
}
