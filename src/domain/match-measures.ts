/**
 * Which measures from the catalogue fit one staff group's visible results,
 * pure, deterministic and explained.
 *
 * Score of a measure = coverage × roleFit × format × barriers:
 * - coverage: the group's top needs (rankNeeds: at most 5, share > 0) that the
 *   measure covers, each weighted share × n/(n + 10). The n-term trusts a 60 %
 *   from 40 answers more than a 60 % from 6 (weight .8 vs .375). A measure
 *   whose content is chosen locally (openThemes: desentralisert ordning, own
 *   development work) counts half of the single top need only: it can be built
 *   around any need but has no ready content, so a package that covers the need
 *   wins, and open formats surface when nothing else fits.
 * - roleFit: a role group only gets measures aimed at that role (1, else left
 *   out); a whole-school group ('all', unknown role, a level or a school) gets
 *   the share of all staff roles the measure is aimed at.
 * - format: collective school-based 1, network .8, course .7, individual .6,
 *   because collective learning on site is what works (seeds 000, 002, 004).
 *   Exception: unqualified teachers need a formal qualification, an individual
 *   need, so individual formats count 1 for them.
 * - barriers: for each barrier with a rule (BARRIER_RULES) that is HIGH in
 *   the group (≥ 40 % agree, 4–5), a measure that does not get round it is
 *   multiplied by (1 − share): it reaches at most those the barrier does not
 *   stop. Measures that do get round it keep 1 and get the barrier as a reason.
 *   40 %: NIFU (003) reports 41 % for leader support and 55–60 % for the three
 *   economic/staffing barriers; 40 % catches all four where NIFU calls them
 *   the main obstacles, without reacting to the ~1 in 3 of the practical ones.
 * Ties: equal rounded score → by id, so the same data always ranks the same.
 *
 * Anonymity: only visible data is read. A hidden group yields no suggestions
 * (status 'group_hidden'); the caller may then offer suggestions for the
 * whole school ('all' group, which `aggregate` only shows when ≥ k answered),
 * labelled as such. Hidden themes and items never rank (rankNeeds skips them)
 * and hidden barrier items never count as high, so nothing hidden can appear
 * in a reason or move a score.
 *
 * Reference entries (negative social control: no package exists) are never
 * scored; they come back as `pointers` when their theme is among the top needs.
 */
import { isMeasure, isReference, type Catalogue, type Measure, type MeasureFormat, type Reference } from '../catalogue/schema.ts';
import { rankNeeds, type GroupResult } from './aggregate-results.ts';
import { STAFF_ROLES, type SchoolLevel, type StaffRole } from './profile.ts';
import type { PulseItem } from './pulse-content.ts';

/** "High" barrier: at least this share (whole %) agree or strongly agree (4–5). */
export const HIGH_BARRIER_SHARE = 40;
export const TOP_NEEDS = 5;
export const DEFAULT_LIMIT = 3;
export const OPEN_THEMES_FACTOR = 0.5;
/** Half-weight at n = 10 (see the header). */
const RELIABILITY_N = 10;
/** A blocked measure keeps a little weight so the order among blocked ones still means something. */
const MIN_BARRIER_FACTOR = 0.1;
export const FORMAT_FACTOR: Readonly<Record<MeasureFormat, number>> = { collective_school_based: 1, network: 0.8, course: 0.7, individual: 0.6 };
/** Staff who lack the formal qualification for the job they do (NIFU's "lærere uten godkjenning"). */
const INDIVIDUAL_NEED_ROLES: readonly StaffRole[] = ['unqualified_teacher'];
/** Seed 003: many of these work in SFO exactly when teachers have common time. */
const SFO_TIME_ROLES: readonly string[] = ['child_youth_worker', 'school_assistant', 'sfo_leader', 'all'];

export type BarrierRuleId = 'cover' | 'leave' | 'money' | 'leader' | 'transport' | 'entry';
type BarrierRule = { rule: BarrierRuleId; barrierId: string; fits: (m: Measure) => boolean };

/** Barrier item → what a measure must be to get round it (domain.md, "what works"). */
export const BARRIER_RULES: readonly BarrierRule[] = [
  { rule: 'cover', barrierId: 'barrier-no-cover', fits: (m) => m.runs === 'in_common_time' && !m.needsSubstitute },
  { rule: 'leave', barrierId: 'barrier-no-paid-leave', fits: (m) => m.runs === 'in_common_time' },
  { rule: 'money', barrierId: 'barrier-school-no-money', fits: (m) => m.cost === 'free' },
  { rule: 'leader', barrierId: 'barrier-no-leader-support', fits: (m) => m.ledBy === 'school_leader' || m.ledBy === 'school_owner' },
  { rule: 'transport', barrierId: 'barrier-transport', fits: (m) => m.format === 'collective_school_based' },
  // School-based packages have no admission requirements; studies do.
  { rule: 'entry', barrierId: 'barrier-qualifications', fits: (m) => m.format === 'collective_school_based' },
];

