import { describe, expect, it } from 'vitest';
import { parseHolidayCommand, splitUnitName } from '../../src/domain/holiday-command.ts';
import { parseHolidayCsv, planHolidayImport } from '../../src/domain/holiday-csv.ts';
import { fallsOnSkippedHoliday, nextOccurrence, occurrencesBetween, osloLocalToInstant, type PlanSchedule } from '../../src/domain/schedule.ts';
import { holidayRange, holidaysForUnit, parseCalendarDate, unitsWithoutSchoolHolidays, upcomingHolidays, type SchoolHoliday } from '../../src/domain/school-holidays.ts';
import type { UnitNode } from '../../src/domain/unit-scope.ts';

const unit = (id: string, parentId: string | null, kind: UnitNode['kind'], name = id): UnitNode => ({ id, parentId, kind, name });
// root → Fjordvik kommune → Nordby skole → 5A; Sørby skole straight under root.
const UNITS = [
  unit('root', null, 'organisation', 'Organisasjon'),
  unit('kommune', 'root', 'municipality', 'Fjordvik kommune'),
  unit('nordby', 'kommune', 'school', 'Nordby skole'),
  unit('5a', 'nordby', 'team', '5A'),
  unit('sorby', 'root', 'school', 'Sørby skole'),
];
const juleferie: SchoolHoliday = { unitId: 'kommune', from: '2026-12-21', to: '2027-01-01', name: 'Juleferie' };
const nordbyPlanDay: SchoolHoliday = { unitId: 'nordby', from: '2027-01-04', to: '2027-01-04', name: 'Planleggingsdag' };
const oslo = (date: string, time = '14:00') => osloLocalToInstant(date, time);

describe('school holidays: which apply to a unit', () => {
  it('a kommune’s holiday covers its schools and their teams, not a school elsewhere; a school adds its own', () => {
    const all = [juleferie, nordbyPlanDay];
    expect(holidaysForUnit(UNITS, all, 'kommune')).toEqual([juleferie]);
    expect(holidaysForUnit(UNITS, all, 'nordby')).toEqual([juleferie, nordbyPlanDay]);
    expect(holidaysForUnit(UNITS, all, '5a')).toEqual([juleferie, nordbyPlanDay]);
    expect(holidaysForUnit(UNITS, all, 'sorby')).toEqual([]);
    expect(holidaysForUnit(UNITS, all, 'root')).toEqual([]);
  });

  it('a weekly Wednesday plan for a school skips 23 and 30 December in the kommune’s juleferie, and sends on 6 January', () => {
    const schedule: PlanSchedule = { firstSendAt: oslo('2026-12-09'), recurrence: 'weekly', skipHolidays: true, holidays: holidaysForUnit(UNITS, [juleferie], 'nordby'), endsAt: null };
    const sends = occurrencesBetween(schedule, oslo('2026-12-01'), oslo('2027-01-31'), 4);
    expect(sends.map((d) => d.toISOString())).toEqual([oslo('2026-12-09'), oslo('2026-12-16'), oslo('2027-01-06'), oslo('2027-01-13')].map((d) => d.toISOString()));
    expect(nextOccurrence(schedule, oslo('2026-12-16'))).toEqual(oslo('2027-01-06'));
    expect(fallsOnSkippedHoliday(schedule, oslo('2026-12-23'))).toBe(true);
    // Public holidays only (what today's calendar knew): 23 December is sent.
    const publicOnly = { ...schedule, holidays: [] };
    expect(nextOccurrence(publicOnly, oslo('2026-12-16'))).toEqual(oslo('2026-12-23'));
    expect(fallsOnSkippedHoliday(publicOnly, oslo('2026-12-23'))).toBe(false);
    expect(fallsOnSkippedHoliday(publicOnly, oslo('2026-12-25'))).toBe(true);
    // Not skipping, or a one-off: always sent.
    expect(fallsOnSkippedHoliday({ ...schedule, skipHolidays: false }, oslo('2026-12-23'))).toBe(false);
    expect(fallsOnSkippedHoliday({ ...schedule, recurrence: 'none' }, oslo('2026-12-23'))).toBe(false);
    // Sørby skole is not in the kommune: its plan sends on 23 December.
    expect(nextOccurrence({ ...schedule, holidays: holidaysForUnit(UNITS, [juleferie], 'sorby') }, oslo('2026-12-16'))).toEqual(oslo('2026-12-23'));
  });

  it('lists what is not over yet and starts within 12 months, by first day', () => {
    const old: SchoolHoliday = { unitId: 'kommune', from: '2026-10-05', to: '2026-10-09', name: 'Høstferie' };
    const far: SchoolHoliday = { unitId: 'kommune', from: '2028-01-03', to: '2028-01-03', name: null };
    const list = [nordbyPlanDay, far, juleferie, old];
    expect(upcomingHolidays(list, '2026-12-22')).toEqual([juleferie, nordbyPlanDay]);
    expect(upcomingHolidays(list, '2027-01-02')).toEqual([nordbyPlanDay]);
  });

  it('names the schools no skolerute covers, and says when none has one', () => {
    expect(unitsWithoutSchoolHolidays(UNITS, [juleferie], UNITS)).toEqual({ units: [UNITS[4]], all: false });
    expect(unitsWithoutSchoolHolidays(UNITS, [], UNITS)).toEqual({ units: [UNITS[2], UNITS[4]], all: true });
    expect(unitsWithoutSchoolHolidays(UNITS, [juleferie, { ...juleferie, unitId: 'root' }], UNITS)).toEqual({ units: [], all: false });
    // A tenant of Teams teams only: the teams themselves are checked.
    const teams = [unit('root', null, 'organisation'), unit('t1', 'root', 'team', 'Lærerteamet')];
    expect(unitsWithoutSchoolHolidays(teams, [], teams.slice(1))).toEqual({ units: [teams[1]], all: true });
  });
});

