import { readCsvTable, rowError, type CsvDelimiter, type CsvField, type RowError } from './csv-table.ts';
import type { DateRange } from './holidays.ts';
import { holidayName, holidayRange, MAX_HOLIDAY_DAYS, type HolidayRangeProblem, type SchoolHoliday } from './school-holidays.ts';
import type { UnitNode } from './unit-scope.ts';

/**
 * The skolerute CSV for `npm run holidays:add`: one holiday a row, for a unit
 * named by its name or id. Pure: the script reads the file and the database.
 *
 *   enhet;fra;til;navn
 *   Fjordvik kommune;21.12.2026;01.01.2027;Juleferie
 */

type FieldId = 'unit' | 'from' | 'to' | 'name';

const FIELDS: readonly CsvField<FieldId>[] = [
  { id: 'unit', label: 'enhet', required: true, aliases: ['enhet', 'unit', 'skole', 'school', 'kommune', 'municipality', 'enhetsid', 'unitid', 'id'] },
  { id: 'from', label: 'fra', required: true, aliases: ['fra', 'from', 'fradato', 'fom', 'start', 'førstedag', 'firstday', 'startdato', 'startdate'] },
  { id: 'to', label: 'til', required: false, aliases: ['til', 'to', 'tildato', 'tom', 'slutt', 'sistedag', 'lastday', 'sluttdato', 'enddate'] },
  { id: 'name', label: 'navn', required: false, aliases: ['navn', 'name', 'ferie', 'holiday', 'beskrivelse', 'description'] },
];

export const HOLIDAY_COLUMNS_TEXT =
  'påkrevd (required): enhet (unit, skole, kommune: navn eller id), fra (from); valgfritt (optional): til (to; tomt = én dag), navn (name). ' +
  'Datoer som 21.12.2026 eller 2026-12-21';

export type HolidayCsvRow = { line: number; unit: string; range: DateRange; name: string | null };
export type HolidayCsvResult = { rows: HolidayCsvRow[]; errors: RowError[]; ignoredColumns: string[]; delimiter: CsvDelimiter };

function rangeMessage(e: HolidayRangeProblem, columns: { from: string; to: string }): string {
  if (e.problem === 'date') return `ugyldig dato «${e.text}» (kolonne «${columns.from}» / «${columns.to}»; skriv f.eks. 21.12.2026 eller 2026-12-21)`;
  if (e.problem === 'order') return `siste dag ${e.to} er før første dag ${e.from} (to before from)`;
  return `ferien er ${e.days} dager; høyst ${MAX_HOLIDAY_DAYS} dager i én rad (too long – skriv hver ferie på sin egen rad)`;
}

/** Parses the file; every bad row gets an error naming its line, and is left out of `rows`. */
export function parseHolidayCsv(text: string): HolidayCsvResult {
  const table = readCsvTable(text, FIELDS, HOLIDAY_COLUMNS_TEXT);
  const result: HolidayCsvResult = { rows: [], errors: table.error ? [table.error] : [], ignoredColumns: table.ignoredColumns, delimiter: table.delimiter };
  if (table.error) return result;
  for (const { line, cell, errors } of table.rows) {
    const unit = cell('unit');
    if (!unit.value) errors.push(rowError(line, `enhet mangler (kolonne «${unit.column}»)`));
    const from = cell('from');
    const to = cell('to');
    if (!from.value) errors.push(rowError(line, `første dag mangler (kolonne «${from.column}»)`));
    const read = from.value ? holidayRange(from.value, to.value) : null;
    if (read && !read.ok) errors.push(rowError(line, rangeMessage(read.error, { from: from.column, to: to.column || 'til' })));
    if (errors.length > 0 || !read?.ok) {
      result.errors.push(...errors);
      continue;
    }
    result.rows.push({ line, unit: unit.value, range: read.range, name: holidayName(cell('name').value) });
  }
  if (result.rows.length === 0 && result.errors.length === 0) result.errors.push(rowError(table.headerLine, 'filen har overskrifter, men ingen rader (no data rows)'));
  return result;
}

export type HolidayImportPlan = {
  add: Array<SchoolHoliday & { line: number; unitName: string }>;
  /** Rows already stored for the unit with the same dates. */
  unchanged: Array<{ line: number; unitName: string } & DateRange>;
  errors: RowError[];
};

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Matches each row's unit (by id, or by name when exactly one unit has it)
 * and leaves out what is already stored. A unit that is not found, a name
 * several units share, or the same unit and dates twice in the file is an
 * error naming the row.
 */
export function planHolidayImport(rows: readonly HolidayCsvRow[], units: readonly UnitNode[], existing: readonly SchoolHoliday[]): HolidayImportPlan {
  const plan: HolidayImportPlan = { add: [], unchanged: [], errors: [] };
  const key = (unitId: string, r: DateRange) => `${unitId}|${r.from}|${r.to}`;
  const stored = new Set(existing.map((h) => key(h.unitId, h)));
  const seen = new Map<string, number>();
  for (const row of rows) {
    const byId = units.find((u) => u.id.toLowerCase() === row.unit.toLowerCase());
    const byName = byId ? [byId] : units.filter((u) => norm(u.name) === norm(row.unit));
    if (byName.length === 0) {
      plan.errors.push(rowError(row.line, `finner ingen enhet «${row.unit}» (unit not found; bruk navnet slik det står i Teams eller importen, eller enhetens id)`));
      continue;
    }
    if (byName.length > 1) {
      plan.errors.push(rowError(row.line, `${byName.length} enheter heter «${row.unit}» (ambiguous); bruk id-en: ${byName.map((u) => u.id).join(', ')}`));
      continue;
    }
    const unit = byName[0]!;
    const k = key(unit.id, row.range);
    const first = seen.get(k);
    if (first !== undefined) {
      plan.errors.push(rowError(row.line, `samme enhet og datoer som linje ${first} (duplicate)`));
      continue;
    }
    seen.set(k, row.line);
    if (stored.has(k)) plan.unchanged.push({ line: row.line, unitName: unit.name, ...row.range });
    else plan.add.push({ line: row.line, unitId: unit.id, unitName: unit.name, ...row.range, name: row.name });
  }
  return plan;
}