export type NeedReason =
  | { kind: 'need'; source: 'theme'; themeId: string; share: number; n: number }
  | { kind: 'need'; source: 'pupilGroup'; itemId: string; pupilGroup: string; share: number; n: number };
export type BarrierReason = { kind: 'barrier'; rule: BarrierRuleId; barrierId: string; share: number; n: number; fits: boolean };
/** A barrier with a rule that ≥ HIGH_BARRIER_SHARE of the group agree with. */
export type HighBarrier = Omit<BarrierReason, 'fits'>;
export type FitReason =
  | { kind: 'fit'; aspect: 'role'; role: StaffRole }
  | { kind: 'fit'; aspect: 'whole_staff' | 'collective' | 'individual_need' | 'open_content' };
export type MeasureReason =
  | NeedReason
  | BarrierReason
  | FitReason
  | { kind: 'leaderNote'; barrierId: string; share: number; n: number }
  | { kind: 'caveat'; caveat: 'sfo_common_time' };

export type ScoreBreakdown = { coverage: number; roleFit: number; format: number; barriers: number; total: number };
export type MeasureSuggestion = {
  rank: number;
  measure: Measure;
  score: ScoreBreakdown;
  /** Why it fits, strongest first: needs, barriers it gets round, fit, leader note, caveat. */
  reasons: MeasureReason[];
  /** High barriers this measure does not get round (fits: false), for an honest card. */
  cautions: BarrierReason[];
};
export type MeasurePointer = { reference: Reference; needs: NeedReason[] };
export type MatchStatus = 'ok' | 'group_hidden' | 'no_needs';
export type MatchResult = { status: MatchStatus; groupKey: string; suggestions: MeasureSuggestion[]; pointers: MeasurePointer[]; highBarriers: HighBarrier[] };

export type MatchOptions = {
  /** How many suggestions to return (default 3). */
  limit?: number;
  /** The group's school level when known: measures limited to other levels are left out. */
  schoolLevel?: SchoolLevel | null;
};

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const weight = (r: NeedReason) => (r.share / 100) * (r.n / (r.n + RELIABILITY_N));
const isRole = (key: string): key is StaffRole => (STAFF_ROLES as readonly string[]).includes(key);

/** The group's top needs as reasons; hidden themes/items are already skipped by rankNeeds. */
function topNeeds(group: GroupResult, items: readonly PulseItem[]): NeedReason[] {
  if (group.suppressed) return [];
  return rankNeeds(group, items)
    .slice(0, TOP_NEEDS)
    .filter((r) => r.score > 0)
    .flatMap((r): NeedReason[] => {
      if (r.kind === 'theme') return [{ kind: 'need', source: 'theme', themeId: r.id, share: r.score, n: r.n }];
      const item = group.items.find((i) => i.itemId === r.id);
      return item?.pupilGroup ? [{ kind: 'need', source: 'pupilGroup', itemId: r.id, pupilGroup: item.pupilGroup, share: r.score, n: r.n }] : [];
    });
}

/** Visible barrier items with a rule and ≥ HIGH_BARRIER_SHARE agreeing, highest first. */
function highBarriers(group: GroupResult): HighBarrier[] {
  if (group.suppressed) return [];
  return BARRIER_RULES.flatMap((rule) => {
    const item = group.items.find((i) => i.itemId === rule.barrierId && i.kind === 'barrier');
    if (!item || item.suppressed || item.shareHigh < HIGH_BARRIER_SHARE) return [];
    return [{ kind: 'barrier' as const, rule: rule.rule, barrierId: rule.barrierId, share: item.shareHigh, n: item.n }];
  }).sort((a, b) => b.share - a.share || (a.barrierId < b.barrierId ? -1 : 1));
}

const covers = (entry: Measure | Reference, need: NeedReason) =>
  need.source === 'theme' ? entry.themes.includes(need.themeId) : (entry.pupilGroups as readonly string[]).includes(need.pupilGroup);

function available(m: Measure, role: StaffRole | null, level: SchoolLevel | null | undefined): boolean {
  if (m.sector !== 'school') return false;
  if (role && !m.targetRoles.includes(role)) return false;
  // A level-limited measure (hospitering: vocational only) needs a known, matching level.
  if (m.schoolLevels && !(level && (m.schoolLevels.includes(level) || level === 'kombinert'))) return false;
  return true;
}

