import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateTallies, type GroupResult } from '../../src/domain/aggregate-results.ts';
import { BREAKDOWNS, overlapOfRows, tallyRows, type AnswerRow, type Breakdown } from '../../src/domain/group-tally.ts';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../../src/domain/profile.ts';
import { publishRound, type Publication } from '../../src/domain/publish-round.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { makeItem } from '../helpers/pulse-items.ts';

/*
 * The curious leader, in code. Two rounds of the same template for the same
 * people; the leader collects every figure shown of both (every breakdown,
 * every question), and adds and subtracts. With exact rational arithmetic
 * (independent of the product's search in disclosure.ts: brute force over
 * unions of indistinguishable people, each tested by Gaussian elimination)
 * we check that no set of 1..k−1 people is derivable — for the people
 * counts, for each question and for each theme's pairs. Everyone keeps their
 * role, level and school, and is assumed to have answered round 2 as in
 * round 1 where they answered both, which is what makes «round 2 minus
 * round 1» an attack at all.
 */

const ITEMS: PulseItem[] = [
  makeItem('competence-t', 'competence', { themeId: 't' }),
  makeItem('importance-t', 'importance', { themeId: 't' }),
  makeItem('need-a', 'need', { pupilGroup: 'acting_out' }),
  makeItem('barrier-b', 'barrier', { barrierCategory: 'facilitation' }),
];
const ROLES = ['teacher', 'teacher', 'child_youth_worker', 'sfo_leader', 'school_assistant', null];

type Person = { role: string | null; level: string | null; school: string | null; r1: boolean; r2: boolean; answers: (number | null)[] };

const person = fc.record({
  role: fc.constantFrom(...ROLES),
  level: fc.constantFrom<(string | null)[]>('barnetrinn', 'barnetrinn', 'ungdomstrinn', null),
  school: fc.constantFrom<(string | null)[]>('s1', 's1', 's2'),
  r1: fc.boolean(),
  r2: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  answers: fc.tuple(...ITEMS.map(() => fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<number | null> }, { weight: 1, arbitrary: fc.constant(null) }))),
});
/** Many rosters grow by a few people between rounds: the case that made round-against-round an attack. */
const roster = fc.array(person, { minLength: 3, maxLength: 26 });
const kArb = fc.integer({ min: 3, max: 5 });

const rowsOf = (people: Person[], round: 'r1' | 'r2'): AnswerRow[] =>
  people.flatMap((p, n) => (p[round] ? ITEMS.map((it, i) => ({ personKey: `p${n}`, itemId: it.id, value: p.answers[i]!, staffRole: p.role, schoolLevel: p.level, schoolId: p.school })) : []));

const keyOf = (p: Person, by: Breakdown) =>
  by === 'all' ? 'all' : by === 'staffRole' ? ((STAFF_ROLES as readonly string[]).includes(p.role ?? '') ? p.role! : 'unknown') : by === 'schoolLevel' ? ((SCHOOL_LEVELS as readonly string[]).includes(p.level ?? '') ? p.level! : 'unknown') : (p.school ?? 'unknown');
const respondent = (p: Person) => p.answers.some((a) => a !== null);
/** Who is behind each figure: per measure ('' = people), the sets of person indices whose counts are shown. */
type Measure = '' | `item:${string}` | `theme:${string}`;
const MEASURES: Measure[] = ['', ...ITEMS.map((i) => `item:${i.id}` as const), 'theme:t'];
const counts = (p: Person, m: Measure) =>
  m === '' ? respondent(p) : m.startsWith('item:') ? p.answers[ITEMS.findIndex((i) => `item:${i.id}` === m)] !== null : p.answers[0] !== null && p.answers[1] !== null;

function shownSets(people: Person[], round: 'r1' | 'r2', pub: Publication | Record<Breakdown, GroupResult[]>, m: Measure): number[][] {
  const groups = 'groups' in pub ? (pub as Publication).groups : pub;
  const sets: number[][] = [];
  for (const by of BREAKDOWNS) {
    for (const g of groups[by] ?? []) {
      if (g.suppressed) continue;
      const visible = m === '' || (m.startsWith('item:') ? g.items.some((i) => `item:${i.itemId}` === m && !i.suppressed) : g.themes.some((t) => `theme:${t.themeId}` === m && !t.suppressed));
      if (!visible) continue;
      const set = people.flatMap((p, at) => (p[round] && respondent(p) && keyOf(p, by) === g.key && counts(p, m) ? [at] : []));
      if (set.length > 0) sets.push(set);
    }
  }
  return sets;
}

// ── exact linear algebra over the rationals ──
type Q = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Q): Q => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
};
const sub = (a: Q, b: Q): Q => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Q, b: Q): Q => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Q, b: Q): Q => norm([a[0] * b[1], a[1] * b[0]]);

