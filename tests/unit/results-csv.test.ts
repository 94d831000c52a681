import { describe, expect, it } from 'vitest';
import { aggregate, type AnswerRow, type GroupResult } from '../../src/domain/aggregate-results.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { CSV_BOM, csvCell, resultsCsv } from '../../src/domain/results-csv.ts';
import { SCALE_FOR_KIND } from '../../src/question-bank/schema.ts';

const text = (s: string) => ({ nb: s, nn: s, en: s });
const item = (id: string, kind: PulseItem['kind'], nb = id): PulseItem => ({ id, kind, scale: SCALE_FOR_KIND[kind], text: text(nb), labels: null, required: false });
const ITEMS: PulseItem[] = [item('need-a', 'need', 'Trenger du mer; kompetanse?'), item('barrier-b', 'barrier', 'Tid "til" kurs'), item('comment', 'comment')];
ITEMS[2]!.scale = null;

function people(prefix: string, count: number, role: string | null, values: Record<string, number>): AnswerRow[] {
  return Array.from({ length: count }, (_, i) => Object.entries(values).map(([itemId, value]) => ({ personKey: `${prefix}${i}`, itemId, value, staffRole: role, schoolLevel: 'barnetrinn', schoolId: 's' }))).flat();
}
const rows = [...people('t', 6, 'teacher', { 'need-a': 4, 'barrier-b': 3 }), ...people('b', 5, 'child_youth_worker', { 'need-a': 2, 'barrier-b': 5 }), ...people('s', 2, 'sfo_leader', { 'need-a': 1, 'barrier-b': 1 })];
const labels = { group: (_: string, key: string) => ({ all: 'Alle ansatte', teacher: 'Lærer', child_youth_worker: 'BUA', sfo_leader: 'SFO-leder', unknown: 'Uten rolle' })[key] ?? key };
const lines = (csv: string) => csv.slice(1).split('\r\n').filter(Boolean);

describe('results CSV for Norwegian Excel', () => {
  it('starts with a BOM, uses ; and CRLF, a Norwegian header and decimal commas', () => {
    const csv = resultsCsv([{ groupBy: 'all', groups: aggregate(rows, ITEMS, 'all', 5) }], ITEMS, labels, 5);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.slice(1)).not.toMatch(/[^\r]\n/);
    const [header, group, need] = lines(csv);
    expect(header).toBe('gruppe;type;spørsmål/tema;antall svar;snitt;andel 4–5 (%);andel 1–2 (%);fordeling 1;fordeling 2;fordeling 3;fordeling 4;fordeling 5');
    expect(group).toBe('Alle ansatte;gruppe;(personer som svarte);13;;;;;;;;');
    // (6·4 + 5·2 + 2·1) / 13 = 2.77 → 2,8
    expect(need).toBe('Alle ansatte;behov;"Trenger du mer; kompetanse?";13;2,8;46;54;2;5;0;6;0');
    expect(lines(csv)).toHaveLength(4); // the free-text comment is never exported
  });

  it('hidden groups and the group hidden against subtraction say «for få svar» and carry no numbers', () => {
    const csv = resultsCsv([{ groupBy: 'staffRole', groups: aggregate(rows, ITEMS, 'staffRole', 5) }], ITEMS, labels, 5);
    const all = lines(csv);
    // SFO (2) is under k; BUA (5, the smallest visible) is hidden too so SFO can't be derived.
    expect(all).toContain('Rolle: SFO-leder;gruppe;(alle spørsmål);for få svar;;;;;;;;');
    expect(all).toContain('Rolle: BUA;gruppe;(alle spørsmål);for få svar;;;;;;;;');
    expect(all.filter((l) => l.startsWith('Rolle: SFO') || l.startsWith('Rolle: BUA'))).toHaveLength(2);
    expect(all.find((l) => l.startsWith('Rolle: Lærer;gruppe'))).toBe('Rolle: Lærer;gruppe;(personer som svarte);6;;;;;;;;');
  });

  it('a group under 2k gets shares but no mean or answers per scale point (they would show a unanimous group)', () => {
    const csv = resultsCsv([{ groupBy: 'staffRole', groups: aggregate(rows, ITEMS, 'staffRole', 5) }], ITEMS, labels, 5);
    // 6 teachers, all answered 4: a count per scale point «0;0;0;6;0» would tell each teacher's answer.
    expect(lines(csv)).toContain('Rolle: Lærer;behov;"Trenger du mer; kompetanse?";6;;100;0;;;;;');
    // With k = 3 the same 6 teachers are at least 2k: the full row.
    expect(lines(resultsCsv([{ groupBy: 'staffRole', groups: aggregate(rows, ITEMS, 'staffRole', 3) }], ITEMS, labels, 3))).toContain('Rolle: Lærer;behov;"Trenger du mer; kompetanse?";6;4;100;0;0;0;0;6;0');
  });

  it('a hidden question inside a visible group is a «for få svar» row with empty numbers', () => {
    const groups: GroupResult[] = [
      {
        key: 'all',
        suppressed: false,
        reason: null,
        respondents: 7,
        themes: [],
        items: [{ itemId: 'need-a', kind: 'need', suppressed: true, reason: 'small', n: null, mean: null, distribution: null, shareHigh: null, shareLow: null }],
      },
    ];
    const csv = resultsCsv([{ groupBy: 'all', groups }], ITEMS, labels, 5);
    expect(lines(csv)[2]).toBe('Alle ansatte;behov;"Trenger du mer; kompetanse?";for få svar;;;;;;;;');
  });

  it('quotes ; " and line breaks, and defuses cells Excel would run as formulas', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('si "hei"')).toBe('"si ""hei"""');
    expect(csvCell('to\nlinjer')).toBe('"to\nlinjer"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+47')).toBe("'+47");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(3.4)).toBe('3,4');
    expect(csvCell(null)).toBe('');
    const evil = resultsCsv([{ groupBy: 'all', groups: aggregate(rows, ITEMS, 'all', 5) }], ITEMS, { group: () => '=cmd|calc' }, 5);
    expect(lines(evil)[1]!.startsWith("'=cmd|calc;")).toBe(true);
  });

  it('several breakdowns follow each other under one header', () => {
    const csv = resultsCsv(
      [
        { groupBy: 'all', groups: aggregate(rows, ITEMS, 'all', 5) },
        { groupBy: 'schoolLevel', groups: aggregate(rows, ITEMS, 'schoolLevel', 5) },
      ],
      ITEMS,
      { group: (by, key) => (by === 'schoolLevel' ? `nivå ${key}` : 'Alle') },
      5,
    );
    expect(lines(csv).filter((l) => l.startsWith('gruppe;'))).toHaveLength(1);
    expect(csv).toContain('\r\nSkolenivå: nivå barnetrinn;gruppe;(personer som svarte);13;');
  });
});
