import { describe, expect, it } from 'vitest';
import { childUnitOf, groupRate, OTHER_UNIT, responseBreakdown, responseBreakdowns, type GroupCount, type Recipient } from '../../src/domain/response-breakdown.ts';
import type { UnitNode } from '../../src/domain/unit-scope.ts';

const g = (key: string, recipients: number, answered: number): GroupCount => ({ key, recipients, answered });
const shown = (r: ReturnType<typeof responseBreakdown>) => Object.fromEntries(r.groups.map((x) => [x.key, x.shown ? `${x.answered}/${x.recipients} ${x.rate}%` : x.reason]));

describe('groupRate', () => {
  it('shows a group of at least k, hides a smaller one as «færre enn k»', () => {
    expect(groupRate(g('total', 5, 2), 5)).toEqual({ key: 'total', shown: true, recipients: 5, answered: 2, rate: 40 });
    expect(groupRate(g('total', 4, 4), 5)).toEqual({ key: 'total', shown: false, reason: 'small' });
    expect(groupRate(g('total', 0, 0), 3)).toEqual({ key: 'total', shown: false, reason: 'small' });
  });
});

describe('responseBreakdown', () => {
  it('shows every group of at least k, with counts and whole-percent rates', () => {
    const r = responseBreakdown([g('teacher', 12, 9), g('child_youth_worker', 5, 1)], 5);
    expect(r.total).toEqual({ key: 'total', shown: true, recipients: 17, answered: 10, rate: 59 });
    expect(shown(r)).toEqual({ teacher: '9/12 75%', child_youth_worker: '1/5 20%' });
  });

  it('a group smaller than k is hidden, and since the total is shown, the next-smallest is hidden too', () => {
    const r = responseBreakdown([g('teacher', 20, 15), g('school_assistant', 8, 4), g('child_youth_worker', 3, 3)], 5);
    expect(r.total.shown).toBe(true);
    // Without hiding school_assistant, 31 − 20 − 8 = 3 would give child_youth_worker away.
    expect(shown(r)).toEqual({ teacher: '15/20 75%', school_assistant: 'derivable', child_youth_worker: 'small' });
  });

  it('two small groups that together reach k need nothing more hidden', () => {
    const r = responseBreakdown([g('teacher', 20, 15), g('school_assistant', 8, 4), g('sfo_leader', 3, 1), g('other', 2, 2)], 5);
    expect(shown(r)).toEqual({ teacher: '15/20 75%', school_assistant: '4/8 50%', sfo_leader: 'small', other: 'small' });
  });

  it('small groups that together are still fewer than k pull in the next-smallest visible group', () => {
    const r = responseBreakdown([g('teacher', 20, 15), g('school_assistant', 8, 4), g('sfo_leader', 1, 1), g('other', 1, 0)], 5);
    expect(shown(r)).toEqual({ teacher: '15/20 75%', school_assistant: 'derivable', sfo_leader: 'small', other: 'small' });
  });

  it('with only two groups, one small, both are hidden and only the total is shown', () => {
    const r = responseBreakdown([g('teacher', 10, 7), g('unknown', 2, 1)], 5);
    expect(r.total).toMatchObject({ shown: true, recipients: 12, answered: 8 });
    expect(shown(r)).toEqual({ teacher: 'derivable', unknown: 'small' });
  });

  it('a total under k hides everything', () => {
    const r = responseBreakdown([g('teacher', 2, 1), g('other', 1, 1)], 5);
    expect(r.total).toEqual({ key: 'total', shown: false, reason: 'small' });
    expect(r.groups.every((x) => !x.shown)).toBe(true);
  });

  it('exactly k is enough; empty groups are left out; no groups means a hidden total', () => {
    expect(shown(responseBreakdown([g('teacher', 3, 0), g('leader', 3, 3), g('other', 0, 0)], 3))).toEqual({ teacher: '0/3 0%', leader: '3/3 100%' });
    expect(responseBreakdown([], 5)).toEqual({ total: { key: 'total', shown: false, reason: 'small' }, groups: [] });
  });

  it('breaks ties between equally small visible groups by key, so the card is stable', () => {
    const r = responseBreakdown([g('b', 6, 1), g('a', 6, 2), g('c', 2, 0)], 5);
    expect(shown(r)).toEqual({ b: '1/6 17%', a: 'derivable', c: 'small' });
  });

  it('never shows a group under k, and never leaves hidden groups that add up to under k (random cases)', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 2000; run++) {
      const k = 3 + rand(5);
      const groups = Array.from({ length: 1 + rand(6) }, (_, i) => {
        const recipients = rand(14);
        return g(`g${i}`, recipients, rand(recipients + 1));
      });
      const r = responseBreakdown(groups, k);
      for (const x of r.groups) if (x.shown) expect(x.recipients).toBeGreaterThanOrEqual(k);
      const hidden = r.groups.filter((x) => !x.shown).map((x) => groups.find((y) => y.key === x.key)!.recipients);
      if (r.total.shown && hidden.length > 0) expect(hidden.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(k);
    }
  });
});

