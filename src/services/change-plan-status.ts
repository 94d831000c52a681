import type { Deps } from '../deps.ts';
import type { PlanRecord } from '../db/plan-repository.ts';
import { nextOccurrence } from '../domain/schedule.ts';
import type { Actor } from './actor.ts';
import { manageablePlan, plannerScope } from './plan-access.ts';
import { queuePlanRun, scheduleFor } from './plan-runner.ts';

export type PlanAction = 'pause' | 'resume' | 'cancel';

export type PlanActionOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'notFound' }
  /** `changed` is false when the plan was no longer in a state the action applies to (a double click, a stale card). */
  | { kind: 'done'; plan: PlanRecord; changed: boolean; result: 'paused' | 'resumed' | 'finished' | 'cancelled' | 'unchanged'; next: Date | null };

/**
 * Pause, resume or cancel a plan. Each step is a conditional update, so two
 * clicks or two processes change it once. Pausing clears the next run (its
 * queued job then finds nothing to do); resuming starts again from now, so
 * occurrences missed while paused are not sent afterwards.
 */
export async function changePlanStatus(deps: Deps, actor: Actor, planId: unknown, action: PlanAction): Promise<PlanActionOutcome> {
  const { scope } = await plannerScope(deps, actor);
  if (scope.length === 0) return { kind: 'notAllowed' };
  const plan = await manageablePlan(deps, actor, scope, planId);
  if (!plan) return { kind: 'notFound' };
  const tenantId = actor.tenant.id;

  let result: 'paused' | 'resumed' | 'finished' | 'cancelled' | 'unchanged' = 'unchanged';
  let next: Date | null = null;
  if (action === 'pause') {
    if (await deps.plans.setStatus(tenantId, plan.id, ['active'], 'paused', null)) result = 'paused';
  } else if (action === 'cancel') {
    if (await deps.plans.setStatus(tenantId, plan.id, ['active', 'paused'], 'cancelled', null)) result = 'cancelled';
  } else {
    next = nextOccurrence(await scheduleFor(deps, plan), deps.clock());
    if (await deps.plans.setStatus(tenantId, plan.id, ['paused'], next ? 'active' : 'finished', next)) {
      result = next ? 'resumed' : 'finished';
      await queuePlanRun(deps, { id: plan.id, nextRunAt: next, status: next ? 'active' : 'finished' });
    }
  }
  if (result !== 'unchanged') {
    await deps.audit.record({ tenantId, actorId: actor.person.id, action: `plan.${result}`, target: plan.id, details: { unitId: plan.unitId } });
  }
  const after = (await deps.plans.find(tenantId, plan.id)) ?? plan;
  return { kind: 'done', plan: after, changed: result !== 'unchanged', result, next };
}