function scoreMeasure(m: Measure, groupKey: string, needs: readonly NeedReason[], barriers: readonly HighBarrier[]): Omit<MeasureSuggestion, 'rank'> | null {
  const role = isRole(groupKey) ? groupKey : null;
  const covered = m.openThemes ? needs.slice(0, 1) : needs.filter((n) => covers(m, n));
  if (covered.length === 0) return null;
  const coverage = m.openThemes ? OPEN_THEMES_FACTOR * weight(covered[0]!) : covered.reduce((s, n) => s + weight(n), 0);

  const wholeStaff = STAFF_ROLES.every((r) => m.targetRoles.includes(r));
  const roleFit = role ? 1 : m.targetRoles.length / STAFF_ROLES.length;
  const individualNeed = role !== null && INDIVIDUAL_NEED_ROLES.includes(role);
  const format = individualNeed && m.format === 'individual' ? 1 : FORMAT_FACTOR[m.format];

  const judged = barriers.map((b): BarrierReason => ({ ...b, fits: BARRIER_RULES.find((r) => r.rule === b.rule)!.fits(m) }));
  const barrierFactor = judged.reduce((f, b) => (b.fits ? f : f * Math.max(MIN_BARRIER_FACTOR, 1 - b.share / 100)), 1);

  const fit: FitReason[] = [];
  if (role && !wholeStaff) fit.push({ kind: 'fit', aspect: 'role', role });
  if (wholeStaff) fit.push({ kind: 'fit', aspect: 'whole_staff' });
  if (m.format === 'collective_school_based') fit.push({ kind: 'fit', aspect: 'collective' });
  if (individualNeed && m.format === 'individual') fit.push({ kind: 'fit', aspect: 'individual_need' });
  if (m.openThemes) fit.push({ kind: 'fit', aspect: 'open_content' });
  const leader = judged.find((b) => b.rule === 'leader');
  const reasons: MeasureReason[] = [
    ...[...covered].sort((a, b) => weight(b) - weight(a)),
    ...judged.filter((b) => b.fits),
    ...fit,
    ...(leader ? [{ kind: 'leaderNote' as const, barrierId: leader.barrierId, share: leader.share, n: leader.n }] : []),
    ...(m.runs === 'in_common_time' && SFO_TIME_ROLES.includes(groupKey) ? [{ kind: 'caveat' as const, caveat: 'sfo_common_time' as const }] : []),
  ];
  const total = coverage * roleFit * format * barrierFactor;
  return {
    measure: m,
    score: { coverage: round4(coverage), roleFit: round4(roleFit), format, barriers: round4(barrierFactor), total: round4(total) },
    reasons,
    cautions: judged.filter((b) => !b.fits),
  };
}

/**
 * Ranked suggestions for one group, with reasons, plus pointers for needs
 * that have no package.
 *
 * @example matchMeasures(groups.find((g) => g.key === 'child_youth_worker')!, 'child_youth_worker', loadCatalogue(), content.items)
 *   // → { status: 'ok', suggestions: [{ rank: 1, measure: { id: 'udir-sfo-miljo', … }, score: { total: 0.41, … },
 *   //     reasons: [{ kind: 'need', source: 'pupilGroup', pupilGroup: 'acting_out', share: 58, n: 24 }, { kind: 'barrier', rule: 'cover', share: 61, fits: true, … }, …] }, …], pointers: [] }
 */
export function matchMeasures(group: GroupResult, groupKey: string, catalogue: Catalogue, items: readonly PulseItem[], opts: MatchOptions = {}): MatchResult {
  const empty = (status: MatchStatus): MatchResult => ({ status, groupKey, suggestions: [], pointers: [], highBarriers: [] });
  if (group.suppressed) return empty('group_hidden');
  const needs = topNeeds(group, items);
  if (needs.length === 0) return empty('no_needs');
  const barriers = highBarriers(group);
  const role = isRole(groupKey) ? groupKey : null;

  const scored = catalogue.entries
    .filter(isMeasure)
    .filter((m) => available(m, role, opts.schoolLevel))
    .flatMap((m) => scoreMeasure(m, groupKey, needs, barriers) ?? [])
    .sort((a, b) => b.score.total - a.score.total || (a.measure.id < b.measure.id ? -1 : a.measure.id > b.measure.id ? 1 : 0));
  const suggestions = scored.slice(0, opts.limit ?? DEFAULT_LIMIT).map((s, i) => ({ ...s, rank: i + 1 }));

  const pointers = catalogue.entries
    .filter(isReference)
    .map((reference) => ({ reference, needs: needs.filter((n) => covers(reference, n)) }))
    .filter((p) => p.needs.length > 0);
  return { status: 'ok', groupKey, suggestions, pointers, highBarriers: barriers };
}
