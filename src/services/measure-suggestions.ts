import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import { loadCatalogue } from '../catalogue/load-catalogue.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import type { MeasureRecord } from '../db/measure-repository.ts';
import type { GroupResult } from '../domain/aggregate-results.ts';
import { publicationOf } from './round-publication.ts';
import { matchMeasures, type MatchResult, type MeasureSuggestion, type NeedReason } from '../domain/match-measures.ts';
import { SCHOOL_LEVELS, STAFF_ROLES, type SchoolLevel, type StaffRole } from '../domain/profile.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import { RESULTS_VIEWER_ROLES, canViewResults } from '../domain/results-access.ts';
import { combineGroupResults, type SuggestionQuery } from '../domain/suggestion-input.ts';
import { unitsInScope, type UnitNode } from '../domain/unit-scope.ts';

/** Results older than this say little about today's needs. */
const LOOKBACK_DAYS = 365;

type RoundGroups = { round: ClosedPulse[]; items: PulseItem[]; groups: GroupResult[]; all: GroupResult };

export type SuggestionsView = {
  unitId: string;
  unitName: string;
  /** The group the suggestions are for: a staff role, a school level, or 'all'. */
  groupKey: string;
  /** The group asked about was hidden (under k), so these are for the whole staff. */
  wholeStaffInstead: boolean;
  k: number;
  basedOn: { title: string; closedAt: Date }[];
  items: PulseItem[];
  match: MatchResult;
  /** With no group asked: each staff group's best suggestion (null: group hidden or no visible need). */
  perGroup: { key: string; top: MeasureSuggestion | null }[];
};
export type SuggestionsOutcome = { kind: 'notAllowed' } | { kind: 'noResults' } | { kind: 'ok'; view: SuggestionsView };

const hidden = (key: string): GroupResult => ({ key, suppressed: true, reason: 'small', respondents: null, items: [], themes: [] });

/** The unit the suggestions (and a chosen measure) belong to: the rounds' one unit, else the viewer's top unit. */
function measureUnit(scope: UnitNode[], rounds: ClosedPulse[][]): UnitNode {
  const unitIds = new Set(rounds.flat().map((p) => p.unitId));
  const only = unitIds.size === 1 ? scope.find((u) => unitIds.has(u.id)) : undefined;
  const ids = new Set(scope.map((u) => u.id));
  return only ?? scope.find((u) => !u.parentId || !ids.has(u.parentId)) ?? scope[0]!;
}

async function groupsPerRound(deps: Deps, rounds: ClosedPulse[][], groupBy: 'staffRole' | 'schoolLevel', k: number, unitIds: readonly string[]): Promise<RoundGroups[]> {
  const out: RoundGroups[] = [];
  for (const round of rounds) {
    const items = round[0]!.content.items;
    // The same publication as the results views, so a reason on the card is a figure the leader could see there.
    const { publication } = await publicationOf(deps, round, k, unitIds);
    out.push({ round, items, groups: publication.groups[groupBy], all: publication.groups.all[0] ?? hidden('all') });
  }
  return out;
}

const combined = (parts: RoundGroups[], key: string) => combineGroupResults(key, parts.map((p) => (key === 'all' ? p.all : (p.groups.find((g) => g.key === key) ?? hidden(key)))));

/**
 * Suggested measures for one staff group (or everyone) in the actor's units,
 * from the latest round of every template in the last year: needs from the
 * theme and pupil-group pulses, barriers from the barrier pulses, each through
 * the anonymity rule of its own round. A group under k gets suggestions for
 * the whole staff instead, said so on the card. Audited.
 */