describe('school holidays: dates as people write them', () => {
  it('reads Norwegian and ISO dates, and refuses what is no calendar date', () => {
    expect(parseCalendarDate('21.12.2026')).toBe('2026-12-21');
    expect(parseCalendarDate('1.1.27')).toBe('2027-01-01');
    expect(parseCalendarDate('21/12/2026')).toBe('2026-12-21');
    expect(parseCalendarDate(' 2026-12-21 ')).toBe('2026-12-21');
    for (const bad of ['31.02.2027', '32.12.2026', '2026-13-01', '21.12', 'juleferie', '', '21.12.202']) expect(parseCalendarDate(bad), bad).toBeNull();
  });

  it('one day, a range, the last day before the first, and a range too long to be a holiday', () => {
    expect(holidayRange('17.05.2027', '')).toEqual({ ok: true, range: { from: '2027-05-17', to: '2027-05-17' } });
    expect(holidayRange('20.06.2027', '17.08.2027')).toEqual({ ok: true, range: { from: '2027-06-20', to: '2027-08-17' } });
    expect(holidayRange('01.01.2027', '21.12.2026')).toEqual({ ok: false, error: { problem: 'order', from: '2027-01-01', to: '2026-12-21' } });
    expect(holidayRange('01.01.2026', '01.01.2027')).toEqual({ ok: false, error: { problem: 'tooLong', days: 366 } });
    expect(holidayRange('30.02.2027', '')).toEqual({ ok: false, error: { problem: 'date', text: '30.02.2027' } });
  });
});

describe('school holidays: the «ferie» command', () => {
  it('lists, adds and removes in bokmål, nynorsk and English', () => {
    const range = { from: '2026-12-21', to: '2027-01-01' };
    expect(parseHolidayCommand('ferie')).toEqual({ kind: 'list', rest: '' });
    expect(parseHolidayCommand('Skolerute Nordby skole')).toEqual({ kind: 'list', rest: 'Nordby skole' });
    expect(parseHolidayCommand('skulerute')).toEqual({ kind: 'list', rest: '' });
    expect(parseHolidayCommand('holidays')).toEqual({ kind: 'list', rest: '' });
    expect(parseHolidayCommand('ferie 21.12.2026-01.01.2027 Juleferie')).toEqual({ kind: 'add', range, rest: 'Juleferie' });
    expect(parseHolidayCommand('ferie 21.12.2026 – 01.01.2027 Juleferie for Nordby skole')).toEqual({ kind: 'add', range, rest: 'Juleferie for Nordby skole' });
    expect(parseHolidayCommand('ferie 21.12.2026 til 1.1.27')).toEqual({ kind: 'add', range, rest: '' });
    expect(parseHolidayCommand('add holiday 2026-12-21-2027-01-01 Christmas')).toEqual({ kind: 'add', range, rest: 'Christmas' });
    expect(parseHolidayCommand('add holiday 2026-12-21 to 2027-01-01')).toEqual({ kind: 'add', range, rest: '' });
    expect(parseHolidayCommand('ferie 17.05.2027 17. mai')).toEqual({ kind: 'add', range: { from: '2027-05-17', to: '2027-05-17' }, rest: '17. mai' });
    expect(parseHolidayCommand('fjern ferie 21.12.2026-01.01.2027')).toEqual({ kind: 'remove', range, rest: '' });
    expect(parseHolidayCommand('remove holiday 21.12.2026-01.01.2027 for Nordby skole')).toEqual({ kind: 'remove', range, rest: 'for Nordby skole' });
    expect(parseHolidayCommand('fjern ferie')).toEqual({ kind: 'usage', remove: true });
  });

  it('says what is wrong with the dates', () => {
    expect(parseHolidayCommand('ferie 32.12.2026 Juleferie')).toEqual({ kind: 'invalid', problem: 'date', text: '32.12.2026' });
    expect(parseHolidayCommand('ferie 21.12 Juleferie')).toEqual({ kind: 'invalid', problem: 'date', text: '21.12' });
    expect(parseHolidayCommand('ferie 01.01.2027-21.12.2026 Juleferie')).toEqual({ kind: 'invalid', problem: 'order', from: '2027-01-01', to: '2026-12-21' });
    expect(parseHolidayCommand('ferie 01.01.2026-31.12.2026')).toMatchObject({ kind: 'invalid', problem: 'tooLong' });
  });

  it('is not any other command', () => {
    for (const text of ['feriepenger', 'fjern rolle kari@x.no leder', 'hva trenger assistentene mest?', 'hjelp', 'holidayz']) expect(parseHolidayCommand(text), text).toBeNull();
  });

  it('finds the unit at the end, or in the whole text, and leaves other words in the name', () => {
    expect(splitUnitName('Juleferie for Nordby skole', UNITS)).toEqual({ name: 'Juleferie', unit: UNITS[2] });
    expect(splitUnitName('Høstferie på fjordvik  kommune', UNITS)).toEqual({ name: 'Høstferie', unit: UNITS[1] });
    expect(splitUnitName('Nordby skole', UNITS)).toEqual({ name: '', unit: UNITS[2] });
    expect(splitUnitName('for Nordby skole', UNITS)).toEqual({ name: '', unit: UNITS[2] });
    expect(splitUnitName('Fri for elevene', UNITS)).toEqual({ name: 'Fri for elevene', unit: null });
    expect(splitUnitName('', UNITS)).toEqual({ name: '', unit: null });
  });
});

