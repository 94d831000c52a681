import type { Deps } from '../deps.ts';
import type { PulseSummary } from '../db/response-repository.ts';
import { STAFF_ROLES } from '../domain/profile.ts';
import { childUnitOf, OTHER_UNIT, responseBreakdowns, type Breakdown } from '../domain/response-breakdown.ts';
import type { Actor } from './actor.ts';
import { manageablePlan, plannerScope } from './plan-access.ts';
import { pulseFigures, type PulseFigures } from './plan-overview.ts';

/** The key for recipients whose staff role is not known. */
export const UNKNOWN_ROLE = 'unknown';

export type ResponseStatus =
  | { kind: 'notAllowed' }
  | { kind: 'notFound' }
  | { kind: 'none' }
  | {
      kind: 'ok';
      pulse: PulseSummary;
      unitName: string;
      figures: PulseFigures;
      /** Per child unit of the pulse's unit (keys are unit ids or OTHER_UNIT); empty when there is only one group. */
      byUnit: Breakdown['groups'];
      unitNames: Record<string, string>;
      /** Per staff role (keys are StaffRole or UNKNOWN_ROLE). */
      byRole: Breakdown;
      k: number;
    };

/**
 * Response rate of the latest pulse for the units in the person's scope (or
 * of one plan's latest pulse), per unit and per staff role, in counts with
 * the k rule (src/domain/response-breakdown.ts). Viewing is audited.
 */
export async function responseStatus(deps: Deps, actor: Actor, opts: { planId?: unknown } = {}): Promise<ResponseStatus> {
  const { units, scope } = await plannerScope(deps, actor);
  if (scope.length === 0) return { kind: 'notAllowed' };
  let pulse: PulseSummary | null;
  if (opts.planId !== undefined) {
    const plan = await manageablePlan(deps, actor, scope, opts.planId);
    if (!plan) return { kind: 'notFound' };
    pulse = await deps.responses.latestPulse(actor.tenant.id, { planId: plan.id });
  } else {
    pulse = await deps.responses.latestPulse(actor.tenant.id, { unitIds: scope.map((u) => u.id) });
  }
  if (!pulse) return { kind: 'none' };

  const k = actor.tenant.minGroupSize;
  const recipients = await deps.responses.recipientGroups(pulse.id);
  const childOf = childUnitOf(units, pulse.unitId);
  const children = units.filter((u) => u.parentId === pulse.unitId);
  const people = recipients.map((r) => ({ unit: childOf(r.unitIds), role: r.staffRole ?? UNKNOWN_ROLE, answered: r.answered }));
  const unitOrder = [...children.map((u) => u.id), OTHER_UNIT];
  const severalUnits = new Set(people.map((p) => p.unit)).size > 1;
  // Units and roles are decided together: one count per unit and one per role could otherwise be subtracted across.
  const shown = responseBreakdowns(people, { units: unitOrder, roles: [...STAFF_ROLES, UNKNOWN_ROLE] }, k, severalUnits);
  const byUnit = shown.byUnit;
  const byRole: Breakdown = { total: shown.total, groups: shown.byRole };
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'responseRate.viewed', target: pulse.id });
  return {
    kind: 'ok',
    pulse,
    unitName: units.find((u) => u.id === pulse.unitId)?.name ?? '',
    figures: await pulseFigures(deps, pulse, k),
    byUnit,
    unitNames: Object.fromEntries(children.map((u) => [u.id, u.name])),
    byRole,
    k,
  };
}