export async function suggestionsFor(deps: Deps, actor: Actor, query: SuggestionQuery): Promise<SuggestionsOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  const scope = unitsInScope(units, actor.roles, RESULTS_VIEWER_ROLES);
  if (scope.length === 0) return { kind: 'notAllowed' };
  const since = new Date(deps.clock().getTime() - LOOKBACK_DAYS * 86_400_000);
  const rounds = await deps.results.latestRoundPerTemplate(scope.map((u) => u.id), since);
  if (rounds.length === 0) return { kind: 'noResults' };
  const k = actor.tenant.minGroupSize;
  const byLevel = query.level !== null && query.role === null;
  const parts = await groupsPerRound(deps, rounds, byLevel ? 'schoolLevel' : 'staffRole', k, scope.map((u) => u.id));
  const items = parts.flatMap((p) => p.items);
  const catalogue = await deps.catalogue.forTenant(actor.tenant.id);
  const asked = query.role ?? query.level ?? 'all';
  const schoolLevel = query.level;
  let match = matchMeasures(combined(parts, asked), asked, catalogue, items, { schoolLevel });
  const wholeStaffInstead = match.status === 'group_hidden' && asked !== 'all';
  if (wholeStaffInstead) match = matchMeasures(combined(parts, 'all'), 'all', catalogue, items, { schoolLevel });
  const roleKeys = asked === 'all' ? STAFF_ROLES.filter((r) => parts.some((p) => p.groups.some((g) => g.key === r))) : [];
  const perGroup = roleKeys.map((key) => ({ key, top: matchMeasures(combined(parts, key), key, catalogue, items, { limit: 1 }).suggestions[0] ?? null }));
  const unit = measureUnit(scope, rounds);
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'measures.suggested', target: unit.id, details: { group: asked, rounds: rounds.length, status: match.status } });
  return {
    kind: 'ok',
    view: {
      unitId: unit.id,
      unitName: unit.name,
      groupKey: wholeStaffInstead ? 'all' : asked,
      wholeStaffInstead,
      k,
      basedOn: rounds.map((r) => ({ title: r[0]!.content.title[actor.lang], closedAt: r[0]!.closesAt })),
      items,
      match,
      perGroup,
    },
  };
}

export type ChooseInput = { catalogueId: string; groupKey: string; unitId: string; startsOn: Date; evaluateAfterMonths: number };
export type ChooseOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'stale' }
  | { kind: 'created' | 'exists'; measure: MeasureRecord; title: string; unitName: string };

const addMonths = (d: Date, months: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));

/**
 * Turns a suggestion into a measure (tiltak) for the unit and group. The
 * suggestion is computed again from today's data, never taken from the card,
 * so a forged or stale card cannot store reasons the data do not support; the
 * measure keeps the themes and items it should move, for the evaluation.
 */
export async function chooseMeasure(deps: Deps, actor: Actor, input: ChooseInput): Promise<ChooseOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  if (!canViewResults(actor, units, input.unitId)) return { kind: 'notAllowed' };
  const role = (STAFF_ROLES as readonly string[]).includes(input.groupKey) ? (input.groupKey as StaffRole) : null;
  const level = (SCHOOL_LEVELS as readonly string[]).includes(input.groupKey) ? (input.groupKey as SchoolLevel) : null;
  const outcome = await suggestionsFor(deps, actor, { role, level });
  if (outcome.kind !== 'ok') return outcome.kind === 'notAllowed' ? outcome : { kind: 'stale' };
  const { view } = outcome;
  const suggestion = view.match.suggestions.find((s) => s.measure.id === input.catalogueId);
  if (!suggestion || view.unitId !== input.unitId || view.groupKey !== input.groupKey) return { kind: 'stale' };
  const needs = suggestion.reasons.filter((r): r is NeedReason => r.kind === 'need');
  const themeIds = needs.flatMap((n) => (n.source === 'theme' ? [n.themeId] : []));
  const itemIds = needs.flatMap((n) => (n.source === 'pupilGroup' ? [n.itemId] : []));
  // The "before" round for the evaluation: the round that asked about the measure's first need.
  const base = (await baseRounds(deps, actor, units)).find((r) => r[0]!.content.items.some((i) => (i.themeId && themeIds.includes(i.themeId)) || itemIds.includes(i.id)));
  const { measure, created } = await deps.measures.create({
    tenantId: actor.tenant.id,
    unitId: input.unitId,
    staffRole: role,
    catalogueId: suggestion.measure.id,
    // Local measures are not versioned with the shipped file: 'local' says where the entry came from.
    catalogueVersion: loadCatalogue().entries.some((e) => e.id === suggestion.measure.id) ? loadCatalogue().version : 'local',
    reasons: suggestion.reasons,
    themeIds,
    itemIds,
    basePulseId: base?.[0]?.id ?? null,
    startsOn: input.startsOn,
    evaluateOn: addMonths(input.startsOn, input.evaluateAfterMonths),
    createdById: actor.person.id,
  });
  if (created) await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'measure.created', target: measure.id, details: { catalogueId: measure.catalogueId, group: input.groupKey, unitId: input.unitId } });
  return { kind: created ? 'created' : 'exists', measure, title: suggestion.measure.name[actor.lang], unitName: view.unitName };
}

/** The rounds the suggestion was computed from, across the viewer's whole scope. */
async function baseRounds(deps: Deps, actor: Actor, units: UnitNode[]): Promise<ClosedPulse[][]> {
  const scope = unitsInScope(units, actor.roles, RESULTS_VIEWER_ROLES);
  return deps.results.latestRoundPerTemplate(scope.map((u) => u.id), new Date(deps.clock().getTime() - LOOKBACK_DAYS * 86_400_000));
}
