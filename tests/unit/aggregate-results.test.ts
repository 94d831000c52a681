import { describe, expect, it } from 'vitest';
import { aggregate, headline, rankBarriers, rankNeeds, type AnswerRow, type GroupResult } from '../../src/domain/aggregate-results.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { SCALE_FOR_KIND } from '../../src/question-bank/schema.ts';

const text = (s: string) => ({ nb: s, nn: s, en: s });
const item = (id: string, kind: PulseItem['kind'], extra: Partial<PulseItem> = {}): PulseItem => ({
  id,
  kind,
  scale: SCALE_FOR_KIND[kind],
  text: text(id),
  labels: null,
  required: kind === 'competence' || kind === 'importance',
  ...extra,
});

const C = 'competence-digitale-krenkelser';
const I = 'importance-digitale-krenkelser';
const N = 'need-acting-out';
const N2 = 'need-bullied';
const B1 = 'barrier-no-cover';
const B2 = 'barrier-no-money';
const B3 = 'barrier-no-offer';
const ITEMS: PulseItem[] = [
  item(C, 'competence', { themeId: 'digitale-krenkelser', text: { nb: 'Digitale krenkelser: I hvilken grad er kompetansen din tilfredsstillende?', nn: 'Digitale krenkingar: I kva grad?', en: 'Digital violations: To what degree?' } }),
  item(I, 'importance', { themeId: 'digitale-krenkelser', text: { nb: 'Digitale krenkelser: Hvor viktig?', nn: 'Digitale krenkingar: Kor viktig?', en: 'Digital violations: How important?' } }),
  item(N, 'need', { pupilGroup: 'acting_out', text: text('I hvilken grad trenger du mer kompetanse i arbeidet med elever med utagerende atferd?') }),
  item(N2, 'need', { pupilGroup: 'bullied' }),
  item(B1, 'barrier', { barrierCategory: 'facilitation' }),
  item(B2, 'barrier', { barrierCategory: 'facilitation' }),
  item(B3, 'barrier', { barrierCategory: 'offer' }),
  item('comment', 'comment', { scale: null }),
];

type Who = { role?: string | null; level?: string | null; school?: string | null };
/** One person's rows; `undefined` leaves the item out (no row), `null` is a skip. */
function person(personKey: string, who: Who, values: Record<string, number | null>): AnswerRow[] {
  return Object.entries(values).map(([itemId, value]) => ({ personKey, itemId, value, staffRole: who.role ?? null, schoolLevel: who.level ?? null, schoolId: who.school ?? null }));
}
/** `count` people with the same answers. */
const crowd = (prefix: string, count: number, who: Who, values: Record<string, number | null>) =>
  Array.from({ length: count }, (_, i) => person(`${prefix}${i}`, who, values)).flat();

const view = (groups: GroupResult[]) => groups.map((g) => (g.suppressed ? `${g.key}: ${g.reason}` : `${g.key}: ${g.respondents}`));
const itemOf = (g: GroupResult | undefined, id: string) => g?.items.find((i) => i.itemId === id);
const find = (groups: GroupResult[], key: string) => groups.find((g) => g.key === key);

