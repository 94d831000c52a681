/**
 * Response rate per group (unit, staff role) with the anonymity rules, pure.
 *
 * Counts only — never who answered — and even counts are withheld for small
 * groups: a group with fewer recipients than the tenant's k (minGroupSize)
 * is shown as «færre enn k». Because the total is shown, one hidden group
 * could be worked out by subtracting the visible groups from it; so when the
 * hidden groups together are still fewer than k (always the case when
 * exactly one is hidden), the smallest visible group is hidden too, and so on
 * until the hidden ones together are at least k or none are left. With
 * units and roles at once (the status view), the same is decided for both
 * breakdowns together by disclosure.ts (`responseBreakdowns`).
 */
import { protectCells, type DisclosureCell } from './disclosure.ts';
import { responseRate } from './response-rate.ts';
import { subtreeOf, type UnitNode } from './unit-scope.ts';

export type GroupCount = { key: string; recipients: number; answered: number };

export type GroupRate =
  | { key: string; shown: true; recipients: number; answered: number; rate: number }
  | { key: string; shown: false; reason: 'small' | 'derivable' };

export type Breakdown = { total: GroupRate; groups: GroupRate[] };

/** One group on its own: shown only with at least k recipients. */
export function groupRate(g: GroupCount, k: number): GroupRate {
  if (g.recipients < k) return { key: g.key, shown: false, reason: 'small' };
  return { key: g.key, shown: true, recipients: g.recipients, answered: g.answered, rate: responseRate(g.answered, g.recipients) };
}

/**
 * The total and each group's rate, in the order given. `groups` must
 * partition the recipients (each person in exactly one group), or the
 * subtraction argument above does not hold. Empty groups are left out.
 *
 * @example responseBreakdown([{ key: 'teacher', recipients: 12, answered: 9 }, { key: 'other', recipients: 2, answered: 1 }], 5)
 *   // teacher hidden too: 14 − 12 would give away «other»
 */
export function responseBreakdown(groups: readonly GroupCount[], k: number): Breakdown {
  // The rule of responseBreakdowns with one breakdown: each group as people.
  const people = groups.flatMap((g) => Array.from({ length: g.recipients }, (_, at) => ({ unit: OTHER_UNIT, role: g.key, answered: at < g.answered })));
  const shown = responseBreakdowns(people, { units: [], roles: groups.map((g) => g.key) }, k, false);
  return { total: shown.total, groups: shown.byRole };
}

/** One recipient as the status view counts them: the child unit and staff role they count under, and whether they answered. */
export type Recipient = { unit: string; role: string; answered: boolean };

/**
 * The total, per child unit and per staff role at once, under one rule
 * (disclosure.ts): no set of 1..k−1 recipients — and so whether they
 * answered — can be worked out by adding and subtracting any of the shown
 * counts, across both breakdowns. `byUnit: false` leaves the unit breakdown
 * out (a pulse to one group). Orders as given.
 *
 * @example responseBreakdowns(recipients, { units: ['a', 'b'], roles: STAFF_ROLES }, 5)
 */
export function responseBreakdowns(recipients: readonly Recipient[], order: { units: readonly string[]; roles: readonly string[] }, k: number, byUnit = true): { total: GroupRate; byUnit: GroupRate[]; byRole: GroupRate[] } {
  const atomKeys = [...new Set(recipients.map((r) => `${r.unit}|${r.role}`))].sort();
  const index = new Map(atomKeys.map((key, at) => [key, at]));
  const weights = atomKeys.map(() => 0);
  for (const r of recipients) weights[index.get(`${r.unit}|${r.role}`)!]! += 1;
  const count = (pick: (r: Recipient) => boolean, key: string): GroupCount => ({ key, recipients: recipients.filter(pick).length, answered: recipients.filter((r) => pick(r) && r.answered).length });
  const units = order.units.map((u) => count((r) => r.unit === u, u)).filter((g) => g.recipients > 0);
  const roles = order.roles.map((role) => count((r) => r.role === role, role)).filter((g) => g.recipients > 0);
  const atomsOf = (pick: (key: string) => boolean) => atomKeys.flatMap((key, at) => (pick(key) ? [at] : []));
  const cells: DisclosureCell[] = [
    { id: 'total', atoms: atomsOf(() => true), keep: true },
    ...(byUnit ? units.map((g) => ({ id: `unit:${g.key}`, atoms: atomsOf((key) => key.split('|')[0] === g.key) })) : []),
    ...roles.map((g) => ({ id: `role:${g.key}`, atoms: atomsOf((key) => key.split('|')[1] === g.key) })),
  ];
  const hidden = protectCells(weights, cells, k);
  const rate = (g: GroupCount, id: string): GroupRate => {
    const reason = hidden.get(id);
    return reason ? { key: g.key, shown: false, reason } : groupRate(g, k);
  };
  const total = count(() => true, 'total');
  return { total: rate(total, 'total'), byUnit: byUnit ? units.map((g) => rate(g, `unit:${g.key}`)) : [], byRole: roles.map((g) => rate(g, `role:${g.key}`)) };
}

/** The key for recipients who are in none of the child units. */
export const OTHER_UNIT = 'other';

/**
 * Which child unit of `unitId` each person counts under, so "per unit" is a
 * partition: the first child (in the order of `units`) whose subtree holds
 * one of the person's memberships, else OTHER_UNIT. A person in two teams
 * is counted once. Built once per pulse, then applied to each person.
 *
 * @example childUnitOf(units, schoolId)(['team-5a']) // → the id of the child holding team 5A
 */
export function childUnitOf(units: readonly UnitNode[], unitId: string): (membershipUnitIds: readonly string[]) => string {
  const children = units.filter((u) => u.parentId === unitId);
  const owner = new Map<string, number>();
  children.forEach((child, i) => {
    for (const id of subtreeOf(units, child.id)) if (!owner.has(id)) owner.set(id, i);
  });
  return (membershipUnitIds) => {
    const first = Math.min(...membershipUnitIds.map((id) => owner.get(id) ?? Infinity));
    return Number.isFinite(first) ? children[first]!.id : OTHER_UNIT;
  };
}