describe('school holidays: the CSV for npm run holidays:add', () => {
  it('reads semicolon and comma files with Norwegian or ISO dates, one-day rows and no name', () => {
    const semicolon = '\uFEFFEnhet;Fra;Til;Navn\r\nFjordvik kommune;21.12.2026;01.01.2027;Juleferie\r\nNordby skole;04.01.2027;;\r\n';
    const comma = 'unit,from,to,name\nFjordvik kommune,2026-12-21,2027-01-01,Juleferie\nNordby skole,2027-01-04,,\n';
    const a = parseHolidayCsv(semicolon);
    expect(a.errors).toEqual([]);
    expect(a.rows).toEqual([
      { line: 2, unit: 'Fjordvik kommune', range: { from: '2026-12-21', to: '2027-01-01' }, name: 'Juleferie' },
      { line: 3, unit: 'Nordby skole', range: { from: '2027-01-04', to: '2027-01-04' }, name: null },
    ]);
    expect(parseHolidayCsv(comma).rows).toEqual(a.rows);
  });

  it('names every bad row and what is wrong with it', () => {
    const text = 'enhet;fra;til;navn\nFjordvik kommune;21.12.2026;01.01.2027;Juleferie\n;01.10.2026;;Høstferie\nNordby skole;31.02.2027;;\nNordby skole;10.01.2027;01.01.2027;Feil vei\nNordby skole;01.01.2027;01.12.2027;Hele året\n';
    const { rows, errors } = parseHolidayCsv(text);
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(errors.map((e) => e.message)).toEqual([
      'Linje 3: enhet mangler (kolonne «enhet»)',
      'Linje 4: ugyldig dato «31.02.2027» (kolonne «fra» / «til»; skriv f.eks. 21.12.2026 eller 2026-12-21)',
      'Linje 5: siste dag 2027-01-01 er før første dag 2027-01-10 (to before from)',
      'Linje 6: ferien er 335 dager; høyst 92 dager i én rad (too long – skriv hver ferie på sin egen rad)',
    ]);
    expect(parseHolidayCsv('skole;navn\nNordby skole;Juleferie\n').errors[0]!.message).toMatch(/^Linje 1: mangler kolonne for fra/);
  });

  it('matches units by name or id, skips what is stored, and refuses unknown, ambiguous and repeated rows', () => {
    const units = [...UNITS, unit('nordby2', 'root', 'school', 'Nordby skole')];
    const { rows } = parseHolidayCsv(
      'enhet;fra;til;navn\nfjordvik kommune;21.12.2026;01.01.2027;Juleferie\nsorby;21.12.2026;01.01.2027;Juleferie\nUkjent skole;21.12.2026;;\nNordby skole;04.01.2027;;\nFjordvik kommune;2026-12-21;2027-01-01;Igjen\n',
    );
    const plan = planHolidayImport(rows, units, [{ unitId: 'sorby', from: '2026-12-21', to: '2027-01-01', name: 'Juleferie' }]);
    expect(plan.add).toEqual([{ line: 2, unitId: 'kommune', unitName: 'Fjordvik kommune', from: '2026-12-21', to: '2027-01-01', name: 'Juleferie' }]);
    expect(plan.unchanged).toEqual([{ line: 3, unitName: 'Sørby skole', from: '2026-12-21', to: '2027-01-01' }]);
    expect(plan.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Linje 4: finner ingen enhet «Ukjent skole»/),
      expect.stringMatching(/^Linje 5: 2 enheter heter «Nordby skole» \(ambiguous\); bruk id-en: nordby, nordby2$/),
      'Linje 6: samme enhet og datoer som linje 2 (duplicate)',
    ]);
  });
});
