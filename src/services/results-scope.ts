import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import { RESULTS_VIEWER_ROLES } from '../domain/results-access.ts';
import { ancestry, unitsInScope, type UnitNode } from '../domain/unit-scope.ts';

export type RoundInScope =
  | { kind: 'notAllowed' }
  | { kind: 'noResults' }
  | { kind: 'ok'; units: UnitNode[]; scope: UnitNode[]; round: ClosedPulse[]; pulse: ClosedPulse };

/**
 * The units the actor may see results for, and the latest round of pulses
 * in them (of one template, when given): the common first step of every
 * results view, export and trend.
 */
export async function latestRoundInScope(deps: Deps, actor: Actor, templateId?: string, fits?: RoundFilter): Promise<RoundInScope> {
  const units = await deps.directory.units(actor.tenant.id);
  const scope = unitsInScope(units, actor.roles, RESULTS_VIEWER_ROLES);
  if (scope.length === 0) return { kind: 'notAllowed' };
  const unitIds = scope.map((u) => u.id);
  const round = templateId || !fits ? await deps.results.latestRound(unitIds, templateId) : await latestFitting(deps, unitIds, fits);
  const pulse = round[0];
  if (!pulse) return { kind: 'noResults' };
  return { kind: 'ok', units, scope, round, pulse };
}

/** Whether a round answers what was asked (has barrier items, has a round before, …). */
export type RoundFilter = (round: ClosedPulse[], unitIds: string[]) => boolean | Promise<boolean>;

/**
 * The newest round, of any template, that fits: «hindringer» wants the latest
 * barrier round even when a needs pulse closed after it, and «trend» the latest
 * round that has one before it. Falls back to the latest round when none fits,
 * so the view can say what is missing.
 */
async function latestFitting(deps: Deps, unitIds: string[], fits: RoundFilter): Promise<ClosedPulse[]> {
  const rounds = await deps.results.latestRoundPerTemplate(unitIds, new Date(0));
  for (const round of rounds) if (await fits(round, unitIds)) return deps.results.latestRound(unitIds, round[0]!.templateId);
  return deps.results.latestRound(unitIds);
}

/** What to call a round: its unit when it is one pulse, else the viewer's own top unit. */
export function roundUnitName(found: Extract<RoundInScope, { kind: 'ok' }>): string {
  if (found.round.length === 1) return found.units.find((u) => u.id === found.pulse.unitId)?.name ?? '';
  // The nearest unit above all the round's pulses (Fjordvik kommune for its schools),
  // not the viewer's top unit: a leader of the whole organisation sees «Organisasjon» otherwise.
  const [first, ...rest] = found.round.map((p) => ancestry(found.units, p.unitId));
  const common = first?.find((u) => rest.every((line) => line.some((v) => v.id === u.id)));
  if (common) return common.name;
  const ids = new Set(found.scope.map((u) => u.id));
  return found.scope.find((u) => !u.parentId || !ids.has(u.parentId))?.name ?? '';
}