/** Reduced row echelon form of 0/1 rows over `width` columns: rows with pivot 1. */
function rref(rows: number[][], width: number): { rows: Q[][]; pivots: number[] } {
  const m: Q[][] = rows.map((r) => Array.from({ length: width }, (_, c) => [BigInt(r[c]!), 1n] as Q));
  const pivots: number[] = [];
  let top = 0;
  for (let c = 0; c < width && top < m.length; c++) {
    const p = m.findIndex((r, i) => i >= top && r[c]![0] !== 0n);
    if (p < 0) continue;
    [m[top], m[p]] = [m[p]!, m[top]!];
    const pv = m[top]![c]!;
    m[top] = m[top]!.map((x) => div(x, pv));
    for (let i = 0; i < m.length; i++) if (i !== top && m[i]![c]![0] !== 0n) {
      const f = m[i]![c]!;
      m[i] = m[i]!.map((x, j) => sub(x, mul(f, m[top]![j]!)));
    }
    pivots.push(c);
    top++;
  }
  return { rows: m.slice(0, top), pivots };
}
function inSpan(e: { rows: Q[][]; pivots: number[] }, x: number[]): boolean {
  let v: Q[] = x.map((n) => [BigInt(n), 1n]);
  e.rows.forEach((row, j) => {
    const f = v[e.pivots[j]!]!;
    if (f[0] !== 0n) v = v.map((y, c) => sub(y, mul(f, row[c]!)));
  });
  return v.every((y) => y[0] === 0n);
}

/** A set of 1..k−1 people whose figures follow from the shown sets, or null. */
function derivableSmallSet(sets: number[][], universe: number, k: number): number[] | null {
  if (sets.length === 0) return null;
  const rows = sets.map((s) => Array.from({ length: universe }, (_, c) => (s.includes(c) ? 1 : 0)));
  const e = rref(rows, universe);
  // People in exactly the same shown sets can't be told apart: a derivable set is a union of such classes.
  const classes = new Map<string, number[]>();
  for (let c = 0; c < universe; c++) {
    const sig = rows.map((r) => r[c]).join('');
    if (!sig.includes('1')) continue;
    classes.set(sig, [...(classes.get(sig) ?? []), c]);
  }
  const light = [...classes.values()].filter((c) => c.length < k);
  const pick: number[][] = [];
  const walk = (from: number, size: number): number[] | null => {
    for (let i = from; i < light.length; i++) {
      if (size + light[i]!.length >= k) continue;
      pick.push(light[i]!);
      const members = pick.flat();
      const x = Array.from({ length: universe }, (_, c) => (members.includes(c) ? 1 : 0));
      if (inSpan(e, x)) return members;
      const deeper = walk(i + 1, size + light[i]!.length);
      if (deeper) return deeper;
      pick.pop();
    }
    return null;
  };
  return walk(0, 0);
}

/** Every figure of both rounds, per measure: the sets the attacker can combine. */
function attack(people: Person[], pub1: Publication | Record<Breakdown, GroupResult[]>, pub2: Publication | Record<Breakdown, GroupResult[]>, k: number): { measure: Measure; set: number[] } | null {
  for (const m of MEASURES) {
    const sets = [...shownSets(people, 'r1', pub1, m), ...shownSets(people, 'r2', pub2, m)];
    const found = derivableSmallSet(sets, people.length, k);
    if (found) return { measure: m, set: found };
  }
  return null;
}

/** What the product publishes of both rounds; `overlapKnown: false` as when round 1's answers are deleted. */
function published(people: Person[], k: number, overlapKnown = true) {
  const rows1 = rowsOf(people, 'r1');
  const rows2 = rowsOf(people, 'r2');
  const t1 = tallyRows(rows1, ITEMS, 'cell');
  const t2 = tallyRows(rows2, ITEMS, 'cell');
  const pub1 = publishRound(t1, ITEMS, k);
  const overlap = overlapKnown ? overlapOfRows(rows2, rows1, ITEMS) : null;
  const pub2 = publishRound(t2, ITEMS, k, { previous: { tallies: t1, items: ITEMS, shown: pub1, overlap } });
  return { pub1, pub2 };
}

/** The rule before this one: each breakdown on its own against its total, each round on its own. */
function legacy(people: Person[], k: number) {
  const one = (round: 'r1' | 'r2') =>
    Object.fromEntries(BREAKDOWNS.map((by) => [by, aggregateTallies(tallyRows(rowsOf(people, round), ITEMS, by), ITEMS, by, k)])) as Record<Breakdown, GroupResult[]>;
  return { pub1: one('r1'), pub2: one('r2') };
}

