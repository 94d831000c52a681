import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../../src/domain/profile.ts';
import { parseRosterCsv, unitKey } from '../../src/domain/roster-csv.ts';
import { planRosterImport, type RosterState } from '../../src/domain/roster-plan.ts';
import { SchoolLevel as PrismaSchoolLevel, StaffRole as PrismaStaffRole } from '../../src/generated/prisma/enums.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/roster');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const empty = (): RosterState => ({ rootUnitId: 'root', units: [], people: [], memberships: [], roles: [] });
const messages = (text: string) => parseRosterCsv(text).errors.map((e) => e.message);

describe('parseRosterCsv: format', () => {
  it('keeps the staff role and school level lists (profile.ts) in step with the Prisma schema', () => {
    expect([...STAFF_ROLES].sort()).toEqual(Object.values(PrismaStaffRole).sort());
    expect([...SCHOOL_LEVELS].sort()).toEqual(Object.values(PrismaSchoolLevel).sort());
  });

  it('reads a semicolon file with BOM and CRLF (Norwegian Excel) and a comma file without BOM alike', () => {
    const semicolon = '\uFEFFE-post;Navn;Skole\r\nkari@x.no;Kari Nordmann;Sentrum skole\r\n';
    const comma = 'email,name,school\nkari@x.no,Kari Nordmann,Sentrum skole\n';
    const a = parseRosterCsv(semicolon);
    const b = parseRosterCsv(comma);
    expect(a.delimiter).toBe(';');
    expect(b.delimiter).toBe(',');
    expect(a.errors).toEqual([]);
    expect(a.rows).toEqual(b.rows);
    expect(a.rows[0]).toMatchObject({ line: 2, email: 'kari@x.no', name: 'Kari Nordmann', school: 'Sentrum skole', appRole: 'staff', staffRole: null });
  });

  it('detects the delimiter from the header only: commas inside a semicolon file are data, and the reverse', () => {
    const r1 = parseRosterCsv('navn;e-post;skole\nNordmann, Kari;kari@x.no;Skole A\n');
    expect(r1.rows[0]?.name).toBe('Nordmann, Kari');
    const r2 = parseRosterCsv('name,email,school\n"Kari; K",kari@x.no,"Skole, A"\n');
    expect(r2.rows[0]).toMatchObject({ name: 'Kari; K', school: 'Skole, A' });
    const tab = parseRosterCsv('name\temail\tschool\nKari\tkari@x.no\tSkole A\n');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows).toHaveLength(1);
  });

  it('accepts Norwegian and English header aliases in any case', () => {
    const nb = parseRosterCsv('EPOST;NAVN;SKOLE;KOMMUNE;SKOLENIVÅ;STILLING;TILGANG\nkari@x.no;Kari;A skole;Bykommune;Barnetrinn;Lærer;Koordinator\n');
    const en = parseRosterCsv('Email,DisplayName,School,Municipality,SchoolLevel,StaffRole,AppRole\nkari@x.no,Kari,A skole,Bykommune,barnetrinn,teacher,coordinator\n');
    const mixed = parseRosterCsv('UPN;Name;Skole;Kommune;Trinn;Rolle i skolen;Rolle\nKARI@X.NO;Kari;A skole;Bykommune;barnetrinn;teacher;coordinator\n');
    for (const r of [nb, en, mixed]) {
      expect(r.errors).toEqual([]);
      expect(r.rows[0]).toEqual({
        line: 2, email: 'kari@x.no', name: 'Kari', school: 'A skole', municipality: 'Bykommune', county: null,
        schoolLevel: 'barnetrinn', staffRole: 'teacher', appRole: 'coordinator', aadObjectId: null,
      });
    }
  });

  it('reads an Entra export: mail before userPrincipalName, object id kept, other columns ignored and reported', () => {
    const csv = [
      'userPrincipalName,displayName,mail,objectId,jobTitle,department,skole',
      'kari@x.onmicrosoft.com,Kari,kari@x.no,6F1C2D3E-0000-4000-8000-000000000001,Lærer,Skole A,Skole A',
      'ola@x.onmicrosoft.com,Ola,,6f1c2d3e-0000-4000-8000-000000000002,,,Skole A',
    ].join('\n');
    const r = parseRosterCsv(csv);
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.email, x.aadObjectId])).toEqual([
      ['kari@x.no', '6f1c2d3e-0000-4000-8000-000000000001'],
      ['ola@x.onmicrosoft.com', '6f1c2d3e-0000-4000-8000-000000000002'],
    ]);
    expect(r.ignoredColumns).toEqual(['jobTitle', 'department']);
  });

  it.each([
    ['lærer', 'teacher'], ['Lærer', 'teacher'], ['teacher', 'teacher'],
    ['leder', 'leader'], ['Rektor', 'leader'], ['inspektør', 'leader'],
    ['barne- og ungdomsarbeider', 'child_youth_worker'], ['BUA', 'child_youth_worker'], ['child_youth_worker', 'child_youth_worker'],
    ['assistent', 'school_assistant'], ['skoleassistent', 'school_assistant'], ['miljøarbeider', 'school_assistant'],
    ['ukvalifisert lærer', 'unqualified_teacher'], ['lærer uten godkjent utdanning', 'unqualified_teacher'],
    ['SFO-leder', 'sfo_leader'], ['baseleder', 'sfo_leader'], ['sfo_leader', 'sfo_leader'],
    ['miljøterapeut', 'special_support'], ['spesialpedagog', 'special_support'], ['vernepleier', 'special_support'], ['sosialarbeider', 'special_support'],
    ['annet', 'other'], ['other', 'other'],
  ])('stilling «%s» → %s', (word, role) => {
    const r = parseRosterCsv(`e-post;navn;skole;stilling\nkari@x.no;Kari;A;${word}\n`);
    expect(r.errors).toEqual([]);
    expect(r.rows[0]?.staffRole).toBe(role);
  });

  it.each([
    ['barnetrinn', 'barnetrinn'], ['Ungdomstrinn', 'ungdomstrinn'], ['vgs_yrkesfag', 'vgs_yrkesfag'], ['yrkesfag', 'vgs_yrkesfag'],
    ['VGS_studieforberedende', 'vgs_studieforberedende'], ['studieforberedende', 'vgs_studieforberedende'], ['kombinert', 'kombinert'],
  ])('skolenivå «%s» → %s', (word, level) => {
    expect(parseRosterCsv(`e-post;navn;skole;skolenivå\nkari@x.no;Kari;A;${word}\n`).rows[0]?.schoolLevel).toBe(level);
  });

  it.each([['', 'staff'], ['ansatt', 'staff'], ['leder', 'leader'], ['koordinator', 'coordinator'], ['admin', 'admin'], ['Coordinator', 'coordinator']])(
    'tilgang «%s» → %s',
    (word, role) => {
      expect(parseRosterCsv(`e-post;navn;skole;tilgang\nkari@x.no;Kari;A;${word}\n`).rows[0]?.appRole).toBe(role);
    },
  );

  it('makes a county column a county unit above the municipality', () => {
    const r = parseRosterCsv('e-post;navn;skole;kommune;fylke\nkari@x.no;Kari;A skole;Bykommune;Vestfylke\n');
    expect(r.rows[0]).toMatchObject({ municipality: 'Bykommune', county: 'Vestfylke' });
    const plan = planRosterImport(r.rows, empty());
    expect(plan.units.create.map((u) => [u.kind, u.parentKey])).toEqual([
      ['county', null],
      ['municipality', 'county:vestfylke'],
      ['school', 'municipality:bykommune'],
    ]);
  });
});

