import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, type AnswerRow, type Breakdown, type GroupResult } from '../../src/domain/aggregate-results.ts';
import type { AppRole } from '../../src/domain/commands.ts';
import { SCHOOL_LEVELS } from '../../src/domain/profile.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { canViewResults } from '../../src/domain/results-access.ts';
import type { RoleGrant, UnitNode } from '../../src/domain/unit-scope.ts';
import { makeItem } from '../helpers/pulse-items.ts';

/** Runs per property; each run checks all four breakdowns. */
const RUNS = 500;

const item = makeItem;
const ITEMS: PulseItem[] = [
  item('competence-t', 'competence', { themeId: 't' }),
  item('importance-t', 'importance', { themeId: 't' }),
  item('need-acting-out', 'need', { pupilGroup: 'acting_out' }),
  item('need-bullied', 'need', { pupilGroup: 'bullied' }),
  item('barrier-no-cover', 'barrier', { barrierCategory: 'facilitation' }),
  item('comment', 'comment', { scale: null }),
];
const SCALE_IDS = ITEMS.filter((i) => i.scale !== null).map((i) => i.id);
const GROUP_BYS: Breakdown[] = ['all', 'staffRole', 'schoolLevel', 'school'];

/** An answer: 1–5, a skip (null) or no row at all; optional items are skipped often. */
const answer = (optional: boolean) =>
  fc.oneof(
    { weight: optional ? 3 : 12, arbitrary: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<number | null | 'none'> },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: optional ? 3 : 1, arbitrary: fc.constant('none' as const) },
  );
const attributes = {
  level: fc.constantFrom<(string | null)[]>(...SCHOOL_LEVELS, null),
  school: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<(string | null)[]>('s1', 's2', 's3') }, { weight: 1, arbitrary: fc.constantFrom<(string | null)[]>('tiny', null) }),
  answers: fc.tuple(...ITEMS.map((i) => answer(!i.required))),
};
const common = fc.record({ role: fc.constantFrom<(string | null)[]>('teacher', 'child_youth_worker', 'school_assistant'), ...attributes });
/** Rare roles (and unknown ones) come in groups of 1–4 people, like the one SFO leader of a school. */
const rare = fc
  .record({ role: fc.constantFrom<(string | null)[]>('leader', 'unqualified_teacher', 'sfo_leader', 'special_support', 'other', null, 'rektor'), people: fc.array(fc.record(attributes), { minLength: 1, maxLength: 4 }) })
  .map((g) => g.people.map((p) => ({ ...p, role: g.role })));

const roster = fc
  .tuple(fc.array(common, { maxLength: 50 }), fc.array(rare, { maxLength: 4 }))
  .map(([a, b]) => [...a, ...b.flat()].slice(0, 60))
  .filter((people) => people.length >= 1)
  .map((people) =>
    people.flatMap((p, n): AnswerRow[] =>
      ITEMS.flatMap((it, i) => {
        const value = p.answers[i];
        return value === 'none' ? [] : [{ personKey: `pk-${n}`, itemId: it.id, value: value ?? null, staffRole: p.role, schoolLevel: p.level, schoolId: p.school }];
      }),
    ),
  );
const k = fc.integer({ min: 3, max: 7 });

const visible = (groups: GroupResult[]) => groups.flatMap((g) => (g.suppressed ? [] : [g]));
const itemN = (g: GroupResult, id: string) => {
  const i = g.items.find((x) => x.itemId === id);
  return i && !i.suppressed ? i.n : 0;
};
const themeN = (g: GroupResult, id: string) => {
  const t = g.themes.find((x) => x.themeId === id);
  return t && !t.suppressed ? t.n : 0;
};
/** The group a generated row belongs to (the generator gives each person the same attributes on every row). */
const ROLES = ['teacher', 'leader', 'child_youth_worker', 'school_assistant', 'unqualified_teacher', 'sfo_leader', 'special_support', 'other'];
const oracleKey = (by: Breakdown, r: AnswerRow) =>
  by === 'all' ? 'all' : by === 'staffRole' ? (ROLES.includes(r.staffRole ?? '') ? r.staffRole! : 'unknown') : by === 'schoolLevel' ? (r.schoolLevel ?? 'unknown') : (r.schoolId ?? 'unknown');
