import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { AppRole } from './commands.ts';
import type { SchoolLevel, StaffRole } from './profile.ts';

/**
 * Roster CSV parsing (Teams/Entra export style): columns, value aliases and
 * row validation. Pure: the caller reads the file; planning is in
 * roster-plan.ts and the report in roster-report.ts.
 */

export type RosterUnitKind = 'county' | 'municipality' | 'school';

/** One valid data row. `line` is the 1-based line in the file (header = line 1). */
export type RosterRow = {
  line: number;
  /** Lowercased. */
  email: string;
  name: string;
  school: string;
  municipality: string | null;
  county: string | null;
  schoolLevel: SchoolLevel | null;
  staffRole: StaffRole | null;
  appRole: AppRole;
  /** Entra (AAD) object id, lowercased; lets the bot link the person on first contact. */
  aadObjectId: string | null;
};

/** `message` is complete and starts with `Linje N:`. */
export type RowError = { line: number; message: string };

export type RosterParseResult = {
  rows: RosterRow[];
  errors: RowError[];
  /** Header names that were not recognised and therefore ignored (Entra exports have many). */
  ignoredColumns: string[];
  delimiter: ',' | ';' | '\t';
};

// ---------------------------------------------------------------------------
// Columns

type FieldId = 'email' | 'name' | 'school' | 'municipality' | 'county' | 'schoolLevel' | 'staffRole' | 'appRole' | 'aadObjectId';

type FieldSpec = { id: FieldId; label: string; required: boolean; aliases: readonly string[] };

/**
 * Header aliases, compared after {@link headerKey} (lowercase, no spaces,
 * hyphens, dots or underscores). When a file has several columns for one
 * field (Entra exports have both `mail` and `userPrincipalName`), each row
 * uses the first non-empty one in alias order.
 */
const FIELDS: readonly FieldSpec[] = [
  { id: 'email', label: 'e-post', required: true, aliases: ['email', 'epost', 'emailaddress', 'epostadresse', 'mail', 'upn', 'userprincipalname'] },
  { id: 'name', label: 'navn', required: true, aliases: ['name', 'navn', 'displayname', 'visningsnavn', 'fulltnavn'] },
  { id: 'school', label: 'skole', required: true, aliases: ['school', 'skole', 'schoolname', 'skolenavn'] },
  { id: 'municipality', label: 'kommune', required: false, aliases: ['municipality', 'kommune'] },
  { id: 'county', label: 'fylke', required: false, aliases: ['county', 'fylke', 'fylkeskommune'] },
  { id: 'schoolLevel', label: 'skolenivå', required: false, aliases: ['schoollevel', 'skolenivå', 'skoleniva', 'trinn'] },
  { id: 'staffRole', label: 'stilling', required: false, aliases: ['stilling', 'staffrole', 'rolleiskolen', 'position'] },
  { id: 'appRole', label: 'tilgang', required: false, aliases: ['approle', 'tilgang', 'rolle', 'role'] },
  { id: 'aadObjectId', label: 'objekt-id', required: false, aliases: ['objectid', 'aadobjectid', 'entraobjectid', 'entraid', 'objektid'] },
];

/** The expected columns, for the "missing headers" message and the docs. */
export const EXPECTED_COLUMNS_TEXT =
  'påkrevd (required): e-post (email, upn, userPrincipalName, mail), navn (name, displayName), skole (school); ' +
  'valgfritt (optional): kommune (municipality), fylke (county), skolenivå (schoolLevel, trinn), ' +
  'stilling (staffRole, position, «rolle i skolen»), tilgang (appRole, rolle), objekt-id (objectId)';

const headerKey = (h: string) => h.normalize('NFC').trim().toLowerCase().replace(/[\s_\-.]+/g, '');
const valueKey = (v: string) => v.normalize('NFC').toLowerCase().replace(/[\s_]+/g, ' ').replace(/\s*-\s*/g, '-').trim();
const cleanText = (v: string) => v.normalize('NFC').replace(/\s+/g, ' ').trim();

