import type { Deps } from '../deps.ts';
import type { PlanRecord } from '../db/plan-repository.ts';
import { PULSE_STARTER_ROLES, unitsInScope, type UnitNode } from '../domain/unit-scope.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import type { Actor } from './actor.ts';

/** Units of the tenant, and those the person may plan for (leader or coordinator, covering the units below). */
export type PlannerScope = { units: UnitNode[]; scope: UnitNode[] };

export async function plannerScope(deps: Deps, actor: Actor): Promise<PlannerScope> {
  const units = await deps.directory.units(actor.tenant.id);
  return { units, scope: unitsInScope(units, actor.roles, PULSE_STARTER_ROLES) };
}

/**
 * The plan, if it belongs to the person's tenant and its unit is in their
 * scope. Every plan verb checks this again: a card can be forged or stale,
 * and a role can be taken away after the card was sent.
 */
export async function manageablePlan(deps: Deps, actor: Actor, scope: readonly UnitNode[], planId: unknown): Promise<PlanRecord | null> {
  if (typeof planId !== 'string') return null;
  const plan = await deps.plans.find(actor.tenant.id, planId);
  return plan && scope.some((u) => u.id === plan.unitId) ? plan : null;
}

export type TemplateChoice = { id: string; title: LocalizedText };

export async function templateChoices(deps: Deps, tenantId: string): Promise<TemplateChoice[]> {
  return (await deps.bank.forTenant(tenantId)).templates.map((t) => ({ id: t.id, title: t.title }));
}
