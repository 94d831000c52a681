import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppRole } from '../../src/domain/commands.ts';
import { canShareResults, canViewResults, parsePulseIds, resultsAccess, unitsAboveMembers, type ResultsAccess, type ResultsViewer } from '../../src/domain/results-access.ts';
import type { RoleGrant, UnitNode } from '../../src/domain/unit-scope.ts';

// municipality ─┬─ own school ── child team
//               └─ sibling school
// (and a unit the tenant does not have: another tenant's, or a forged id)
const units: UnitNode[] = [
  { id: 'parent', parentId: null, kind: 'municipality', name: 'Nordby kommune' },
  { id: 'own', parentId: 'parent', kind: 'school', name: 'Nordby skole' },
  { id: 'child', parentId: 'own', kind: 'team', name: '5.–7. trinn' },
  { id: 'sibling', parentId: 'parent', kind: 'school', name: 'Sørby skole' },
];
const SCOPES = { own: 'own', above: 'parent', below: 'child', sibling: 'sibling', unknown: 'elsewhere' } as const;
type Scope = keyof typeof SCOPES;
const SHARED_AT = new Date('2026-11-20T09:00:00Z');
const pulseIn = (scope: Scope, shared: boolean) => ({ id: `pulse-${scope}`, unitId: SCOPES[scope], sharedWithStaffAt: shared ? SHARED_AT : null });

