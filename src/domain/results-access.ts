/**
 * Who may see a unit's results, pure.
 *
 * Leaders see their own units and the units below; coordinators the units
 * they coordinate and below. Staff see nothing here (summaries published to
 * staff come later), and admin is a technical role: an admin sees results
 * only through a leader or coordinator role they also hold.
 */
import type { AppRole } from './commands.ts';
import { unitsInScope, type RoleGrant, type UnitNode } from './unit-scope.ts';

export const RESULTS_VIEWER_ROLES: readonly AppRole[] = ['leader', 'coordinator'];

/**
 * @example canViewResults({ roles: [{ unitId: 'school-a', role: 'leader' }] }, units, 'team-5a') // → true (team 5A is in school A)
 */
export function canViewResults(viewer: { roles: readonly RoleGrant[] }, units: readonly UnitNode[], unitId: string): boolean {
  return unitsInScope(units, viewer.roles, RESULTS_VIEWER_ROLES).some((u) => u.id === unitId);
}
