/**
 * School holidays per unit (skolerute), pure: how people write the dates,
 * which ranges are accepted, and which holidays apply to a unit.
 *
 * Judgement calls:
 * - A holiday on a unit covers every unit below it: the kommune decides the
 *   skolerute for its schools, and a school's teams follow the school.
 *   A unit's own holidays add to its parents'; they never replace them.
 * - Dates are Norwegian (21.12.2026, 1.1.27, 21/12/2026) or ISO (2026-12-21).
 *   A two-digit year is 20xx: nobody plans pulses for the 1900s.
 * - A range longer than MAX_HOLIDAY_DAYS is refused: the summer holiday is
 *   about eight weeks, and «01.01.2026–01.01.2027» is a typo that would stop
 *   every plan for a year without anyone noticing.
 */
import { isIsoDate, type DateRange } from './holidays.ts';
import { ancestry, type UnitNode } from './unit-scope.ts';

export type SchoolHoliday = DateRange & { unitId: string; name: string | null };

export const MAX_HOLIDAY_DAYS = 92;
/** Longest holiday name kept (the list is read on a phone). */
export const MAX_HOLIDAY_NAME = 80;

const NORWEGIAN_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

const pad = (n: string | number, w = 2) => String(n).padStart(w, '0');

/**
 * "21.12.2026", "1.1.27", "21/12/2026" or "2026-12-21" as YYYY-MM-DD, or null
 * when it is not a real calendar date.
 *
 * @example parseCalendarDate('1.1.27') // '2027-01-01'
 */
export function parseCalendarDate(text: string): string | null {
  const s = text.trim();
  const no = NORWEGIAN_DATE.exec(s);
  const iso = no ? null : ISO_DATE.exec(s);
  const parts = no ? { y: no[3]!, m: no[2]!, d: no[1]! } : iso ? { y: iso[1]!, m: iso[2]!, d: iso[3]! } : null;
  if (!parts) return null;
  const year = parts.y.length === 2 ? `20${parts.y}` : parts.y;
  const date = `${year}-${pad(parts.m)}-${pad(parts.d)}`;
  return isIsoDate(date) ? date : null;
}

/** Whole days from `from` to `to`, both YYYY-MM-DD (0 for the same day). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type HolidayRangeProblem =
  | { problem: 'date'; text: string }
  | { problem: 'order'; from: string; to: string }
  | { problem: 'tooLong'; days: number };

/**
 * Reads a holiday's first and last day (inclusive; `to` empty = one day) as
 * written by a person, or says what is wrong.
 */
export function holidayRange(fromText: string, toText: string): { ok: true; range: DateRange } | { ok: false; error: HolidayRangeProblem } {
  const fail = (error: HolidayRangeProblem) => ({ ok: false as const, error });
  const from = parseCalendarDate(fromText);
  if (!from) return fail({ problem: 'date', text: fromText.trim() });
  const to = toText.trim() === '' ? from : parseCalendarDate(toText);
  if (!to) return fail({ problem: 'date', text: toText.trim() });
  if (to < from) return fail({ problem: 'order', from, to });
  const days = daysBetween(from, to) + 1;
  if (days > MAX_HOLIDAY_DAYS) return fail({ problem: 'tooLong', days });
  return { ok: true, range: { from, to } };
}

/** A holiday name as stored: one line, trimmed, at most MAX_HOLIDAY_NAME characters; empty = none. */
export function holidayName(text: string): string | null {
  const s = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  return s === '' ? null : s.slice(0, MAX_HOLIDAY_NAME);
}

/** The holidays that apply to `unitId`: its own and those of every unit above it. */
export function holidaysForUnit<H extends SchoolHoliday>(units: readonly UnitNode[], holidays: readonly H[], unitId: string): H[] {
  const chain = new Set(ancestry(units, unitId).map((u) => u.id));
  return holidays.filter((h) => chain.has(h.unitId));
}

/** YYYY-MM-DD `months` calendar months after `date` (31 January + 1 month = 3 March, as Date.UTC rolls over). */
function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

/** Holidays not yet over on `today` that start within `months` months, by first day. */
export function upcomingHolidays<H extends SchoolHoliday>(holidays: readonly H[], today: string, months = 12): H[] {
  const until = addMonths(today, months);
  return holidays.filter((h) => h.to >= today && h.from <= until).sort((a, b) => (a.from === b.from ? a.to.localeCompare(b.to) : a.from.localeCompare(b.from)));
}

/**
 * Units of `scope` that no school holiday covers: its schools, or every unit
 * when the scope has no school (a tenant of Teams teams only). The plan form
 * names them, so «Hopp over … skolens ferier» never promises what is not there.
 */
export function unitsWithoutSchoolHolidays(units: readonly UnitNode[], holidays: readonly SchoolHoliday[], scope: readonly UnitNode[]): { units: UnitNode[]; all: boolean } {
  const schools = scope.filter((u) => u.kind === 'school');
  const checked = schools.length > 0 ? schools : scope;
  const without = checked.filter((u) => holidaysForUnit(units, holidays, u.id).length === 0);
  return { units: without, all: without.length > 0 && without.length === checked.length };
}
