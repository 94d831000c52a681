/**
 * The anonymous aggregates of a pulse as CSV for Norwegian Excel, pure.
 *
 * Excel in Norwegian locale opens a file by double-click only when it is
 * semicolon-separated, starts with a UTF-8 BOM (else æøå break) and uses a
 * decimal comma. Rows end with CRLF. Input is what aggregate() returns, so the
 * anonymity rules are already applied: a hidden group or question becomes a
 * row saying «for få svar» with empty number columns — never a number.
 *
 * Text cells are quoted when they hold `;`, `"` or a line break, and cells that
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a
 * leading apostrophe (CSV injection).
 */
import type { GroupResult, ItemResult } from './aggregate-results.ts';
import type { PulseItem } from './pulse-content.ts';

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const TOO_FEW = 'for få svar';

export const CSV_HEADER = ['gruppe', 'type', 'spørsmål/tema', 'antall svar', 'snitt', 'andel 4–5 (%)', 'andel 1–2 (%)', 'fordeling 1', 'fordeling 2', 'fordeling 3', 'fordeling 4', 'fordeling 5'] as const;

export type CsvBreakdown = 'all' | 'staffRole' | 'schoolLevel';
export type CsvSection = { groupBy: CsvBreakdown; groups: readonly GroupResult[] };
export type CsvLabels = {
  /** Name of a group in a breakdown ('all' = everyone, 'unknown' = no role/level given). */
  group(groupBy: CsvBreakdown, key: string): string;
  /** Text of a question (default: the bokmål text of the item). */
  item?(item: PulseItem): string;
};

const KIND_NB: Record<string, string> = {
  competence: 'kompetanse',
  importance: 'viktighet',
  need: 'behov',
  barrier: 'hindring',
  organisation: 'organisering',
  checkback: 'oppfølging',
  comment: 'kommentar',
};
const BREAKDOWN_NB: Record<CsvBreakdown, string> = { all: '', staffRole: 'Rolle: ', schoolLevel: 'Skolenivå: ' };

/** One cell, neutralised against formulas and quoted when needed. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = typeof value === 'number' ? decimalComma(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** 3.4 → "3,4" (Norwegian Excel reads a dot as text or a date). */
export function decimalComma(n: number): string {
  return String(n).replace('.', ',');
}

const row = (cells: ReadonlyArray<string | number | null>) => cells.map(csvCell).join(CSV_SEPARATOR);
/** snitt, andel 4–5, andel 1–2, fordeling 1–5. */
const EMPTY_NUMBERS = [null, null, null, null, null, null, null, null] as const;

/**
 * Answers per scale point (and the mean, which with n tells the same) only
 * for questions at least 2k answered: in a smaller group they would show
 * that everyone, or everyone but one, gave the same answer (README, small
 * groups and extreme shares). The shares are on the card too.
 */
function itemRow(group: string, item: ItemResult, text: string, k: number): string {
  const kind = KIND_NB[item.kind] ?? item.kind;
  if (item.suppressed) return row([group, kind, text, TOO_FEW, ...EMPTY_NUMBERS]);
  if (item.n < 2 * k) return row([group, kind, text, item.n, null, item.shareHigh, item.shareLow, null, null, null, null, null]);
  return row([group, kind, text, item.n, item.mean, item.shareHigh, item.shareLow, ...item.distribution]);
}

/**
 * CSV text (with BOM) of one or more breakdowns of the same pulse. Per
 * visible group: a «gruppe» row with the number of people who answered, then
 * one row per scale question; per hidden group: one «for få svar» row.
 *
 * @example resultsCsv([{ groupBy: 'all', groups: aggregate(rows, items, 'all', 5) }], items, { group: () => 'Alle ansatte' })
 */
export function resultsCsv(sections: readonly CsvSection[], items: readonly PulseItem[], labels: CsvLabels, k: number): string {
  const itemText = (id: string) => {
    const item = items.find((i) => i.id === id);
    return item ? (labels.item ? labels.item(item) : item.text.nb) : id;
  };
  const lines = [row([...CSV_HEADER])];
  for (const section of sections) {
    for (const g of section.groups) {
      const name = `${BREAKDOWN_NB[section.groupBy]}${labels.group(section.groupBy, g.key)}`;
      if (g.suppressed) {
        lines.push(row([name, 'gruppe', '(alle spørsmål)', TOO_FEW, ...EMPTY_NUMBERS]));
        continue;
      }
      lines.push(row([name, 'gruppe', '(personer som svarte)', g.respondents, ...EMPTY_NUMBERS]));
      for (const item of g.items) lines.push(itemRow(name, item, itemText(item.itemId), k));
    }
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
