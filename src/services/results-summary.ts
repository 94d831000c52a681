import type { Actor } from './actor.ts';
import { latestRoundInScope, roundUnitName } from './results-scope.ts';
import { publicationOf } from './round-publication.ts';
import type { Deps } from '../deps.ts';
import { rankBarriers, rankNeeds, type BarrierRank, type GroupResult, type NeedRank, type BarrierSummary } from '../domain/aggregate-results.ts';
import type { ResultsQuery } from '../domain/results-query.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import { sharingRepository, type SharablePulse } from '../db/sharing-repository.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import { canShareResults, RESULTS_VIEWER_ROLES, resultsAccessChecker, unitsAboveMembers } from '../domain/results-access.ts';
import type { UnitNode } from '../domain/unit-scope.ts';

/** One staff group's line: its respondents and top need, or why it is hidden. */
export type GroupLine = { key: string; respondents: number | null; top: NeedRank | null; topBarrier: BarrierRank | null; hidden?: 'small' | 'derivable' };

/** Who the view is for: a leader or coordinator (full access), or staff seeing a summary a leader shared. */
export type ResultsAudience = 'leader' | 'staff';

/** Whether the round is shared with staff, and whether this viewer may share it. */
export type ShareState = { pulseIds: string[]; canShare: boolean; sharedAt: Date | null };

export type ResultsView = {
  pulseTitle: string;
  templateId: string;
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
  /** 'leader' when absent. */
  audience?: ResultsAudience;
  sharing?: ShareState;
  /** For a leader: the latest round of each template in the last year, to choose another on the card. */
  rounds?: { templateId: string; title: string }[];
};

export type ResultsOutcome = { kind: 'notAllowed' } | { kind: 'noResults' } | { kind: 'ok'; view: ResultsView };

/** What a shared summary shows: all staff, with each staff group's top need — never one group or level on its own. */
export const SHARED_QUERY: ResultsQuery = { focus: 'summary', role: null, level: null };

/**
 * The leader's summary of the latest closed pulse in their scope: the
 * target group's top needs and barriers, and each staff group's top need,
 * all through the anonymity rules of aggregate-results. Every view is audited.
 */
export async function resultsFor(deps: Deps, actor: Actor, query: ResultsQuery): Promise<ResultsOutcome> {
  // «hindringer» asks for barriers: the latest round that asked about them, not a later needs pulse.
  const found = await latestRoundInScope(deps, actor, query.templateId, query.focus === 'barriers' ? hasBarriers : undefined);
  if (found.kind !== 'ok') return found;
  const view = await summaryOf(deps, actor, found.round, roundUnitName(found), query, 'results.viewed', { units: found.units, unitIds: found.scope.map((u) => u.id) });
  return { kind: 'ok', view: { ...view, rounds: await roundsToChoose(deps, actor, found.scope) } };
}

const hasBarriers = (round: ClosedPulse[]) => round[0]!.content.items.some((i) => i.kind === 'barrier');

/** Rounds older than this are not offered on the card (they are still in trend and export). */
const CHOICE_DAYS = 365;

/** The latest round of each template in the scope in the last year, newest first: what the card lets a leader choose. */
export async function roundsToChoose(deps: Deps, actor: Actor, scope: readonly UnitNode[]): Promise<{ templateId: string; title: string }[]> {
  const since = new Date(deps.clock().getTime() - CHOICE_DAYS * 86_400_000);
  const rounds = await deps.results.latestRoundPerTemplate(scope.map((u) => u.id), since);
  return rounds.map((r) => ({ templateId: r[0]!.templateId, title: r[0]!.content.title[actor.lang] }));
}

export type ViewerResultsOutcome = ResultsOutcome | { kind: 'nothingShared' } | { kind: 'personalOnly' };

/**
 * «resultater» for anyone: leaders and coordinators get their leader view;
 * everyone else (and a leader with nothing in their own scope) the latest
 * round a leader shared with their unit — only in a personal chat.
 */
export async function resultsForViewer(deps: Deps, actor: Actor, query: ResultsQuery, where: { personalChat: boolean } = { personalChat: true }): Promise<ViewerResultsOutcome> {
  const leader = actor.roles.some((r) => RESULTS_VIEWER_ROLES.includes(r.role));
  if (leader) {
    const outcome = await resultsFor(deps, actor, query);
    if (outcome.kind === 'ok') return outcome;
  }
  if (!where.personalChat) return leader ? { kind: 'noResults' } : { kind: 'personalOnly' };
  const shared = await sharedResultsFor(deps, actor);
  if (shared.kind === 'ok') return shared;
  return leader ? { kind: 'noResults' } : { kind: 'nothingShared' };
}

/**
 * The latest round shared with the actor's own units: pulses in a unit they
 * belong to or a unit above it, or that were sent to them, and that a
 * leader shared — each checked by `resultsAccess` — for the unit of the
 * latest one. Shown as the all-staff summary with each group's top need,
 * through the same anonymity rules.
 */