describe('aggregate — one group (all)', () => {
  const rows = [
    ...person('p1', {}, { [C]: 1, [I]: 5, [N]: 4, [B1]: 5, [B2]: 4, [B3]: 2 }),
    ...person('p2', {}, { [C]: 2, [I]: 4, [N]: 5, [B1]: 4, [B2]: 5, [B3]: 1 }),
    ...person('p3', {}, { [C]: 2, [I]: 5, [N]: 3, [B1]: 4, [B2]: 2, [B3]: 2 }),
    ...person('p4', {}, { [C]: 4, [I]: 3, [N]: null, [B1]: 2, [B2]: 3, [B3]: 4 }),
    ...person('p5', {}, { [C]: 5, [I]: 5, [B1]: 1, [B2]: 4, [B3]: 5, comment: null }),
  ];
  const [all] = aggregate(rows, ITEMS, 'all', 3);

  it('counts distinct people and summarises every scale item: n, mean (1 decimal), distribution, shares 4–5 and 1–2 (whole %)', () => {
    expect(all).toMatchObject({ key: 'all', suppressed: false, respondents: 5 });
    expect(all!.items.map((i) => i.itemId)).toEqual([C, I, N, N2, B1, B2, B3]); // no comment
    expect(itemOf(all, C)).toMatchObject({ kind: 'competence', themeId: 'digitale-krenkelser', n: 5, mean: 2.8, distribution: [1, 2, 0, 1, 1], shareHigh: 40, shareLow: 60 });
    expect(itemOf(all, I)).toMatchObject({ n: 5, mean: 4.4, distribution: [0, 0, 1, 1, 3], shareHigh: 80, shareLow: 0 });
    expect(itemOf(all, B1)).toMatchObject({ n: 5, mean: 3.2, distribution: [1, 1, 0, 2, 1], shareHigh: 60, shareLow: 40 });
    expect(itemOf(all, B2)).toMatchObject({ n: 5, mean: 3.6, distribution: [0, 1, 1, 2, 1], shareHigh: 60, shareLow: 20 });
  });

  it('a skipped or missing optional item lowers its n only; shares round to whole percent', () => {
    // p4 skipped, p5 was not asked: 4, 5, 3 → 2 of 3 = 66.7 % → 67.
    expect(itemOf(all, N)).toMatchObject({ kind: 'need', pupilGroup: 'acting_out', n: 3, mean: 4, distribution: [0, 0, 1, 1, 1], shareHigh: 67, shareLow: 0 });
  });

  it('an item nobody (or fewer than k) answered is hidden, n: null', () => {
    expect(itemOf(all, N2)).toEqual({ itemId: N2, kind: 'need', pupilGroup: 'bullied', suppressed: true, reason: 'small', n: null, mean: null, distribution: null, shareHigh: null, shareLow: null });
    const [few] = aggregate(rows, ITEMS, 'all', 4);
    expect(itemOf(few, N)).toMatchObject({ suppressed: true, reason: 'small', n: null });
  });

  it('theme gap per person pair: mean importance − mean competence, and the share with competence 1–2 and importance 4–5', () => {
    // pairs (1,5) (2,4) (2,5) (4,3) (5,5): gap (4+2+3−1+0)/5 = 1.6; the first three are a need: 3/5.
    expect(all!.themes).toEqual([{ themeId: 'digitale-krenkelser', suppressed: false, reason: null, n: 5, gap: 1.6, shareNeed: 60 }]);
  });

  it('only people who answered both scales count in the theme; a negative gap rounds to 1 decimal', () => {
    const r = [...person('a', {}, { [C]: 5, [I]: 4 }), ...person('b', {}, { [C]: 5, [I]: 4 }), ...person('c', {}, { [C]: 5, [I]: 3 }), ...person('d', {}, { [C]: 1, [I]: null })];
    const [g] = aggregate(r, ITEMS, 'all', 3);
    expect(g!.themes[0]).toMatchObject({ n: 3, gap: -1.3, shareNeed: 0 });
    expect(itemOf(g, C)).toMatchObject({ n: 4, mean: 4 });
  });

  it('ranks needs (need items by share 4–5, themes by share in need) and barriers, with category means', () => {
    expect(rankNeeds(all!, ITEMS, 'nb')).toEqual([
      { kind: 'need', id: N, measure: 'shareHigh', score: 67, n: 3, labelKey: 'pupilGroup.acting_out', label: 'I hvilken grad trenger du mer kompetanse i arbeidet med elever med utagerende atferd?' },
      { kind: 'theme', id: 'digitale-krenkelser', measure: 'shareNeed', score: 60, n: 5, labelKey: 'theme.digitale-krenkelser', label: 'Digitale krenkelser' },
    ]);
    expect(rankNeeds(all!, ITEMS)[1]).not.toHaveProperty('label');
    expect(rankBarriers(all!)).toEqual({
      // ties (60 %, n 5) by id
      items: [
        { id: B1, category: 'facilitation', score: 60, n: 5 },
        { id: B2, category: 'facilitation', score: 60, n: 5 },
        { id: B3, category: 'offer', score: 40, n: 5 },
      ],
      categories: [
        { category: 'offer', meanShare: 40, items: 1 },
        { category: 'facilitation', meanShare: 60, items: 2 },
      ],
    });
    expect(headline(all!, ITEMS, 'en')).toMatchObject({ groupKey: 'all', kind: 'need', id: N, score: 67, labelKey: 'pupilGroup.acting_out' });
  });

  it('a total under k is hidden, and hidden groups rank nothing', () => {
    const [g] = aggregate(rows.filter((r) => r.personKey < 'p3'), ITEMS, 'all', 3);
    expect(g).toEqual({ key: 'all', suppressed: true, reason: 'small', respondents: null, items: [], themes: [] });
    expect(rankNeeds(g!, ITEMS)).toEqual([]);
    expect(rankBarriers(g!)).toEqual({ items: [], categories: [] });
    expect(headline(g!, ITEMS, 'nb')).toBeNull();
    expect(aggregate([], ITEMS, 'all', 3)).toEqual([]);
  });
});