describe('the curious leader: every figure of two rounds, added and subtracted (exact rationals)', () => {
  it('finds no set of 1..k−1 people behind any count, question or theme, across breakdowns and rounds', () => {
    fc.assert(
      fc.property(roster, kArb, fc.boolean(), (people, k, overlapKnown) => {
        const { pub1, pub2 } = published(people, k, overlapKnown);
        expect(attack(people, pub1, pub2, k)).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('hides no more than it must: a round on its own keeps its total, and a round with the same people as before shows what that one showed', () => {
    fc.assert(
      fc.property(roster, kArb, (people, k) => {
        const { pub1 } = published(people, k);
        const answered = people.filter((p) => p.r1 && respondent(p)).length;
        expect(pub1.groups.all[0]?.suppressed ?? true).toBe(answered < k);
        const same = people.map((p) => ({ ...p, r2: p.r1 }));
        const again = published(same, k);
        const hidden = (pub: Publication) => BREAKDOWNS.flatMap((by) => pub.groups[by].map((g) => `${by}:${g.key}:${g.suppressed}`));
        expect(hidden(again.pub2)).toEqual(hidden(again.pub1));
      }),
      { numRuns: 150 },
    );
  });

  it('would have caught the rule it replaced (each breakdown on its own, rounds on their own)', () => {
    expect(() =>
      fc.assert(
        fc.property(roster, kArb, (people, k) => {
          const { pub1, pub2 } = legacy(people, k);
          expect(attack(people, pub1, pub2, k)).toBeNull();
        }),
        { numRuns: 250 },
      ),
    ).toThrow();
  });

  it('the three leaks found by hand are closed: two breakdowns, round against round', () => {
    const at = (role: string, level: string, r1: boolean, r2: boolean, v: number): Person => ({ role, level, school: 's1', r1, r2, answers: [v, v, v, v] });
    // 6 teachers and 1 SFO leader at barnetrinn, 5 BUA and 5 assistants at ungdomstrinn.
    const school = [...Array.from({ length: 6 }, () => at('teacher', 'barnetrinn', true, true, 3)), at('sfo_leader', 'barnetrinn', true, true, 1), ...Array.from({ length: 5 }, () => at('child_youth_worker', 'ungdomstrinn', true, true, 4)), ...Array.from({ length: 5 }, () => at('school_assistant', 'ungdomstrinn', true, true, 5))];
    expect(attack(school, legacy(school, 5).pub1, legacy(school, 5).pub2, 5)).not.toBeNull();
    const { pub1, pub2 } = published(school, 5);
    expect(attack(school, pub1, pub2, 5)).toBeNull();
    // The whole unit stays visible; the SFO leader does not.
    expect(pub1.groups.all[0]!.suppressed).toBe(false);
    expect(pub1.groups.staffRole.find((g) => g.key === 'sfo_leader')!.suppressed).toBe(true);

    // Round 2: a seventh teacher joins; everyone else answers as before.
    const grown = [...Array.from({ length: 6 }, () => at('teacher', 'barnetrinn', true, true, 3)), at('teacher', 'barnetrinn', false, true, 5), ...Array.from({ length: 6 }, () => at('child_youth_worker', 'ungdomstrinn', true, true, 4))];
    expect(attack(grown, legacy(grown, 5).pub1, legacy(grown, 5).pub2, 5)).not.toBeNull();
    const after = published(grown, 5);
    expect(attack(grown, after.pub1, after.pub2, 5)).toBeNull();
    expect(after.pub2.groups.staffRole.find((g) => g.key === 'teacher')!.suppressed).toBe(true);
    expect(after.pub2.groups.staffRole.find((g) => g.key === 'child_youth_worker')!.suppressed).toBe(false);
  });

  it('a group where some joined and others left stays visible (the real overlap, not the worst case)', () => {
    const at = (r1: boolean, r2: boolean, v: number): Person => ({ role: 'teacher', level: 'barnetrinn', school: 's1', r1, r2, answers: [v, v, v, v] });
    // 8 teachers answered both, 2 only round 1, 2 only round 2: 10 → 10, not a set difference.
    const people = [...Array.from({ length: 8 }, () => at(true, true, 3)), at(true, false, 1), at(true, false, 2), at(false, true, 4), at(false, true, 5)];
    expect(published(people, 5).pub2.groups.staffRole.find((g) => g.key === 'teacher')).toMatchObject({ suppressed: false, respondents: 10 });
    // Without the overlap (answers deleted), 10 → 10 in one cell is taken as the same ten people: shown as well.
    expect(published(people, 5, false).pub2.groups.staffRole.find((g) => g.key === 'teacher')).toMatchObject({ suppressed: false });
    // 12 → 10 by two leaving is a difference of two people: hidden, with the real overlap as with the worst case.
    const left = [...Array.from({ length: 10 }, () => at(true, true, 3)), at(true, false, 1), at(true, false, 2)];
    expect(published(left, 5).pub2.groups.staffRole.find((g) => g.key === 'teacher')!.suppressed).toBe(true);
  });

  it('k or more new people make a group visible again', () => {
    const at = (r1: boolean, v: number): Person => ({ role: 'teacher', level: 'barnetrinn', school: 's1', r1, r2: true, answers: [v, v, v, v] });
    const people = [...Array.from({ length: 6 }, () => at(true, 3)), ...Array.from({ length: 5 }, () => at(false, 5))];
    const { pub2 } = published(people, 5);
    expect(pub2.groups.staffRole.find((g) => g.key === 'teacher')).toMatchObject({ suppressed: false, respondents: 11 });
  });
});