describe('resultsAccess: every role × scope × shared', () => {
  // Everyone in the table works at the own school (a member of it) and holds their roles there.
  const viewer = (...roles: AppRole[]): ResultsViewer => ({ roles: roles.map((role) => ({ unitId: 'own', role })), memberOf: ['own'] });
  const STAFF_SEES: Record<Scope, [notShared: ResultsAccess, shared: ResultsAccess]> = {
    own: ['none', 'shared'],
    above: ['none', 'shared'],
    below: ['none', 'none'],
    sibling: ['none', 'none'],
    unknown: ['none', 'none'],
  };
  const LEADER_SEES: Record<Scope, [ResultsAccess, ResultsAccess]> = {
    own: ['full', 'full'],
    above: ['none', 'shared'],
    below: ['full', 'full'],
    sibling: ['none', 'none'],
    unknown: ['none', 'none'],
  };
  const table: [string, ResultsViewer, Record<Scope, [ResultsAccess, ResultsAccess]>][] = [
    ['staff', viewer('staff'), STAFF_SEES],
    ['leader', viewer('leader'), LEADER_SEES],
    ['coordinator', viewer('coordinator'), LEADER_SEES],
    // Admin is technical: it adds nothing to what the person sees as a colleague.
    ['admin', viewer('admin'), STAFF_SEES],
    ['admin + leader', viewer('admin', 'leader'), LEADER_SEES],
    ['admin + coordinator', viewer('admin', 'coordinator'), LEADER_SEES],
  ];
  const cases = table.flatMap(([who, v, expected]) =>
    (Object.keys(SCOPES) as Scope[]).flatMap((scope) => [false, true].map((shared) => [who, scope, shared ? 'shared' : 'not shared', v, expected[scope][shared ? 1 : 0]] as const)),
  );

  it('covers 6 roles × 5 scopes × 2', () => expect(cases).toHaveLength(60));

  it.each(cases)('%s, pulse in the %s unit, %s → %s', (_who, scope, shared, v, expected) => {
    expect(resultsAccess(v, units, pulseIn(scope, shared === 'shared'))).toBe(expected);
  });

  it('an admin who is no member of any unit sees nothing, shared or not', () => {
    const admin: ResultsViewer = { roles: [{ unitId: 'parent', role: 'admin' }], memberOf: [] };
    for (const scope of Object.keys(SCOPES) as Scope[]) for (const shared of [false, true]) expect(resultsAccess(admin, units, pulseIn(scope, shared))).toBe('none');
  });

  it('a recipient outside the unit sees the pulse they were sent once it is shared, and nothing else', () => {
    const visitor: ResultsViewer = { roles: [], memberOf: ['sibling'], recipientOf: ['pulse-own'] };
    expect(resultsAccess(visitor, units, pulseIn('own', false))).toBe('none');
    expect(resultsAccess(visitor, units, pulseIn('own', true))).toBe('shared');
    expect(resultsAccess(visitor, units, pulseIn('below', true))).toBe('none');
  });

  it('nobody reaches a unit the tenant does not have, not even as a recipient or a leader of the root', () => {
    const everything: ResultsViewer = { roles: [{ unitId: 'parent', role: 'coordinator' }], memberOf: ['parent', 'own', 'child', 'sibling'], recipientOf: ['pulse-unknown'] };
    expect(resultsAccess(everything, units, pulseIn('unknown', true))).toBe('none');
  });

  it('someone with no roles and no units sees nothing', () => {
    for (const scope of Object.keys(SCOPES) as Scope[]) expect(resultsAccess({ roles: [] }, units, pulseIn(scope, true))).toBe('none');
  });

  it('only full access to every pulse of a round allows sharing it', () => {
    const leader = { roles: [{ unitId: 'own', role: 'leader' as const }], memberOf: ['own'] };
    expect(canShareResults(leader, units, [pulseIn('own', false), pulseIn('below', false)])).toBe(true);
    expect(canShareResults(leader, units, [pulseIn('own', false), pulseIn('sibling', false)])).toBe(false);
    expect(canShareResults(leader, units, [pulseIn('above', true)])).toBe(false);
    expect(canShareResults(leader, units, [])).toBe(false);
    expect(canShareResults({ roles: [{ unitId: 'own', role: 'staff' }], memberOf: ['own'] }, units, [pulseIn('own', true)])).toBe(false);
    expect(canShareResults({ roles: [{ unitId: 'parent', role: 'admin' }] }, units, [pulseIn('own', false)])).toBe(false);
  });

  it('on random trees: full exactly when canViewResults; shared only when shared and the viewer is in the unit or got the pulse', () => {
    const tree = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.record({
        parents: fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(fc.nat({ max: i - 1 }), { freq: 5 })))),
        grants: fc.array(fc.record({ unit: fc.nat({ max: n - 1 }), role: fc.constantFrom<AppRole[]>('staff', 'leader', 'coordinator', 'admin') }), { maxLength: 4 }),
        members: fc.array(fc.nat({ max: n - 1 }), { maxLength: 3 }),
        pulseUnit: fc.nat({ max: n }),
        shared: fc.boolean(),
        recipient: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(tree, ({ parents, grants, members, pulseUnit, shared, recipient }) => {
        const nodes: UnitNode[] = parents.map((p, i) => ({ id: `u${i}`, parentId: p === null ? null : `u${p}`, kind: 'team', name: `u${i}` }));
        const roles: RoleGrant[] = grants.map((g) => ({ unitId: `u${g.unit}`, role: g.role }));
        const pulse = { id: 'p', unitId: `u${pulseUnit}`, sharedWithStaffAt: shared ? SHARED_AT : null }; // u{n} is unknown
        const access = resultsAccess({ roles, memberOf: members.map((m) => `u${m}`), recipientOf: recipient ? ['p'] : [] }, nodes, pulse);
        const above = (i: number): number[] => (parents[i] === null || parents[i] === undefined ? [i] : [i, ...above(parents[i]!)]);
        const known = pulseUnit < parents.length;
        expect(access === 'full').toBe(canViewResults({ roles }, nodes, pulse.unitId));
        if (access !== 'full') {
          const inUnit = known && members.some((m) => above(m).includes(pulseUnit));
          expect(access).toBe(known && shared && (recipient || inUnit) ? 'shared' : 'none');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('unitsAboveMembers', () => {
  it('is the member units and every unit above them, never below or beside', () => {
    expect([...unitsAboveMembers(units, ['own'])].sort()).toEqual(['own', 'parent']);
    expect([...unitsAboveMembers(units, ['child', 'sibling'])].sort()).toEqual(['child', 'own', 'parent', 'sibling']);
    expect([...unitsAboveMembers(units, ['elsewhere'])]).toEqual([]);
  });
});

describe('parsePulseIds (what a share button carries)', () => {
  const a = '5b1f3c2a-8d4e-4f6a-9b7c-1a2b3c4d5e6f';
  const b = '7C2E4D3B-9E5F-4A7B-8C8D-2B3C4D5E6F70';
  it('accepts a comma list or an array of pulse ids, distinct and lower-case', () => {
    expect(parsePulseIds(`${a},${b},${a}`)).toEqual([a, b.toLowerCase()]);
    expect(parsePulseIds([a])).toEqual([a]);
  });
  it('refuses anything else', () => {
    for (const bad of [undefined, null, '', 42, {}, [], `${a},x`, `${a};DROP TABLE`, [a, 7], Array.from({ length: 2001 }, () => a)]) expect(parsePulseIds(bad)).toBeNull();
  });
});