describe('aggregate — breakdowns and suppression', () => {
  const full = { [C]: 3, [I]: 4, [B1]: 4 };

  it('small groups, including «unknown», are hidden; together ≥ k people they need no company — but per item only their answers count', () => {
    const rows = [
      ...crowd('t', 5, { role: 'teacher' }, { ...full, [N]: 5 }),
      ...crowd('b', 4, { role: 'child_youth_worker' }, { ...full, [N]: 4 }),
      ...person('s', { role: 'sfo_leader' }, { ...full, [N]: 1 }),
      ...person('u1', { role: null }, full),
      ...person('u2', { role: 'rektor' }, full), // not a known role → unknown
    ];
    const groups = aggregate(rows, ITEMS, 'staffRole', 3);
    expect(view(groups)).toEqual(['teacher: 5', 'child_youth_worker: 4', 'sfo_leader: small', 'unknown: small']);
    expect(find(groups, 'unknown')).toEqual({ key: 'unknown', suppressed: true, reason: 'small', respondents: null, items: [], themes: [] });
    expect(itemOf(find(groups, 'teacher'), N)).toMatchObject({ n: 5, mean: 5, distribution: [0, 0, 0, 0, 5], shareHigh: 100 });
    // The hidden groups hold 3 people but only 1 answer to N (the unknown were not asked it):
    // total N 10 − 5 − 4 would be the SFO leader's answer, so the smaller visible N is hidden too.
    expect(itemOf(find(groups, 'child_youth_worker'), N)).toMatchObject({ suppressed: true, reason: 'derivable', n: null });
    expect(itemOf(find(groups, 'child_youth_worker'), B1)).toMatchObject({ n: 4, mean: 4, distribution: [0, 0, 0, 4, 0], shareHigh: 100 });
  });

  it('one small group takes the next-smallest visible group with it (ties by key)', () => {
    const rows = [
      ...crowd('t', 6, { role: 'teacher' }, full),
      ...crowd('b', 5, { role: 'child_youth_worker' }, full),
      ...crowd('a', 5, { role: 'school_assistant' }, full),
      ...person('s', { role: 'sfo_leader' }, full),
    ];
    // Without it, 17 − 6 − 5 − 5 = 1 would give the SFO leader away.
    expect(view(aggregate(rows, ITEMS, 'staffRole', 5))).toEqual(['teacher: 6', 'child_youth_worker: derivable', 'school_assistant: 5', 'sfo_leader: small']);
  });

  it('the unknown group alone is small: it takes the smallest known group with it', () => {
    const rows = [...crowd('x', 7, { level: 'barnetrinn' }, full), ...crowd('y', 5, { level: 'ungdomstrinn' }, full), ...crowd('z', 2, { level: null }, full)];
    expect(view(aggregate(rows, ITEMS, 'schoolLevel', 3))).toEqual(['barnetrinn: 7', 'ungdomstrinn: derivable', 'unknown: small']);
  });

  it('schools are ordered by id, unknown last', () => {
    const rows = [...crowd('x', 3, { school: 's2' }, full), ...crowd('y', 3, { school: 's1' }, full), ...crowd('z', 3, { school: null }, full)];
    expect(view(aggregate(rows, ITEMS, 'school', 3))).toEqual(['s1: 3', 's2: 3', 'unknown: 3']);
  });

  it('an item fewer than k answered in a visible group is hidden, and the next-smallest group’s answers to it too', () => {
    const rows = [
      ...crowd('t', 6, { role: 'teacher' }, { ...full, [N]: 4 }),
      ...crowd('b', 2, { role: 'child_youth_worker' }, { ...full, [N]: 5 }),
      ...crowd('bb', 3, { role: 'child_youth_worker' }, { ...full, [N]: null }),
      ...crowd('a', 4, { role: 'school_assistant' }, { ...full, [N]: 2 }),
    ];
    const groups = aggregate(rows, ITEMS, 'staffRole', 3);
    expect(view(groups)).toEqual(['teacher: 6', 'child_youth_worker: 5', 'school_assistant: 4']);
    expect(itemOf(find(groups, 'teacher'), N)).toMatchObject({ suppressed: false, n: 6, distribution: [0, 0, 0, 6, 0] });
    expect(itemOf(find(groups, 'child_youth_worker'), N)).toMatchObject({ suppressed: true, reason: 'small', n: null });
    // Else 12 (total) − 6 − 4 = 2 answers would be the child and youth workers’.
    expect(itemOf(find(groups, 'school_assistant'), N)).toMatchObject({ suppressed: true, reason: 'derivable', n: null });
    expect(itemOf(find(groups, 'school_assistant'), C)).toMatchObject({ suppressed: false, n: 4 });
    expect(itemOf(aggregate(rows, ITEMS, 'all', 3)[0], N)).toMatchObject({ n: 12, distribution: [0, 4, 0, 6, 2] });
  });

  it('answers inside hidden groups count: if they are fewer than k, a visible group’s item is hidden too', () => {
    const rows = [
      ...crowd('t', 4, { role: 'teacher' }, { ...full, [N]: 3 }),
      ...person('t9', { role: 'teacher' }, full),
      ...person('b', { role: 'child_youth_worker' }, { ...full, [N]: 5 }),
      ...crowd('bb', 3, { role: 'child_youth_worker' }, full),
      ...person('s', { role: 'sfo_leader' }, { ...full, [N]: 1 }),
    ];
    const groups = aggregate(rows, ITEMS, 'staffRole', 3);
    expect(view(groups)).toEqual(['teacher: 5', 'child_youth_worker: derivable', 'sfo_leader: small']);
    // Total N: 6 answers; teacher 4 → 2 left in the hidden groups, so the teachers' N is hidden as well.
    expect(itemOf(find(groups, 'teacher'), N)).toMatchObject({ suppressed: true, reason: 'derivable' });
    expect(itemOf(find(groups, 'teacher'), C)).toMatchObject({ suppressed: false, n: 5, mean: 3 });
  });

  it('the same for a theme: pairs fewer than k in one group hide the smallest other group’s theme gap', () => {
    const rows = [
      ...crowd('t', 5, { role: 'teacher' }, { [C]: 2, [I]: 5 }),
      ...crowd('b', 2, { role: 'child_youth_worker' }, { [C]: 1, [I]: 4 }),
      ...crowd('bb', 3, { role: 'child_youth_worker' }, { [C]: 4, [I]: null }),
    ];
    const groups = aggregate(rows, ITEMS, 'staffRole', 3);
    expect(view(groups)).toEqual(['teacher: 5', 'child_youth_worker: 5']);
    expect(find(groups, 'teacher')!.themes).toEqual([{ themeId: 'digitale-krenkelser', suppressed: true, reason: 'derivable', n: null, gap: null, shareNeed: null }]);
    expect(find(groups, 'child_youth_worker')!.themes[0]).toMatchObject({ suppressed: true, reason: 'small' });
    expect(itemOf(find(groups, 'teacher'), I)).toMatchObject({ suppressed: true, reason: 'derivable' });
    expect(itemOf(find(groups, 'child_youth_worker'), C)).toMatchObject({ suppressed: false, n: 5, distribution: [2, 0, 0, 3, 0], mean: 2.8 });
    expect(aggregate(rows, ITEMS, 'all', 3)[0]!.themes[0]).toEqual({ themeId: 'digitale-krenkelser', suppressed: false, reason: null, n: 7, gap: 3, shareNeed: 100 });
  });

  it('one person is one respondent in one group (smallest non-empty value, whatever the row order); the last answer counts; values outside 1–5 are skips; no pseudonym leaks', () => {
    const rows: AnswerRow[] = [
      ...crowd('t', 3, { role: 'teacher' }, { [C]: 4 }),
      { personKey: 'secret-1', itemId: C, value: 2, staffRole: null, schoolLevel: null, schoolId: null },
      { personKey: 'secret-1', itemId: C, value: 5, staffRole: 'teacher', schoolLevel: null, schoolId: null },
      { personKey: 'secret-1', itemId: I, value: 7, staffRole: 'teacher', schoolLevel: null, schoolId: null },
    ];
    const groups = aggregate(rows, ITEMS, 'staffRole', 3);
    expect(view(groups)).toEqual(['teacher: 4']);
    expect(view(aggregate([...rows].reverse(), ITEMS, 'staffRole', 3))).toEqual(['teacher: 4']);
    // Someone whose only rows are skips has answered nothing and is no respondent.
    const skipper: AnswerRow = { personKey: 'secret-2', itemId: C, value: null, staffRole: 'teacher', schoolLevel: null, schoolId: null };
    expect(view(aggregate([...rows, skipper], ITEMS, 'staffRole', 3))).toEqual(['teacher: 4']);
    expect(itemOf(groups[0], C)).toMatchObject({ n: 4, distribution: [0, 0, 0, 3, 1] });
    expect(itemOf(groups[0], I)).toMatchObject({ suppressed: true, reason: 'small' });
    expect(JSON.stringify(groups)).not.toContain('secret');
  });
});
