import type { DateRange } from './holidays.ts';
import { holidayRange, type HolidayRangeProblem } from './school-holidays.ts';
import type { UnitNode } from './unit-scope.ts';

/**
 * «ferie» / «skolerute» (nb, nn), «holidays» (en): list a unit's school holidays;
 * «ferie 21.12.2026-01.01.2027 Juleferie [for Nordby skole]», en «add holiday …»: add one;
 * «fjern ferie 21.12.2026-01.01.2027 [for Nordby skole]», en «remove holiday …»: remove one.
 */
export const HOLIDAY_COMMAND_PATTERN = /^\s*(?:(fjern|slett|remove|delete)\s+(?:skole|skule)?(?:ferie|ferien|holiday|school\s+holiday)|add\s+(?:school\s+)?holiday|skolerute|skoleruta|skulerute|skuleruta|skoleferie|skoleferier|skuleferie|skuleferiar|ferie|ferier|feriar|(?:school\s+)?holidays?)(?=\s|$)\s*([\s\S]*)$/i;

export type HolidayCommand =
  | { kind: 'list'; rest: string }
  | { kind: 'add'; range: DateRange; rest: string }
  | { kind: 'remove'; range: DateRange; rest: string }
  | { kind: 'usage'; remove: boolean }
  | ({ kind: 'invalid' } & HolidayRangeProblem);

const DATE = String.raw`\d{1,4}[./-]\d{1,2}[./-]\d{1,4}`;
/** A date, optionally «- / – / til / to» (or a space) and a second date, then the rest. */
const RANGE = new RegExp(String.raw`^(${DATE})(?:(?:\s*(?:[-–—]|\btil\b|\bto\b)\s*|\s+)(${DATE}))?(?:\s+([\s\S]*))?$`, 'i');

/**
 * Reads a holiday command. Dates are checked here; the unit named in `rest`
 * is resolved against the tenant's units by {@link splitUnitName}.
 *
 * @example parseHolidayCommand('ferie 21.12.2026-01.01.2027 Juleferie') // { kind: 'add', range: { from: '2026-12-21', to: '2027-01-01' }, rest: 'Juleferie' }
 */
export function parseHolidayCommand(text: string): HolidayCommand | null {
  const m = HOLIDAY_COMMAND_PATTERN.exec(text);
  if (!m) return null;
  const remove = m[1] !== undefined;
  const args = (m[2] ?? '').trim();
  // Anything that starts with a digit is meant as a date; anything else names a unit.
  if (!/^\d/.test(args)) return remove ? { kind: 'usage', remove } : { kind: 'list', rest: args };
  const r = RANGE.exec(args);
  if (!r) return { kind: 'invalid', problem: 'date', text: args.split(/\s+/)[0]! };
  const read = holidayRange(r[1]!, r[2] ?? '');
  if (!read.ok) return { kind: 'invalid', ...read.error };
  return { kind: remove ? 'remove' : 'add', range: read.range, rest: (r[3] ?? '').trim() };
}

const UNIT_PREFIX = /^(?:for|på|pa|i|at|in)\s+/i;
const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Splits «Juleferie for Nordby skole» into the holiday's name and the unit,
 * when the words after «for / på / i» (en «for / at / in») are the name of one
 * of `units`; the whole text may also be a unit name («ferie Nordby skole»).
 * Otherwise everything is the name («Fri for elevene») and the unit is null.
 */
export function splitUnitName(rest: string, units: readonly UnitNode[]): { name: string; unit: UnitNode | null } {
  const byName = new Map(units.map((u) => [norm(u.name), u]));
  const whole = byName.get(norm(rest.replace(UNIT_PREFIX, '')));
  if (rest.trim() !== '' && whole) return { name: '', unit: whole };
  const words = rest.trim().split(/\s+/);
  // The longest unit name wins: «… for Nordby skole» before «… for skole».
  for (let i = 1; i < words.length - 1; i++) {
    if (!UNIT_PREFIX.test(`${words[i]} `)) continue;
    const unit = byName.get(norm(words.slice(i + 1).join(' ')));
    if (unit) return { name: words.slice(0, i).join(' '), unit };
  }
  return { name: rest.trim(), unit: null };
}
