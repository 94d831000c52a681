import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import { measureEvaluationRepository, type EvaluationMeasure, type FollowUpPulse } from '../db/measure-evaluation-repository.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import type { GroupResult } from '../domain/aggregate-results.ts';
import { publicationOf } from './round-publication.ts';
import { effectState, measureEffect, type EffectState, type MeasureEffect } from '../domain/measure-effect.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import { RESULTS_VIEWER_ROLES } from '../domain/results-access.ts';
import { subtreeOf, unitsInScope } from '../domain/unit-scope.ts';

/** Measures on one card (newest first); the rest are counted. */
export const MAX_MEASURES = 10;

export type MeasureEffectEntry = {
  measure: EvaluationMeasure;
  unitName: string;
  state: EffectState;
  base: { title: string; closedAt: Date; pulses: number } | null;
  followUp: { title: string; closesAt: Date; closed: boolean } | null;
  /** Only when both rounds are closed. */
  effect: MeasureEffect | null;
  /** The base pulse's items, for labels. */
  items: PulseItem[];
};

export type EffectOutcome = { kind: 'notAllowed' } | { kind: 'none' } | { kind: 'ok'; k: number; entries: MeasureEffectEntry[]; total: number };

const CLOSED = ['closed', 'published'];

/** The measure's group (its staff role, or everyone) in one round, as the results views publish it for the measure's units. */
async function groupIn(deps: Deps, round: ClosedPulse[], m: EvaluationMeasure, k: number, unitIds: readonly string[]): Promise<GroupResult | undefined> {
  const { publication } = await publicationOf(deps, round, k, unitIds);
  return (m.staffRole ? publication.groups.staffRole : publication.groups.all).find((g) => g.key === (m.staffRole ?? 'all'));
}

async function entryFor(deps: Deps, actor: Actor, m: EvaluationMeasure, units: Awaited<ReturnType<Deps['directory']['units']>>): Promise<MeasureEffectEntry> {
  const repo = measureEvaluationRepository(deps.db.prisma);
  const k = actor.tenant.minGroupSize;
  const base: ClosedPulse | null = await repo.basePulse(m.basePulseId);
  const followUp: FollowUpPulse | null = await repo.followUpOf(m.id);
  const closed = followUp !== null && CLOSED.includes(followUp.status);
  const state = effectState({ hasBase: base !== null, followUp: !followUp ? 'none' : closed ? 'closed' : 'open' });
  const entry: MeasureEffectEntry = {
    measure: m,
    unitName: units.find((u) => u.id === m.unitId)?.name ?? '',
    state,
    base: null,
    followUp: followUp ? { title: followUp.content.title[actor.lang], closesAt: followUp.closesAt, closed } : null,
    effect: null,
    items: base?.content.items ?? [],
  };
  if (!base) return entry;
  // Before = the base pulse's round inside the measure's own units, so both sides cover the same people's units.
  const round = await repo.baseRound(base, [...subtreeOf(units, m.unitId)]);
  entry.base = { title: base.content.title[actor.lang], closedAt: base.closesAt, pulses: round.length };
  if (state !== 'ready' || !followUp) return entry;
  const measureUnits = [...subtreeOf(units, m.unitId)];
  const before = await groupIn(deps, round, m, k, measureUnits);
  const after = await groupIn(deps, [{ id: followUp.id, unitId: followUp.unitId, content: followUp.content, closesAt: followUp.closesAt, templateId: base.templateId }], m, k, measureUnits);
  entry.effect = measureEffect({ before, after, themeIds: m.themeIds, itemIds: m.itemIds, items: base.content.items, k });
  // The follow-up has closed: the measure is evaluated (the daily job does the same).
  if (m.status === 'running' && (await repo.markEvaluated(m.id))) {
    await deps.audit.record({ tenantId: m.tenantId, action: 'measure.evaluated', target: m.id });
    entry.measure = { ...m, status: 'evaluated' };
  }
  return entry;
}

/**
 * «effekt av tiltak»: for each running or evaluated measure in the actor's
 * units, before vs after for the measure's group, per theme and item the
 * measure should move — only from anonymous aggregates, with the same
 * anonymity rule as every results view. Audited.
 */
export async function measureEffectFor(deps: Deps, actor: Actor): Promise<EffectOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  const scope = unitsInScope(units, actor.roles, RESULTS_VIEWER_ROLES);
  if (scope.length === 0) return { kind: 'notAllowed' };
  const measures = await measureEvaluationRepository(deps.db.prisma).inUnits(scope.map((u) => u.id), ['running', 'evaluated']);
  if (measures.length === 0) return { kind: 'none' };
  const entries: MeasureEffectEntry[] = [];
  for (const m of measures.slice(0, MAX_MEASURES)) entries.push(await entryFor(deps, actor, m, units));
  await deps.audit.record({
    tenantId: actor.tenant.id,
    actorId: actor.person.id,
    action: 'measures.effect.viewed',
    details: { measures: entries.length, compared: entries.filter((e) => e.effect?.status === 'ok').length },
  });
  return { kind: 'ok', k: actor.tenant.minGroupSize, entries, total: measures.length };
}
