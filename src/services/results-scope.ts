import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import { RESULTS_VIEWER_ROLES } from '../domain/results-access.ts';
import { unitsInScope, type UnitNode } from '../domain/unit-scope.ts';

export type RoundInScope =
  | { kind: 'notAllowed' }
  | { kind: 'noResults' }
  | { kind: 'ok'; units: UnitNode[]; scope: UnitNode[]; round: ClosedPulse[]; pulse: ClosedPulse };

/**
 * The units the actor may see results for, and the latest round of pulses
 * in them (of one template, when given): the common first step of every
 * results view, export and trend.
 */
export async function latestRoundInScope(deps: Deps, actor: Actor, templateId?: string): Promise<RoundInScope> {
  const units = await deps.directory.units(actor.tenant.id);
  const scope = unitsInScope(units, actor.roles, RESULTS_VIEWER_ROLES);
  if (scope.length === 0) return { kind: 'notAllowed' };
  const round = await deps.results.latestRound(scope.map((u) => u.id), templateId);
  const pulse = round[0];
  if (!pulse) return { kind: 'noResults' };
  return { kind: 'ok', units, scope, round, pulse };
}

/** What to call a round: its unit when it is one pulse, else the viewer's own top unit. */
export function roundUnitName(found: Extract<RoundInScope, { kind: 'ok' }>): string {
  if (found.round.length === 1) return found.units.find((u) => u.id === found.pulse.unitId)?.name ?? '';
  const ids = new Set(found.scope.map((u) => u.id));
  return found.scope.find((u) => !u.parentId || !ids.has(u.parentId))?.name ?? '';
}
