import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, type AnswerRow } from '../../src/domain/aggregate-results.ts';
import { commentThreshold, shuffleComments } from '../../src/domain/comments.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { proportionTrend, trendLines } from '../../src/domain/trend.ts';
import { SCALE_FOR_KIND } from '../../src/question-bank/schema.ts';

const item = (id: string, kind: PulseItem['kind'], extra: Partial<PulseItem> = {}): PulseItem => ({ id, kind, scale: SCALE_FOR_KIND[kind], text: { nb: id, nn: id, en: id }, labels: null, required: false, ...extra });
const C = 'competence-digitale-krenkelser';
const I = 'importance-digitale-krenkelser';
const N = 'need-acting-out';
const ITEMS: PulseItem[] = [item(C, 'competence', { themeId: 'digitale-krenkelser' }), item(I, 'importance', { themeId: 'digitale-krenkelser' }), item(N, 'need', { pupilGroup: 'acting_out' })];

/** `need` people with competence 1 / importance 5 (a need) and `other` with 4 / 4; need item 5 for the first `high`. */
function round(prefix: string, need: number, other: number, role: string | null = 'teacher', high = 0): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (let i = 0; i < need + other; i++) {
    const who = { personKey: `${prefix}${i}`, staffRole: role, schoolLevel: null, schoolId: null };
    rows.push({ ...who, itemId: C, value: i < need ? 1 : 4 }, { ...who, itemId: I, value: i < need ? 5 : 4 }, { ...who, itemId: N, value: i < high ? 5 : 2 });
  }
  return rows;
}
const all = (rows: AnswerRow[], k = 5) => aggregate(rows, ITEMS, 'all', k)[0];

describe('proportionTrend (Agresti–Caffo 95 % interval, whole points)', () => {
  it('worked example: 240/500 → 195/500 (48 % → 39 %) is a reduction, ±7', () => {
    // p̃1 = 241/502 = .4801, p̃2 = 196/502 = .3904; se = √(.4801·.5199/502 + .3904·.6096/502) = .0312;
    // 1.96 · .0312 = .0611 → ±7 (rounded up); interval −.090 ± .061 = [−.151, −.029] excludes 0.
    expect(proportionTrend(240, 500, 195, 500)).toEqual({ difference: -9, margin: 7, direction: 'decreased' });
  });

  it('worked example: the same 48 % → 39 % with 100 on each side is no clear change, ±14', () => {
    // se = √(.4804·.5196/102 + .3922·.6078/102) = .0692 → ±13.6 → 14; [−.225, .046] contains 0.
    expect(proportionTrend(48, 100, 39, 100)).toEqual({ difference: -9, margin: 14, direction: 'noClearChange' });
  });

  it('small n: margins in steps of 5 and never 0, even when both shares are 0 %', () => {
    expect(proportionTrend(12, 25, 10, 25)).toEqual({ difference: -8, margin: 30, direction: 'noClearChange' });
    expect(proportionTrend(0, 8, 0, 8)).toEqual({ difference: 0, margin: 30, direction: 'noClearChange' });
    expect(proportionTrend(5, 10, 0, 10)).toEqual({ difference: -50, margin: 35, direction: 'decreased' });
  });

  it('is antisymmetric and whole-numbered for any counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, a, b) => {
        const x1 = Math.round(a * n1);
        const x2 = Math.round(b * n2);
        const up = proportionTrend(x1, n1, x2, n2);
        const down = proportionTrend(x2, n2, x1, n1);
        expect(Number.isInteger(up.difference) && Number.isInteger(up.margin) && up.margin >= 1).toBe(true);
        expect(down.difference).toBe(-up.difference || 0);
        expect(down.margin).toBe(up.margin);
        const flip = { increased: 'decreased', decreased: 'increased', noClearChange: 'noClearChange' } as const;
        expect(down.direction).toBe(flip[up.direction]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('trendLines', () => {
  it('compares a theme by share with a need and a need item by share 4–5', () => {
    const lines = trendLines(all(round('a', 48, 52, 'teacher', 60)), all(round('b', 20, 80, 'teacher', 58)), 5);
    expect(lines).toEqual([
      { kind: 'theme', id: 'digitale-krenkelser', measure: 'shareNeed', previous: 48, current: 20, previousN: 100, currentN: 100, difference: -28, margin: 13, direction: 'decreased' },
      { kind: 'item', id: N, measure: 'shareHigh', previous: 60, current: 58, previousN: 100, currentN: 100, difference: -2, margin: 14, direction: 'noClearChange' },
    ]);
  });

  it('shows no trend when either side is hidden by the anonymity rule', () => {
    const big = all(round('a', 3, 7));
    expect(trendLines(all(round('b', 1, 3)), big, 5)).toEqual([]); // 4 people: group hidden
    expect(trendLines(big, all(round('b', 1, 3)), 5)).toEqual([]);
    expect(trendLines(undefined, big, 5)).toEqual([]);
    // A staff group that is hidden to prevent subtraction from the total gets no trend either.
    const byRole = (rows: AnswerRow[]) => aggregate(rows, ITEMS, 'staffRole', 5);
    const before = byRole([...round('t', 5, 5, 'teacher'), ...round('s', 2, 4, 'school_assistant'), ...round('u', 1, 1, null)]);
    const now = byRole([...round('T', 5, 5, 'teacher'), ...round('S', 2, 4, 'school_assistant'), ...round('U', 1, 1, null)]);
    const assistantsBefore = before.find((g) => g.key === 'school_assistant');
    expect(assistantsBefore?.suppressed).toBe(true);
    expect(trendLines(assistantsBefore, now.find((g) => g.key === 'school_assistant'), 5)).toEqual([]);
  });

  it('leaves out a theme answered by fewer than k on one side', () => {
    const prev = all(round('a', 3, 7));
    const few = round('b', 3, 7).filter((r) => !(r.itemId === I && Number(r.personKey.slice(1)) >= 4)); // only 4 answered importance
    expect(trendLines(prev, all(few), 5).map((l) => l.id)).toEqual([N]);
  });
});

describe('comments', () => {
  it('threshold is the configured minimum, never below k', () => {
    expect(commentThreshold(10, 5)).toBe(10);
    expect(commentThreshold(3, 5)).toBe(5);
  });

  it('orders by a hash of pulse and text, not by input order, and drops blanks', () => {
    const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((t) => ({ pulseId: 'p1', text: `Kommentar ${t}` }));
    const once = shuffleComments(rows);
    expect(shuffleComments([...rows].reverse())).toEqual(once);
    expect(once).not.toEqual(rows.map((r) => r.text));
    expect(shuffleComments([{ pulseId: 'p', text: '  ' }])).toEqual([]);
  });
});
