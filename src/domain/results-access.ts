/**
 * Who may see a pulse's results, and how much, pure.
 *
 * - `full`: leaders see their own units and the units below; coordinators
 *   the units they coordinate and below. They get every leader view
 *   (groups, barriers, trend, comments, export) and may share the summary.
 * - `shared`: once a leader or coordinator has shared a pulse's summary,
 *   the staff of the pulse's unit — members of that unit or of a unit below
 *   it, and the people the pulse was sent to — see the anonymous all-staff
 *   summary with each staff group's top need, nothing more.
 * - `none`: everyone else, and any pulse in a unit the tenant does not have.
 *
 * Admin is a technical role (it hands out roles): on its own it adds
 * nothing. An admin sees results through a leader or coordinator role they
 * also hold, or — like any colleague — a shared summary of their own unit.
 */
import type { AppRole } from './commands.ts';
import { subtreeOf, unitsInScope, type RoleGrant, type UnitNode } from './unit-scope.ts';

export const RESULTS_VIEWER_ROLES: readonly AppRole[] = ['leader', 'coordinator'];

export type ResultsAccess = 'full' | 'shared' | 'none';

export type ResultsViewer = {
  roles: readonly RoleGrant[];
  /** Units the person is a member of (the tenant root counts for everyone in the tenant, as in directory.peopleIn). */
  memberOf?: readonly string[];
  /** Pulses the person was sent (was a recipient of). */
  recipientOf?: readonly string[];
};

export type PulseForAccess = { id: string; unitId: string; sharedWithStaffAt: Date | null };

/**
 * A checker for one viewer over one unit tree: the scope is worked out once,
 * so a county's round of hundreds of pulses is checked in linear time.
 */
export function resultsAccessChecker(viewer: ResultsViewer, units: readonly UnitNode[]): (pulse: PulseForAccess) => ResultsAccess {
  const known = new Set(units.map((u) => u.id));
  const full = new Set(unitsInScope(units, viewer.roles, RESULTS_VIEWER_ROLES).map((u) => u.id));
  const recipientOf = new Set(viewer.recipientOf ?? []);
  const memberOf = viewer.memberOf ?? [];
  return (pulse) => {
    if (!known.has(pulse.unitId)) return 'none';
    if (full.has(pulse.unitId)) return 'full';
    if (!pulse.sharedWithStaffAt) return 'none';
    if (recipientOf.has(pulse.id)) return 'shared';
    const below = subtreeOf(units, pulse.unitId);
    return memberOf.some((id) => below.has(id)) ? 'shared' : 'none';
  };
}

/**
 * The one authorisation decision for results.
 *
 * @example resultsAccess({ roles: [{ unitId: 'school-a', role: 'leader' }] }, units, { id: 'p', unitId: 'team-5a', sharedWithStaffAt: null }) // → 'full'
 * @example resultsAccess({ roles: [], memberOf: ['team-5a'] }, units, { id: 'p', unitId: 'school-a', sharedWithStaffAt: new Date() }) // → 'shared'
 */
export function resultsAccess(viewer: ResultsViewer, units: readonly UnitNode[], pulse: PulseForAccess): ResultsAccess {
  return resultsAccessChecker(viewer, units)(pulse);
}

/** Sharing a summary with staff takes full access to every pulse of the round. */
export function canShareResults(viewer: ResultsViewer, units: readonly UnitNode[], pulses: readonly PulseForAccess[]): boolean {
  const access = resultsAccessChecker(viewer, units);
  return pulses.length > 0 && pulses.every((p) => access(p) === 'full');
}

/**
 * Full (leader) access to a unit's results: what the leader views, export
 * and the summary at close require.
 *
 * @example canViewResults({ roles: [{ unitId: 'school-a', role: 'leader' }] }, units, 'team-5a') // → true (team 5A is in school A)
 */
export function canViewResults(viewer: { roles: readonly RoleGrant[] }, units: readonly UnitNode[], unitId: string): boolean {
  return resultsAccess({ roles: viewer.roles }, units, { id: '', unitId, sharedWithStaffAt: null }) === 'full';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** More pulses than any round holds (a county's schools): a card asking for more is not ours. */
export const MAX_ROUND_PULSES = 2000;

/**
 * The pulse ids a share button carries ("id,id,…", or a list), distinct and
 * lower-case; null when the value is missing, too long or holds anything
 * that is not a pulse id (a forged or damaged card).
 */
export function parsePulseIds(raw: unknown): string[] | null {
  const parts = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : null;
  if (!parts || parts.length === 0 || parts.length > MAX_ROUND_PULSES) return null;
  const ids = new Set<string>();
  for (const p of parts) {
    if (typeof p !== 'string' || !UUID.test(p.trim())) return null;
    ids.add(p.trim().toLowerCase());
  }
  return [...ids];
}

/**
 * The units whose shared pulses a member of `memberOf` may see: those units
 * and every unit above them (a school's shared pulse is for its teams too).
 */
export function unitsAboveMembers(units: readonly UnitNode[], memberOf: readonly string[]): Set<string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Set<string>();
  for (const id of memberOf) {
    for (let u = byId.get(id); u && !out.has(u.id); u = u.parentId ? byId.get(u.parentId) : undefined) out.add(u.id);
  }
  return out;
}