function lookup<T extends string>(entries: Record<T, readonly string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(entries) as [T, readonly string[]][]) {
    map.set(valueKey(value), value);
    for (const w of words) map.set(valueKey(w), value);
  }
  return map;
}

const STAFF_ROLE_WORDS = lookup<StaffRole>({
  teacher: ['lærer', 'laerer', 'lærar', 'kontaktlærer', 'faglærer'],
  leader: ['leder', 'leiar', 'rektor', 'inspektør', 'undervisningsinspektør', 'assisterende rektor', 'avdelingsleder', 'avdelingsleiar'],
  child_youth_worker: ['barne- og ungdomsarbeider', 'barne og ungdomsarbeider', 'barne- og ungdomsarbeidar', 'bua'],
  school_assistant: ['assistent', 'skoleassistent', 'elevassistent', 'miljøarbeider', 'miljøarbeidar'],
  unqualified_teacher: ['ukvalifisert lærer', 'ukvalifisert lærar', 'lærer uten godkjent utdanning', 'lærer uten godkjent lærerutdanning'],
  sfo_leader: ['sfo-leder', 'sfo-leiar', 'baseleder', 'baseleiar', 'aks-leder'],
  special_support: ['miljøterapeut', 'spesialpedagog', 'vernepleier', 'vernepleiar', 'sosialarbeider', 'sosialarbeidar', 'sosionom', 'barnevernspedagog', 'annen støttefunksjon', 'støttefunksjon'],
  other: ['annet', 'anna', 'annen'],
});

const SCHOOL_LEVEL_WORDS = lookup<SchoolLevel>({
  barnetrinn: ['barneskole'],
  ungdomstrinn: ['ungdomsskole'],
  vgs_yrkesfag: ['yrkesfag', 'yrkesfaglig'],
  vgs_studieforberedende: ['studieforberedende'],
  kombinert: ['kombinert skole'],
});

const APP_ROLE_WORDS = lookup<AppRole>({
  staff: ['ansatt', 'tilsatt', 'medarbeider'],
  leader: ['leder', 'leiar'],
  coordinator: ['koordinator'],
  admin: ['administrator'],
});

/** Norwegian display names, for messages and the report. */
export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  teacher: 'lærer',
  leader: 'leder',
  child_youth_worker: 'barne- og ungdomsarbeider',
  school_assistant: 'assistent',
  unqualified_teacher: 'lærer uten godkjent utdanning',
  sfo_leader: 'SFO-leder',
  special_support: 'annen støttefunksjon',
  other: 'annet',
};
export const KIND_LABELS: Readonly<Record<RosterUnitKind, string>> = { county: 'fylke', municipality: 'kommune', school: 'skole' };

const emailSchema = z.string().email();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TEXT = 200;

/** The stable key of an imported unit, stored as OrgUnit.externalId: `school:sentrum skole`. */
export function unitKey(kind: RosterUnitKind, name: string): string {
  return `${kind}:${cleanText(name).toLowerCase()}`;
}

// ---------------------------------------------------------------------------
// Parsing