describe('childUnitOf', () => {
  const units: UnitNode[] = [
    { id: 'school', parentId: null, kind: 'school', name: 'Nordby skole' },
    { id: 'small', parentId: 'school', kind: 'team', name: '1.–4. trinn' },
    { id: 'big', parentId: 'school', kind: 'team', name: '5.–7. trinn' },
    { id: 'big-5a', parentId: 'big', kind: 'team', name: '5A' },
  ];
  const of = childUnitOf(units, 'school');

  it('counts each person once: under the child unit whose subtree holds their membership', () => {
    expect(of(['small'])).toBe('small');
    expect(of(['big-5a'])).toBe('big');
    // In two teams: the first child in the directory's order.
    expect(of(['big', 'small'])).toBe('small');
  });

  it('someone in no child unit counts as «other»', () => {
    expect(of([])).toBe(OTHER_UNIT);
    expect(of(['school'])).toBe(OTHER_UNIT);
    expect(childUnitOf(units, 'big-5a')(['big-5a'])).toBe(OTHER_UNIT);
  });
});

describe('status per unit and per role together (responseBreakdowns)', () => {
  // Unit A: 5 teachers and the one SFO leader; unit B: 5 BUA. Each breakdown alone
  // is safe, but unit A (6) minus the teachers (5) is the SFO leader: did she answer?
  const people: Recipient[] = [
    ...Array.from({ length: 5 }, (_, i) => ({ unit: 'a', role: 'teacher', answered: i < 3 })),
    { unit: 'a', role: 'sfo_leader', answered: true },
    ...Array.from({ length: 5 }, () => ({ unit: 'b', role: 'child_youth_worker', answered: false })),
  ];
  const order = { units: ['a', 'b'], roles: ['teacher', 'child_youth_worker', 'sfo_leader'] };

  it('never shows both unit A and the teachers, and keeps the total', () => {
    const r = responseBreakdowns(people, order, 5);
    expect(r.total).toMatchObject({ shown: true, recipients: 11, answered: 4 });
    const shown = (gs: { key: string; shown: boolean }[], key: string) => gs.find((g) => g.key === key)?.shown;
    expect(shown(r.byRole, 'sfo_leader')).toBe(false);
    expect(shown(r.byUnit, 'a') && shown(r.byRole, 'teacher')).toBe(false);
    // One breakdown at a time, the old rule showed both: A 6 and teachers 5.
    expect(responseBreakdown([{ key: 'a', recipients: 6, answered: 4 }, { key: 'b', recipients: 5, answered: 0 }], 5).groups.every((g) => g.shown)).toBe(true);
  });

  it('without the unit breakdown it is the one-breakdown rule', () => {
    const r = responseBreakdowns(people, order, 5, false);
    expect(r.byUnit).toEqual([]);
    expect(r.byRole.find((g) => g.key === 'teacher')).toMatchObject({ shown: true, recipients: 5, answered: 3 });
  });
});
