/**
 * Norwegian public holidays (helligdager and the two offentlige høytidsdager
 * 1. and 17. mai) and a tenant's own closed periods (høstferie, juleferie,
 * vinterferie …), as plain Oslo calendar dates "YYYY-MM-DD".
 *
 * Why no library: date-holidays (country NO, type "public") returns exactly
 * these twelve days, but it pulls in ~45 MB over 15 packages (moment,
 * moment-timezone, astronomia, lodash, js-yaml and every country's rules),
 * costs ~180 ms at import, and has no nynorsk names, which we need anyway.
 * Every movable Norwegian holiday is a fixed distance from Easter Sunday, so
 * the only real computation is Easter, done below with the well-known
 * Anonymous Gregorian algorithm; the tests pin the results against published
 * dates (and date-holidays' output) for many years.
 */

export type LocalizedName = { nb: string; nn: string; en: string };
export type PublicHoliday = { date: string; name: LocalizedName };
/** An inclusive range of Oslo calendar dates, "YYYY-MM-DD" … "YYYY-MM-DD". */
export type DateRange = { from: string; to: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function assertIsoDate(s: string, what: string): void {
  if (!isIsoDate(s)) throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(s)}`);
}

/** YYYY-MM-DD of a UTC-midnight date (only used for pure calendar arithmetic). */
function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Easter Sunday (Gregorian calendar, as used by Den norske kirke) for `year`,
 * by the Anonymous Gregorian algorithm (Meeus/Jones/Butcher, 1876; Meeus,
 * "Astronomical Algorithms", ch. 8). Valid for every Gregorian year ≥ 1583.
 *
 *   a = year mod 19                (position in the 19-year Metonic cycle)
 *   b = year div 100, c = year mod 100
 *   d = b div 4, e = b mod 4
 *   f = (b + 8) div 25, g = (b − f + 1) div 3
 *   h = (19a + b − d − g + 15) mod 30     (epact: age of the paschal moon)
 *   i = c div 4, k = c mod 4
 *   l = (32 + 2e + 2i − h − k) mod 7      (days to the following Sunday)
 *   m = (a + 11h + 22l) div 451           (the 29-day/April-25 corrections)
 *   month = (h + l − 7m + 114) div 31, day = ((h + l − 7m + 114) mod 31) + 1
 */
export function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  const month = Math.floor(n / 31);
  const day = (n % 31) + 1;
  return ymd(new Date(Date.UTC(year, month - 1, day)));
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be an integer 1583–9999, got ${year}`);
  }
}

const FIXED: Array<{ month: number; day: number; name: LocalizedName }> = [
  { month: 1, day: 1, name: { nb: 'Nyttårsdag', nn: 'Nyttårsdag', en: "New Year's Day" } },
  { month: 5, day: 1, name: { nb: '1. mai', nn: '1. mai', en: 'Labour Day (1 May)' } },
  { month: 5, day: 17, name: { nb: '17. mai', nn: '17. mai', en: 'Constitution Day (17 May)' } },
  { month: 12, day: 25, name: { nb: '1. juledag', nn: '1. juledag', en: 'Christmas Day' } },
  { month: 12, day: 26, name: { nb: '2. juledag', nn: '2. juledag', en: 'Boxing Day' } },
];

/** Days relative to Easter Sunday. */
const MOVABLE: Array<{ offset: number; name: LocalizedName }> = [
  { offset: -3, name: { nb: 'Skjærtorsdag', nn: 'Skjærtorsdag', en: 'Maundy Thursday' } },
  { offset: -2, name: { nb: 'Langfredag', nn: 'Langfredag', en: 'Good Friday' } },
  { offset: 0, name: { nb: '1. påskedag', nn: '1. påskedag', en: 'Easter Sunday' } },
  { offset: 1, name: { nb: '2. påskedag', nn: '2. påskedag', en: 'Easter Monday' } },
  { offset: 39, name: { nb: 'Kristi himmelfartsdag', nn: 'Kristi himmelfartsdag', en: 'Ascension Day' } },
  { offset: 49, name: { nb: '1. pinsedag', nn: '1. pinsedag', en: 'Whit Sunday' } },
  { offset: 50, name: { nb: '2. pinsedag', nn: '2. pinsedag', en: 'Whit Monday' } },
];

/**
 * The twelve Norwegian public holidays of `year`, sorted by date. Two can fall
 * on the same date (17. mai is 2. pinsedag in 2027); both are then listed.
 * The list is today's law for every year (1. and 17. mai became statutory
 * holidays in 1947); history before that is out of scope for scheduling.
 */
export function norwegianPublicHolidays(year: number): PublicHoliday[] {
  assertYear(year);
  const easter = new Date(`${easterSunday(year)}T00:00:00Z`);
  const out: PublicHoliday[] = [
    ...FIXED.map(({ month, day, name }) => ({ date: ymd(new Date(Date.UTC(year, month - 1, day))), name: { ...name } })),
    ...MOVABLE.map(({ offset, name }) => ({ date: ymd(new Date(easter.getTime() + offset * 86_400_000)), name: { ...name } })),
  ];
  // Stable sort keeps 17. mai before 2. pinsedag when they coincide.
  return out.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

const holidayDatesByYear = new Map<number, ReadonlySet<string>>();

function publicHolidayDates(year: number): ReadonlySet<string> {
  let set = holidayDatesByYear.get(year);
  if (!set) {
    set = new Set(norwegianPublicHolidays(year).map((h) => h.date));
    holidayDatesByYear.set(year, set);
  }
  return set;
}

/**
 * Whether the Oslo calendar date `osloDate` (YYYY-MM-DD) is a Norwegian public
 * holiday or lies inside one of the tenant's own inclusive ranges (`extra`).
 * A range whose `from` is after its `to` matches nothing. Malformed dates
 * throw a RangeError rather than silently never matching.
 */
export function isHoliday(osloDate: string, extra: ReadonlyArray<DateRange>): boolean {
  assertIsoDate(osloDate, 'osloDate');
  if (publicHolidayDates(Number(osloDate.slice(0, 4))).has(osloDate)) return true;
  return extra.some(({ from, to }) => {
    assertIsoDate(from, 'holiday range from');
    assertIsoDate(to, 'holiday range to');
    // Zero-padded ISO dates compare correctly as strings.
    return from <= osloDate && osloDate <= to;
  });
}
