import { z } from 'zod';
import type { AppRole } from './commands.ts';
import type { SchoolLevel, StaffRole } from './profile.ts';
import { readCsvTable, rowError, type CsvField, type RowError } from './csv-table.ts';

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

export { rowError, type RowError };

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

type FieldSpec = CsvField<FieldId>;

/**
 * Header aliases, compared after `headerKey` in csv-table.ts (lowercase, no spaces,
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

/**
 * Parses a roster CSV (UTF-8, with or without BOM; `;`, `,` or tab separated,
 * detected from the header line). Returns the valid rows and one error per
 * problem, each with its line number. Rows with errors are left out of `rows`.
 */
export function parseRosterCsv(text: string): RosterParseResult {
  const table = readCsvTable(text, FIELDS, EXPECTED_COLUMNS_TEXT);
  const result: RosterParseResult = { rows: [], errors: table.error ? [table.error] : [], ignoredColumns: table.ignoredColumns, delimiter: table.delimiter };
  if (table.error) return result;

  const seenEmail = new Map<string, number>();
  const seenObjectId = new Map<string, number>();
  // Within one file a unit has one parent and one school level.
  const unitFacts = new Map<string, { parent?: { key: string; name: string; line: number }; level?: { value: SchoolLevel; line: number } }>();

  for (const { line, cell, errors } of table.rows) {
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
    result.errors.push(rowError(table.headerLine, 'filen har overskrifter, men ingen rader (no data rows)'));
  }
  return result;
}