export async function sharedResultsFor(deps: Deps, actor: Actor): Promise<{ kind: 'nothingShared' } | { kind: 'ok'; view: ResultsView }> {
  const units = await deps.directory.units(actor.tenant.id);
  // The tenant root stands for everyone in the tenant (as in directory.peopleIn).
  const memberOf = [...(await deps.directory.membershipUnitIds(actor.person.id)), actor.tenant.rootUnitId];
  const repo = sharingRepository(deps.db.prisma);
  const candidates = await repo.sharedFor(actor.tenant.id, [...unitsAboveMembers(units, memberOf)], actor.person.id);
  const recipientOf = await repo.recipientOf(actor.person.id, candidates.map((p) => p.id));
  const access = resultsAccessChecker({ roles: actor.roles, memberOf, recipientOf }, units);
  const visible = candidates.filter((p) => access(p) !== 'none');
  const latest = visible[0];
  if (!latest) return { kind: 'nothingShared' };
  // One unit's round only: someone in two schools never gets the two added up,
  // a combination nobody else sees that could be compared with each school's own.
  // One pulse per unit makes a round (results-repository.ts): here the unit's latest.
  const round = visible.filter((p) => p.id === latest.id);
  const unitName = units.find((u) => u.id === latest.unitId)?.name ?? '';
  return { kind: 'ok', view: await summaryOf(deps, actor, round, unitName, SHARED_QUERY, 'results.viewed', { audience: 'staff', units, shared: round, unitIds: [latest.unitId] }) };
}

export type SummaryOptions = {
  /** 'staff': the shared view (all staff + each group's top need only), audited as such. */
  audience?: ResultsAudience;
  /** The tenant's units, when the caller already has them. */
  units?: readonly UnitNode[];
  /** The round's pulses with their share state, when the caller already has them. */
  shared?: readonly SharablePulse[];
  /** The viewer's units, where the round before is looked for (default: the round's own units). */
  unitIds?: readonly string[];
};

/**
 * The summary of a given round (pulses of one template, newest first) for an
 * actor whose right to see it the caller has checked. Audited as `action`
 * (a view, or a summary the bot sent at close). A leader's view says whether
 * the round is shared with staff and whether this leader may share it.
 */
export async function summaryOf(
  deps: Deps,
  actor: Actor,
  round: readonly ClosedPulse[],
  unitName: string,
  query: ResultsQuery,
  action = 'results.viewed',
  options: SummaryOptions = {},
): Promise<ResultsView> {
  const audience = options.audience ?? 'leader';
  if (audience === 'staff') query = SHARED_QUERY;
  const pulse = round[0]!;
  const k = actor.tenant.minGroupSize;
  const pulseIds = round.map((p) => p.id);
  const items = pulse.content.items;
  // One publication for the whole round: every breakdown, checked together and
  // against the round before, so views of it can't be subtracted from each other.
  const { publication } = await publicationOf(deps, round, k, options.unitIds ?? round.map((p) => p.unitId));
  const byRoleGroups = publication.groups.staffRole;
  const pick = (groups: GroupResult[], key: string): GroupResult => groups.find((g) => g.key === key) ?? { key, suppressed: true, reason: 'small', respondents: null, items: [], themes: [] };
  const target = query.role ? pick(byRoleGroups, query.role) : query.level ? pick(publication.groups.schoolLevel, query.level) : pick(publication.groups.all, 'all');
  const sharing = await shareStateOf(deps, actor, pulseIds, audience, options);
  await deps.audit.record({
    tenantId: actor.tenant.id,
    actorId: actor.person.id,
    action,
    target: pulse.id,
    details: { pulses: round.length, group: query.role ?? query.level ?? 'all', focus: query.focus, view: audience === 'staff' ? 'shared' : 'full' },
  });
  return {
    pulseTitle: pulse.content.title[actor.lang],
    templateId: pulse.templateId,
    unitName,
    closedAt: pulse.closesAt,
    k,
    query,
    items,
    target,
    needs: rankNeeds(target, items, actor.lang),
    barriers: rankBarriers(target),
    byRole: byRoleGroups.map((g) => ({ key: g.key, respondents: g.suppressed ? null : g.respondents, top: rankNeeds(g, items, actor.lang)[0] ?? null, topBarrier: rankBarriers(g).items[0] ?? null, ...(g.suppressed ? { hidden: g.reason } : {}) })),
    audience,
    sharing,
  };
}

/** Shared when every pulse of the round is (the latest date); shareable only with full access to all of them. */
async function shareStateOf(deps: Deps, actor: Actor, pulseIds: string[], audience: ResultsAudience, options: SummaryOptions): Promise<ShareState> {
  const rows = options.shared ?? (await sharingRepository(deps.db.prisma).closedPulses(actor.tenant.id, pulseIds));
  const dates = rows.map((p) => p.sharedWithStaffAt);
  const sharedAt = rows.length === pulseIds.length && dates.every((d) => d !== null) ? new Date(Math.max(...dates.map((d) => d!.getTime()))) : null;
  if (audience === 'staff') return { pulseIds, canShare: false, sharedAt };
  const units = options.units ?? (await deps.directory.units(actor.tenant.id));
  const canShare = rows.length === pulseIds.length && canShareResults({ roles: actor.roles }, units, rows);
  return { pulseIds, canShare, sharedAt };
}
