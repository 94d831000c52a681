import type { AppRole } from './commands.ts';

export type UnitNode = { id: string; parentId: string | null; kind: 'organisation' | 'county' | 'municipality' | 'school' | 'team'; name: string; teamsTeamId?: string | null };
export type RoleGrant = { unitId: string; role: AppRole };

/** Ids of `unitId` and every unit below it. */
export function subtreeOf(units: readonly UnitNode[], unitId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const out = new Set<string>();
  const stack = [unitId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * Units a person may act on with one of `roles`: a role held on a unit covers
 * that unit and everything below it (a school leader covers the school's teams).
 */
export function unitsInScope(units: readonly UnitNode[], grants: readonly RoleGrant[], roles: readonly AppRole[]): UnitNode[] {
  const ids = new Set<string>();
  for (const g of grants) if (roles.includes(g.role)) for (const id of subtreeOf(units, g.unitId)) ids.add(id);
  return units.filter((u) => ids.has(u.id));
}

/** Leaders and coordinators may start pulses for units in their scope. */
export const PULSE_STARTER_ROLES: readonly AppRole[] = ['leader', 'coordinator'];

export function canStartPulseFor(units: readonly UnitNode[], grants: readonly RoleGrant[], unitId: string): boolean {
  return unitsInScope(units, grants, PULSE_STARTER_ROLES).some((u) => u.id === unitId);
}

/** The unit and the units above it, nearest first (a team, its school, the kommune, the root). */
export function ancestry(units: readonly UnitNode[], unitId: string): UnitNode[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: UnitNode[] = [];
  const seen = new Set<string>();
  let u = byId.get(unitId);
  while (u && !seen.has(u.id)) {
    out.push(u);
    seen.add(u.id);
    u = u.parentId ? byId.get(u.parentId) : undefined;
  }
  return out;
}

/** The school a unit belongs to (itself or its nearest school ancestor), for answer snapshots. */
export function schoolOf(units: readonly UnitNode[], unitId: string): UnitNode | null {
  return ancestry(units, unitId).find((u) => u.kind === 'school') ?? null;
}