describe('parseRosterCsv: errors carry the line number in the file', () => {
  it('reports each bad value with line, column and value, and leaves the row out', () => {
    const csv = [
      'E-post;Navn;Skole;Stilling;Tilgang;Skolenivå', // 1
      'kari@x.no;Kari;A;lærer;;', // 2
      '', // 3 (blank lines keep their numbers)
      'kari@;Kari 2;A;;;', // 4
      'ola@x.no;;A;;;', // 5
      'per@x.no;Per;;;;', // 6
      'liv@x.no;Liv;A;vaktmester;;', // 7
      'eva@x.no;Eva;A;;sjef;', // 8
      'ida@x.no;Ida;A;;lærer;', // 9
      'siv@x.no;Siv;A;;;videregående', // 10
    ].join('\r\n');
    const r = parseRosterCsv(csv);
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'Linje 4: ugyldig e-post «kari@» (kolonne «E-post»)',
      'Linje 5: navn mangler (kolonne «Navn»)',
      'Linje 6: skole mangler (kolonne «Skole»)',
      expect.stringMatching(/^Linje 7: ukjent stilling «vaktmester» \(kolonne «Stilling»; gyldige verdier: lærer, leder, /),
      expect.stringMatching(/^Linje 8: ukjent tilgang «sjef» \(kolonne «Tilgang»; gyldige verdier: ansatt, leder, koordinator, admin\)$/),
      expect.stringMatching(/^Linje 9: ukjent tilgang «lærer» .*er dette en stilling\? Bruk i så fall kolonnen «stilling»/),
      expect.stringMatching(/^Linje 10: ukjent skolenivå «videregående»/),
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });

  it('counts the lines of a quoted field that spans several lines', () => {
    const csv = 'e-post;navn;skole\nkari@x.no;"Kari\nNordmann";A\nbad;Ola;A\n';
    const r = parseRosterCsv(csv);
    expect(r.rows[0]).toMatchObject({ line: 2, name: 'Kari Nordmann' });
    expect(r.errors.map((e) => e.message)).toEqual(['Linje 4: ugyldig e-post «bad» (kolonne «e-post»)']);
  });

  it('reports a duplicate email (any case) on its second occurrence, naming the first line', () => {
    const r = parseRosterCsv('e-post;navn;skole\nkari@x.no;Kari;A\nola@x.no;Ola;A\nKari@X.no;Kari igjen;B\n');
    expect(r.rows.map((x) => x.line)).toEqual([2, 3]);
    expect(messages('e-post;navn;skole\nkari@x.no;Kari;A\nola@x.no;Ola;A\nKari@X.no;Kari igjen;B\n')).toEqual([
      'Linje 4: e-post «kari@x.no» står allerede på linje 2 (duplicate email)',
    ]);
  });

  it('gives one file-level error listing the expected columns when required headers are missing', () => {
    const errors = parseRosterCsv('mail address;fullname;school\nkari@x.no;Kari;A\n').errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(1);
    expect(errors[0]!.message).toMatch(/^Linje 1: mangler kolonne for e-post, navn/);
    expect(errors[0]!.message).toContain('Forventede kolonner');
    expect(errors[0]!.message).toContain('«mail address», «fullname», «school»');
  });

  it('a file separated by something else cannot find its columns', () => {
    expect(messages('e-post|navn|skole\nkari@x.no|Kari|A\n')[0]).toMatch(/^Linje 1: mangler kolonne for e-post, navn, skole/);
  });

  it('reports an empty file, a header-only file, and skips Excel blank rows', () => {
    expect(messages('')).toEqual(['Linje 1: filen er tom (the file is empty)']);
    expect(messages('\uFEFF\r\n  \r\n')).toEqual(['Linje 1: filen er tom (the file is empty)']);
    expect(messages('e-post;navn;skole\n;;\n')).toEqual(['Linje 1: filen har overskrifter, men ingen rader (no data rows)']);
    expect(parseRosterCsv('e-post;navn;skole\nkari@x.no;Kari;A\n;;\n;;\n').errors).toEqual([]);
  });

  it('reports broken quoting and extra fields with their line', () => {
    expect(messages('e-post;navn;skole\nkari@x.no;Kari;A\nola@x.no;"Ola;A\n')).toEqual([
      'Linje 3: et anførselstegn (") som starter på eller etter denne linjen, lukkes aldri (unclosed quote)',
    ]);
    expect(messages('e-post;navn;skole\nkari@x.no;Kari;A;ekstra\n')).toEqual([
      'Linje 2: raden har 4 felt, men overskriften har 3 (too many fields) – sjekk skilletegn og anførselstegn',
    ]);
  });

  it('refuses a school placed under two municipalities or given two levels in one file', () => {
    const csv = 'e-post;navn;skole;kommune;skolenivå\na@x.no;A;Sentrum skole;Nord;barnetrinn\nb@x.no;B;sentrum  skole;Sør;\nc@x.no;C;Sentrum skole;;ungdomstrinn\nd@x.no;D;Sentrum skole;;\n';
    expect(messages(csv)).toEqual([
      'Linje 3: skole «sentrum skole» står under kommune «Nord» på linje 2, men under «Sør» her',
      'Linje 4: skolenivå «ungdomstrinn» for «Sentrum skole» strider mot «barnetrinn» på linje 2',
    ]);
  });

  it('parses the sample files', () => {
    const good = parseRosterCsv(fixture('good.csv'));
    expect(good.errors).toEqual([]);
    expect(good.rows).toHaveLength(12);
    expect(new Set(good.rows.map((r) => r.school))).toEqual(new Set(['Fjordvik barneskole', 'Fjordvik ungdomsskole']));
    expect(good.rows.map((r) => r.staffRole)).toEqual(expect.arrayContaining(['child_youth_worker', 'school_assistant', 'leader', 'teacher']));
    expect(good.rows.map((r) => r.appRole)).toEqual(expect.arrayContaining(['leader', 'coordinator']));

    const bad = parseRosterCsv(fixture('bad.csv'));
    expect(bad.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(bad.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Linje 3: ugyldig e-post «kari@»/),
      expect.stringMatching(/^Linje 4: navn mangler/),
      expect.stringMatching(/^Linje 5: ukjent stilling «vaktmester»/),
      expect.stringMatching(/^Linje 6: e-post «kari\.nordmann@fjordvik\.example\.no» står allerede på linje 2/),
    ]);
  });
});

describe('unitKey', () => {
  it('is the kind and the cleaned, lowercased name', () => {
    expect(unitKey('school', '  Fjordvik   Barneskole ')).toBe('school:fjordvik barneskole');
  });
});