/** What subtraction reveals: fine when it is nothing (0) or at least k. */
const safe = (hidden: number, kk: number) => hidden === 0 || hidden >= kk;

describe('anonymity properties (random rosters, k 3–7, every breakdown)', () => {
  it('(a) no visible group, item or theme rests on 1..k−1 people; what is shown matches the roster', () => {
    fc.assert(
      fc.property(roster, k, (rows, kk) => {
        for (const by of GROUP_BYS) {
          const groups = aggregate(rows, ITEMS, by, kk);
          for (const g of visible(groups)) {
            expect(g.respondents).toBeGreaterThanOrEqual(kk);
            for (const i of g.items) if (!i.suppressed) expect(i.n).toBeGreaterThanOrEqual(kk);
            for (const t of g.themes) if (!t.suppressed) expect(t.n).toBeGreaterThanOrEqual(kk);
            for (const i of g.items) if (!i.suppressed) expect(i.distribution.reduce((a, b) => a + b, 0)).toBe(i.n);
          }
          for (const g of visible(groups)) {
            const mine = rows.filter((r) => oracleKey(by, r) === g.key);
            // A respondent has at least one answer with a value; skips alone are no answer.
            expect(g.respondents).toBe(new Set(mine.filter((r) => r.value !== null).map((r) => r.personKey)).size);
            for (const i of g.items) {
              if (i.suppressed) continue;
              const values = mine.filter((r) => r.itemId === i.itemId && r.value !== null).map((r) => r.value!);
              expect(i.distribution).toEqual([1, 2, 3, 4, 5].map((p) => values.filter((v) => v === p).length));
            }
          }
          expect(JSON.stringify(groups)).not.toMatch(/pk-\d/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('(b) the total minus the visible groups is 0 or ≥ k respondents, or the total is hidden (then so is every group)', () => {
    fc.assert(
      fc.property(roster, k, (rows, kk) => {
        const [total] = aggregate(rows, ITEMS, 'all', kk);
        for (const by of GROUP_BYS) {
          const groups = aggregate(rows, ITEMS, by, kk);
          if (total!.suppressed) {
            expect(groups.every((g) => g.suppressed)).toBe(true);
            continue;
          }
          const hidden = total!.respondents - visible(groups).reduce((n, g) => n + g.respondents, 0);
          expect(safe(hidden, kk)).toBe(true);
          expect(hidden > 0).toBe(groups.some((g) => g.suppressed));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('(c) per item and per theme: the total’s answers minus the visible groups’ are 0 or ≥ k, whichever groups are hidden', () => {
    fc.assert(
      fc.property(roster, k, (rows, kk) => {
        const [total] = aggregate(rows, ITEMS, 'all', kk);
        for (const by of GROUP_BYS) {
          const groups = visible(aggregate(rows, ITEMS, by, kk));
          for (const id of SCALE_IDS) {
            const t = total!.suppressed ? undefined : total!.items.find((i) => i.itemId === id);
            if (!t || t.suppressed) {
              expect(groups.every((g) => itemN(g, id) === 0)).toBe(true);
              continue;
            }
            expect(safe(t.n - groups.reduce((n, g) => n + itemN(g, id), 0), kk)).toBe(true);
            // The same holds per scale point: what is left over is spread over ≥ k people, or there is nothing left.
            const left = t.distribution.map((c, p) => c - groups.reduce((n, g) => n + ((g.items.find((x) => x.itemId === id)?.distribution ?? [0, 0, 0, 0, 0])[p] ?? 0), 0));
            expect(left.every((c) => c >= 0)).toBe(true);
            expect(safe(left.reduce((a, b) => a + b, 0), kk)).toBe(true);
          }
          const th = total!.suppressed ? undefined : total!.themes[0];
          if (!th || th.suppressed) expect(groups.every((g) => themeN(g, 't') === 0)).toBe(true);
          else expect(safe(th.n - groups.reduce((n, g) => n + themeN(g, 't'), 0), kk)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('(d) canViewResults', () => {
  // municipality ─┬─ own school ── child team
  //               └─ sibling school
  const units: UnitNode[] = [
    { id: 'parent', parentId: null, kind: 'municipality', name: 'Nordby kommune' },
    { id: 'own', parentId: 'parent', kind: 'school', name: 'Nordby skole' },
    { id: 'child', parentId: 'own', kind: 'team', name: '5.–7. trinn' },
    { id: 'sibling', parentId: 'parent', kind: 'school', name: 'Sørby skole' },
  ];
  const grants = (...roles: AppRole[]): RoleGrant[] => roles.map((role) => ({ unitId: 'own', role }));
  const matrix: [string, RoleGrant[], { own: boolean; child: boolean; sibling: boolean; parent: boolean }][] = [
    ['staff', grants('staff'), { own: false, child: false, sibling: false, parent: false }],
    ['leader', grants('leader'), { own: true, child: true, sibling: false, parent: false }],
    ['coordinator', grants('coordinator'), { own: true, child: true, sibling: false, parent: false }],
    ['admin', grants('admin'), { own: false, child: false, sibling: false, parent: false }],
    ['admin + leader', grants('admin', 'leader'), { own: true, child: true, sibling: false, parent: false }],
    ['admin + coordinator', grants('admin', 'coordinator'), { own: true, child: true, sibling: false, parent: false }],
    ['staff + leader', grants('staff', 'leader'), { own: true, child: true, sibling: false, parent: false }],
    ['no roles', [], { own: false, child: false, sibling: false, parent: false }],
  ];
  const cases = matrix.flatMap(([who, roles, expected]) => (Object.keys(expected) as (keyof typeof expected)[]).map((unit) => [who, unit, roles, expected[unit]] as const));

  it.each(cases)('%s on the own school → %s unit', (_who, unit, roles, expected) => {
    expect(canViewResults({ roles }, units, unit)).toBe(expected);
  });

  it('a coordinator of the municipality sees every school below it; nobody sees an unknown unit', () => {
    const roles: RoleGrant[] = [{ unitId: 'parent', role: 'coordinator' }];
    expect(units.map((u) => canViewResults({ roles }, units, u.id))).toEqual([true, true, true, true]);
    expect(canViewResults({ roles }, units, 'elsewhere')).toBe(false);
  });

  it('on random trees: visible exactly when a leader or coordinator role is held on the unit or above it', () => {
    const tree = fc.integer({ min: 1, max: 15 }).chain((n) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(fc.nat({ max: i - 1 }), { freq: 5 })))),
        fc.array(fc.record({ unit: fc.nat({ max: n - 1 }), role: fc.constantFrom<AppRole[]>('staff', 'leader', 'coordinator', 'admin') }), { maxLength: 5 }),
      ),
    );
    fc.assert(
      fc.property(tree, ([parents, held]) => {
        const nodes: UnitNode[] = parents.map((p, i) => ({ id: `u${i}`, parentId: p === null ? null : `u${p}`, kind: 'team', name: `u${i}` }));
        const roles = held.map((g) => ({ unitId: `u${g.unit}`, role: g.role }));
        const above = (i: number): number[] => (parents[i] === null || parents[i] === undefined ? [i] : [i, ...above(parents[i]!)]);
        nodes.forEach((u, i) => {
          const expected = held.some((g) => (g.role === 'leader' || g.role === 'coordinator') && above(i).includes(g.unit));
          expect(canViewResults({ roles }, nodes, u.id)).toBe(expected);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