/** Picks `;`, `,` or tab: whichever occurs most often outside quotes in the header line. */
function detectDelimiter(text: string): ',' | ';' | '\t' {
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

/** A row error; the message gets the `Linje N: ` prefix. */
export const rowError = (line: number, message: string): RowError => ({ line, message: `Linje ${line}: ${message}` });

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
 * Parses a roster CSV (UTF-8, with or without BOM; `;`, `,` or tab separated,
 * detected from the header line). Returns the valid rows and one error per
 * problem, each with its line number. Rows with errors are left out of `rows`.
 */
export function parseRosterCsv(text: string): RosterParseResult {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(normalised);
  const result: RosterParseResult = { rows: [], errors: [], ignoredColumns: [], delimiter };
  if (normalised.trim() === '') {
    result.errors.push(rowError(1, 'filen er tom (the file is empty)'));
    return result;
  }
  const { records, error } = readRecords(normalised, delimiter);
  if (error) {
    result.errors.push(error);
    return result;
  }
  const [header, ...data] = records;
  if (!header) {
    result.errors.push(rowError(1, 'filen er tom (the file is empty)'));
    return result;
  }

  // Map each field to the header columns that hold it, in alias order.
  const headerNames = header.record.map((h) => h.trim());
  const columns = new Map<FieldId, number[]>();
  const used = new Set<number>();
  for (const field of FIELDS) {
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
  result.ignoredColumns = headerNames.filter((h, i) => !used.has(i) && h !== '');
  const missing = FIELDS.filter((f) => f.required && !columns.has(f.id));
  if (missing.length > 0) {
    const found = headerNames.filter(Boolean).map((h) => `«${h}»`).join(', ') || '(ingen)';
    result.errors.push(
      rowError(
        header.line,
        `mangler kolonne for ${missing.map((f) => f.label).join(', ')} (missing required column). ` +
          `Forventede kolonner (expected columns): ${EXPECTED_COLUMNS_TEXT}. Fant (found): ${found}. ` +
          `Sjekk også at skilletegnet er semikolon eller komma.`,
      ),
    );
    return result;
  }

  const seenEmail = new Map<string, number>();
  const seenObjectId = new Map<string, number>();
  // Within one file a unit has one parent and one school level.
  const unitFacts = new Map<string, { parent?: { key: string; name: string; line: number }; level?: { value: SchoolLevel; line: number } }>();

  for (const { record, line } of data) {
    if (record.every((v) => v.trim() === '')) continue; // Excel writes ";;;;" for blank rows
    const errors: RowError[] = [];
    const cell = (id: FieldId): { value: string; column: string } => {
      const idx = columns.get(id) ?? [];
      for (const i of idx) {
        const v = record[i]?.trim() ?? '';
        if (v !== '') return { value: v, column: headerNames[i] ?? '' };
      }
      const first = idx[0];
      return { value: '', column: first === undefined ? '' : (headerNames[first] ?? '') };
    };

    if (record.length > headerNames.length && record.slice(headerNames.length).some((v) => v.trim() !== '')) {
      errors.push(rowError(line, `raden har ${record.length} felt, men overskriften har ${headerNames.length} (too many fields) – sjekk skilletegn og anførselstegn`));
    }

    const emailCell = cell('email');
    const email = emailCell.value.toLowerCase();
    if (!email) errors.push(rowError(line, `e-post mangler (kolonne «${emailCell.column}»)`));
    else if (!emailSchema.safeParse(email).success) errors.push(rowError(line, `ugyldig e-post «${emailCell.value}» (kolonne «${emailCell.column}»)`));

    const text = (id: FieldId, label: string, required: boolean): string | null => {
      const c = cell(id);
      const v = cleanText(c.value);
      if (!v) {
        if (required) errors.push(rowError(line, `${label} mangler (kolonne «${c.column}»)`));
        return null;
      }
      if (v.length > MAX_TEXT) {
        errors.push(rowError(line, `${label} er lengre enn ${MAX_TEXT} tegn (kolonne «${c.column}»)`));
        return null;
      }
      return v;
    };
    const name = text('name', 'navn', true);
    const school = text('school', 'skole', true);
    const municipality = text('municipality', 'kommune', false);
    const county = text('county', 'fylke', false);

    const levelCell = cell('schoolLevel');
    let schoolLevel: SchoolLevel | null = null;
    if (levelCell.value) {
      schoolLevel = SCHOOL_LEVEL_WORDS.get(valueKey(levelCell.value)) ?? null;
      if (!schoolLevel) {
        errors.push(rowError(line, `ukjent skolenivå «${levelCell.value}» (kolonne «${levelCell.column}»; gyldige verdier: barnetrinn, ungdomstrinn, yrkesfag, studieforberedende, kombinert)`));
      }
    }

    const roleCell = cell('staffRole');
    let staffRole: StaffRole | null = null;
    if (roleCell.value) {
      staffRole = STAFF_ROLE_WORDS.get(valueKey(roleCell.value)) ?? null;
      if (!staffRole) {
        errors.push(rowError(line, `ukjent stilling «${roleCell.value}» (kolonne «${roleCell.column}»; gyldige verdier: ${Object.values(STAFF_ROLE_LABELS).join(', ')}; se docs/roster-import.md)`));
      }
    }

    const appCell = cell('appRole');
    let appRole: AppRole = 'staff';
    if (appCell.value) {
      const found = APP_ROLE_WORDS.get(valueKey(appCell.value));
      if (found) appRole = found;
      else {
        const hint = STAFF_ROLE_WORDS.has(valueKey(appCell.value)) ? ' – er dette en stilling? Bruk i så fall kolonnen «stilling»' : '';
        errors.push(rowError(line, `ukjent tilgang «${appCell.value}» (kolonne «${appCell.column}»; gyldige verdier: ansatt, leder, koordinator, admin)${hint}`));
      }
    }

    const idCell = cell('aadObjectId');
    const aadObjectId = idCell.value ? idCell.value.toLowerCase() : null;
    if (aadObjectId && !GUID.test(aadObjectId)) errors.push(rowError(line, `ugyldig objekt-id «${idCell.value}» (kolonne «${idCell.column}»; forventet en GUID)`));

    // Duplicates: the second occurrence is the error, naming the first.
    if (email && errors.length === 0) {
      const first = seenEmail.get(email);
      if (first !== undefined) errors.push(rowError(line, `e-post «${email}» står allerede på linje ${first} (duplicate email)`));
      const firstId = aadObjectId ? seenObjectId.get(aadObjectId) : undefined;
      if (firstId !== undefined) errors.push(rowError(line, `objekt-id «${aadObjectId}» står allerede på linje ${firstId} (duplicate object id)`));
    }

    // One parent and one level per unit within the file.
    if (errors.length === 0 && school) {
      const chain: [RosterUnitKind, string | null][] = [['county', county], ['municipality', municipality], ['school', school]];
      const present = chain.filter((c): c is [RosterUnitKind, string] => c[1] !== null);
      for (let i = 1; i < present.length; i++) {
        const [kind, unitName] = present[i]!;
        const [parentKind, parentName] = present[i - 1]!;
        const facts = unitFacts.get(unitKey(kind, unitName));
        if (facts?.parent && facts.parent.key !== unitKey(parentKind, parentName)) {
          errors.push(rowError(line, `${KIND_LABELS[kind]} «${unitName}» står under ${KIND_LABELS[parentKind]} «${facts.parent.name}» på linje ${facts.parent.line}, men under «${parentName}» her`));
        }
      }
      const facts = unitFacts.get(unitKey('school', school));
      if (schoolLevel && facts?.level && facts.level.value !== schoolLevel) {
        errors.push(rowError(line, `skolenivå «${levelCell.value}» for «${school}» strider mot «${facts.level.value}» på linje ${facts.level.line}`));
      }
      if (errors.length === 0) {
        for (let i = 0; i < present.length; i++) {
          const [kind, unitName] = present[i]!;
          const key = unitKey(kind, unitName);
          const f = unitFacts.get(key) ?? {};
          const parent = present[i - 1];
          if (parent && !f.parent) f.parent = { key: unitKey(parent[0], parent[1]), name: parent[1], line };
          if (kind === 'school' && schoolLevel && !f.level) f.level = { value: schoolLevel, line };
          unitFacts.set(key, f);
        }
      }
    }

    if (errors.length > 0) {
      result.errors.push(...errors);
      continue;
    }
    seenEmail.set(email, line);
    if (aadObjectId) seenObjectId.set(aadObjectId, line);
    result.rows.push({ line, email, name: name!, school: school!, municipality, county, schoolLevel, staffRole, appRole, aadObjectId });
  }

  if (result.rows.length === 0 && result.errors.length === 0) {
    result.errors.push(rowError(header.line, 'filen har overskrifter, men ingen rader (no data rows)'));
  }
  return result;
}
