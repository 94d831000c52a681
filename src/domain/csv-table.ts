import { parse } from 'csv-parse/sync';

/**
 * The part every CSV import shares (roster-csv.ts, holiday-csv.ts): BOM and
 * line endings, the delimiter, quoting errors with their line, and header
 * columns found by alias. Pure: the caller reads the file and checks the
 * values of each row.
 */

/** `message` is complete and starts with `Linje N:`. */
export type RowError = { line: number; message: string };

export type CsvDelimiter = ',' | ';' | '\t';

/** A column the import knows: `label` names it in messages, `aliases` are compared after {@link headerKey}. */
export type CsvField<F extends string> = { id: F; label: string; required: boolean; aliases: readonly string[] };

export type CsvRow<F extends string> = {
  /** 1-based line in the file (header = line 1). */
  line: number;
  /** The first non-empty value of the field's columns (in alias order), trimmed, with the column it came from. */
  cell(id: F): { value: string; column: string };
  /** Problems found before any value was read (more fields than the header has). */
  errors: RowError[];
};

export type CsvTable<F extends string> = {
  delimiter: CsvDelimiter;
  headerLine: number;
  /** Data rows, without blank ones (Excel writes ";;;;" for them). */
  rows: CsvRow<F>[];
  /** Header names that were not recognised and therefore ignored. */
  ignoredColumns: string[];
  /** A file-level problem (empty, unreadable, missing columns); `rows` is then empty. */
  error: RowError | null;
};

/** A row error; the message gets the `Linje N: ` prefix. */
export const rowError = (line: number, message: string): RowError => ({ line, message: `Linje ${line}: ${message}` });

/** Header names compare lowercase, without spaces, hyphens, dots or underscores. */
export const headerKey = (h: string) => h.normalize('NFC').trim().toLowerCase().replace(/[\s_\-.]+/g, '');

/** Picks `;`, `,` or tab: whichever occurs most often outside quotes in the header line. */
function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

function csvErrorMessage(err: unknown, lastGoodLine: number): RowError {
  const e = err as { code?: string; lines?: number; message?: string };
  const line = typeof e.lines === 'number' && e.lines > 0 ? e.lines : lastGoodLine + 1;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return rowError(lastGoodLine + 1, 'et anførselstegn (") som starter på eller etter denne linjen, lukkes aldri (unclosed quote)');
    case 'CSV_INVALID_CLOSING_QUOTE':
      return rowError(line, 'tegn rett etter et avsluttende anførselstegn (") – sett hele feltet i anførselstegn og doble anførselstegn inni (invalid quote)');
    default:
      return rowError(line, `ugyldig CSV (${e.message ?? String(err)})`);
  }
}

type Located = { record: string[]; line: number };

function readRecords(text: string, delimiter: string): { records: Located[]; error: RowError | null } {
  let lastGoodLine = 0;
  try {
    const parsed = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record, context) => {
        lastGoodLine = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    // info.lines is the line the record ends on; a quoted field may span lines.
    const records = parsed.map((r) => {
      const body = r.raw.replace(/^\n+/, '').replace(/\n$/, '');
      const inner = body.split('\n').length - 1;
      return { record: r.record, line: r.info.lines - inner };
    });
    return { records, error: null };
  } catch (err) {
    return { records: [], error: csvErrorMessage(err, lastGoodLine) };
  }
}

/**
 * Reads a CSV (UTF-8, with or without BOM; `;`, `,` or tab separated,
 * detected from the header line) into rows whose cells are looked up by
 * field. When a file has several columns for one field, each row uses the
 * first non-empty one in alias order. `expectedColumns` is shown when a
 * required column is missing.
 */
export function readCsvTable<F extends string>(text: string, fields: readonly CsvField<F>[], expectedColumns: string): CsvTable<F> {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(normalised);
  const failed = (error: RowError): CsvTable<F> => ({ delimiter, headerLine: error.line, rows: [], ignoredColumns: [], error });
  if (normalised.trim() === '') return failed(rowError(1, 'filen er tom (the file is empty)'));
  const { records, error } = readRecords(normalised, delimiter);
  if (error) return failed(error);
  const [header, ...data] = records;
  if (!header) return failed(rowError(1, 'filen er tom (the file is empty)'));

  // Map each field to the header columns that hold it, in alias order.
  const headerNames = header.record.map((h) => h.trim());
  const columns = new Map<F, number[]>();
  const used = new Set<number>();
  for (const field of fields) {
    const idx: number[] = [];
    for (const alias of field.aliases) {
      headerNames.forEach((h, i) => {
        if (headerKey(h) === headerKey(alias) && !used.has(i)) {
          idx.push(i);
          used.add(i);
        }
      });
    }
    if (idx.length > 0) columns.set(field.id, idx);
  }
  const ignoredColumns = headerNames.filter((h, i) => !used.has(i) && h !== '');
  const missing = fields.filter((f) => f.required && !columns.has(f.id));
  if (missing.length > 0) {
    const found = headerNames.filter(Boolean).map((h) => `«${h}»`).join(', ') || '(ingen)';
    return {
      ...failed(
        rowError(
          header.line,
          `mangler kolonne for ${missing.map((f) => f.label).join(', ')} (missing required column). ` +
            `Forventede kolonner (expected columns): ${expectedColumns}. Fant (found): ${found}. ` +
            `Sjekk også at skilletegnet er semikolon eller komma.`,
        ),
      ),
      ignoredColumns,
    };
  }

  const rows = data
    .filter(({ record }) => record.some((v) => v.trim() !== ''))
    .map(({ record, line }): CsvRow<F> => ({
      line,
      cell(id) {
        const idx = columns.get(id) ?? [];
        for (const i of idx) {
          const v = record[i]?.trim() ?? '';
          if (v !== '') return { value: v, column: headerNames[i] ?? '' };
        }
        const first = idx[0];
        return { value: '', column: first === undefined ? '' : (headerNames[first] ?? '') };
      },
      errors:
        record.length > headerNames.length && record.slice(headerNames.length).some((v) => v.trim() !== '')
          ? [rowError(line, `raden har ${record.length} felt, men overskriften har ${headerNames.length} (too many fields) – sjekk skilletegn og anførselstegn`)]
          : [],
    }));
  return { delimiter, headerLine: header.line, rows, ignoredColumns, error: null };
}
