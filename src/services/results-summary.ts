import type { Actor } from './actor.ts';
import { latestRoundInScope, roundUnitName } from './results-scope.ts';
import type { Deps } from '../deps.ts';
import { aggregateTallies, rankBarriers, rankNeeds, type GroupResult, type NeedRank, type BarrierSummary } from '../domain/aggregate-results.ts';
import type { ResultsQuery } from '../domain/results-query.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import type { PulseItem } from '../domain/pulse-content.ts';

export type GroupLine = { key: string; respondents: number | null; top: NeedRank | null };

export type ResultsView = {
  pulseTitle: string;
  unitName: string;
  closedAt: Date;
  k: number;
  query: ResultsQuery;
  items: PulseItem[];
  /** The group asked about (a staff role), or everyone. */
  target: GroupResult;
  needs: NeedRank[];
  barriers: BarrierSummary;
  byRole: GroupLine[];
};

export type ResultsOutcome = { kind: 'notAllowed' } | { kind: 'noResults' } | { kind: 'ok'; view: ResultsView };

/**
 * The leader's summary of the latest closed pulse in their scope: the
 * target group's top needs and barriers, and each staff group's top need,
 * all through the anonymity rules of aggregate-results. Every view is audited.
 */
export async function resultsFor(deps: Deps, actor: Actor, query: ResultsQuery): Promise<ResultsOutcome> {
  const found = await latestRoundInScope(deps, actor);
  if (found.kind !== 'ok') return found;
  return { kind: 'ok', view: await summaryOf(deps, actor, found.round, roundUnitName(found), query) };
}

/**
 * The summary of a given round (pulses of one template, newest first) for an
 * actor whose right to see it the caller has checked. Audited as `action`
 * (a view, or a summary the bot sent at close).
 */
export async function summaryOf(deps: Deps, actor: Actor, round: readonly ClosedPulse[], unitName: string, query: ResultsQuery, action = 'results.viewed'): Promise<ResultsView> {
  const pulse = round[0]!;
  const k = actor.tenant.minGroupSize;
  const pulseIds = round.map((p) => p.id);
  const items = pulse.content.items;
  // Counted in the database; the total is the sum of the role groups.
  const roleTallies = await deps.results.tallies(pulseIds, items, 'staffRole');
  const byRoleGroups = aggregateTallies(roleTallies, items, 'staffRole', k);
  // One breakdown at a time (role, or level): a role × level cross-table of the
  // same pulse would let small groups be narrowed down by comparison.
  const pick = (groups: GroupResult[], key: string): GroupResult => groups.find((g) => g.key === key) ?? { key, suppressed: true, reason: 'small', respondents: null, items: [], themes: [] };
  const target = query.role
    ? pick(byRoleGroups, query.role)
    : query.level
      ? pick(aggregateTallies(await deps.results.tallies(pulseIds, items, 'schoolLevel'), items, 'schoolLevel', k), query.level)
      : pick(aggregateTallies(roleTallies, items, 'all', k), 'all');
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action, target: pulse.id, details: { pulses: round.length, group: query.role ?? query.level ?? 'all', focus: query.focus } });
  return {
    pulseTitle: pulse.content.title[actor.lang],
    unitName,
    closedAt: pulse.closesAt,
    k,
    query,
    items,
    target,
    needs: rankNeeds(target, items, actor.lang),
    barriers: rankBarriers(target),
    byRole: byRoleGroups.map((g) => ({ key: g.key, respondents: g.suppressed ? null : g.respondents, top: rankNeeds(g, items, actor.lang)[0] ?? null })),
  };
}
