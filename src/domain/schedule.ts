/**
 * Recurring pulse schedules ("Wednesdays 14:00") in Europe/Oslo, pure: no
 * I/O and no timers (a croner `Cron` built without a callback only evaluates
 * patterns). All wall-clock reasoning happens in Oslo time, so an occurrence
 * stays at 14:00 local across daylight-saving changes (13:00Z in winter,
 * 12:00Z in summer).
 *
 * Judgement calls, in one place:
 * - Weekday and time of a recurring plan come from `firstSendAt` read in Oslo;
 *   later occurrences are at whole minutes (HH:MM:00) — cron has no finer
 *   field we use — while `firstSendAt` itself is kept exactly as given.
 * - weekly: croner pattern `M H * * D`.
 * - biweekly: the weekly pattern, keeping only dates an even number of weeks
 *   after `firstSendAt`, counted in Oslo calendar days (so a 23- or 25-hour
 *   DST day cannot shift the parity). A skipped holiday does not shift the
 *   cadence: the next occurrence is two weeks later.
 * - monthly: "the same weekday-of-month as the first": if `firstSendAt` is
 *   the nth Wednesday (n = ceil(day / 7)), the pattern is `M H * * 3#n`.
 *   A first date on day 29–31 is a 5th weekday, which most months lack, so
 *   for n = 5 we use croner's `3#L` (the last Wednesday) — the plan then
 *   still runs every month instead of only in the 4–5 months that have a 5th.
 * - skipHolidays: an occurrence whose Oslo date is a holiday (public, or in
 *   the tenant's ranges) is skipped — not moved to another day — and the
 *   next regular occurrence is used. Moving would land on days without
 *   fellestid. This applies to `firstSendAt` of a recurring plan too; a
 *   one-off ('none') plan is an explicit choice and is never skipped.
 * - endsAt is inclusive: an occurrence exactly at `endsAt` still happens.
 * - The search is bounded (MAX_ITERATIONS candidates per call, ~7.5 years of
 *   weekly dates); if nothing usable is found it returns null, e.g. when a
 *   tenant's holiday range covers everything.
 */
import { Cron } from 'croner';
import { isHoliday, isIsoDate, type DateRange } from './holidays.ts';

export const OSLO_TZ = 'Europe/Oslo';
export const MAX_ITERATIONS = 400;

export type Recurrence = 'none' | 'weekly' | 'biweekly' | 'monthly';
export const RECURRENCES: readonly Recurrence[] = ['none', 'weekly', 'biweekly', 'monthly'];

export type PlanSchedule = {
  /** The first occurrence, an instant. */
  firstSendAt: Date;
  /** For recurring plans the weekday and local "HH:MM" (Europe/Oslo) are derived from firstSendAt. */
  recurrence: Recurrence;
  skipHolidays: boolean;
  /** The tenant's own closed periods and the plan unit's school holidays, inclusive Oslo dates. */
  holidays: DateRange[];
  /** Inclusive: no occurrence after this instant. */
  endsAt?: Date | null;
};

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type AnswerWindowSpec =
  | { kind: 'duration'; ms: number }
  | { kind: 'until'; localDate: string; localTime?: string };

export type ReminderSpec = { kind: 'afterOpen'; ms: number } | { kind: 'beforeClose'; ms: number };

// ---------------------------------------------------------------------------
// Oslo calendar helpers (Intl only; no hand-written offset tables)
// ---------------------------------------------------------------------------

const osloParts = new Intl.DateTimeFormat('en-US', {
  timeZone: OSLO_TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

type LocalFields = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function osloFields(d: Date): LocalFields {
  if (Number.isNaN(d.getTime())) throw new RangeError('Invalid Date');
  const f: Record<string, number> = {};
  for (const p of osloParts.formatToParts(d)) if (p.type !== 'literal') f[p.type] = Number(p.value);
  return { year: f.year!, month: f.month!, day: f.day!, hour: f.hour! % 24, minute: f.minute!, second: f.second! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The Oslo calendar date of an instant, "YYYY-MM-DD". */
export function osloDate(d: Date): string {
  const f = osloFields(d);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
}

/** Oslo weekday (Mon=1 … Sun=7) and wall-clock "HH:MM" of an instant. */
export function osloWeekdayAndTime(d: Date): { weekday: Weekday; time: string } {
  const f = osloFields(d);
  const sunday0 = new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay();
  return { weekday: (((sunday0 + 6) % 7) + 1) as Weekday, time: `${pad(f.hour)}:${pad(f.minute)}` };
}

/** Oslo's offset from UTC at an instant, in ms (+3 600 000 in winter, +7 200 000 in summer). */
function osloOffsetMs(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const f = osloFields(new Date(whole));
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - whole;
}

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The instant at which Oslo wall-clock shows `date` (YYYY-MM-DD) `time`
 * (HH:MM). Same rule as Temporal's 'compatible' disambiguation: a time that
 * occurs twice (the autumn fall-back hour) gives the earlier instant; a time
 * that does not exist (the spring-forward gap, 02:00–02:59 on the last Sunday
 * of March) is moved forward by the gap, so 02:30 becomes 03:30 CEST.
 */
export function osloLocalToInstant(date: string, time: string): Date {
  if (!isIsoDate(date)) throw new RangeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const t = TIME_RE.exec(time);
  if (!t) throw new RangeError(`time must be HH:MM (00:00–23:59), got ${JSON.stringify(time)}`);
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, Number(t[1]), Number(t[2]));
  // Oslo changes offset at most once in any 48 hours, so the offsets a day
  // either side are the only candidates.
  const before = osloOffsetMs(wall - 86_400_000);
  const after = osloOffsetMs(wall + 86_400_000);
  const valid = [...new Set([before, after])]
    .map((off) => wall - off)
    .filter((ms) => osloOffsetMs(ms) === wall - ms)
    .sort((a, b) => a - b);
  // Gap: no candidate is valid; use the pre-transition offset (moves forward).
  return new Date(valid[0] ?? wall - before);
}

/** Whole Oslo calendar days from the date of `a` to the date of `b` (DST-proof). */
function osloDayDistance(a: Date, b: Date): number {
  const fa = osloFields(a);
  const fb = osloFields(b);
  return Math.round((Date.UTC(fb.year, fb.month - 1, fb.day) - Date.UTC(fa.year, fa.month - 1, fa.day)) / 86_400_000);
}

// ---------------------------------------------------------------------------
// Recurrence
// ---------------------------------------------------------------------------

/** The croner pattern for a recurring schedule, derived from firstSendAt in Oslo. */
export function cronPatternFor(schedule: Pick<PlanSchedule, 'firstSendAt' | 'recurrence'>): string | null {
  if (schedule.recurrence === 'none') return null;
  const f = osloFields(schedule.firstSendAt);
  const { weekday } = osloWeekdayAndTime(schedule.firstSendAt);
  const dow = weekday % 7; // cron: Sunday = 0
  const base = `${f.minute} ${f.hour} * *`;
  if (schedule.recurrence === 'monthly') {
    const nth = Math.ceil(f.day / 7);
    return `${base} ${dow}#${nth >= 5 ? 'L' : nth}`;
  }
  return `${base} ${dow}`;
}

function isAcceptable(schedule: PlanSchedule, candidate: Date): boolean {
  if (schedule.recurrence === 'biweekly') {
    const weeks = osloDayDistance(schedule.firstSendAt, candidate) / 7;
    if (!Number.isInteger(weeks) || weeks % 2 !== 0) return false;
  }
  return !fallsOnSkippedHoliday(schedule, candidate);
}

/**
 * Whether a plan that skips holidays must not send at `at`: a recurring plan
 * on a public holiday or a day in `holidays` (one-off plans are never
 * skipped). Also asked when a planned time comes, because a school holiday
 * can be registered after the time was planned.
 */
export function fallsOnSkippedHoliday(schedule: PlanSchedule, at: Date): boolean {
  return schedule.recurrence !== 'none' && schedule.skipHolidays && isHoliday(osloDate(at), schedule.holidays);
}

function assertDate(d: Date, what: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${what} must be a valid Date`);
}

/**
 * The first occurrence strictly after `after` (so `firstSendAt` itself when
 * `after` is earlier), or null when the plan has ended, is a one-off already
 * past, or nothing usable is found within MAX_ITERATIONS candidates.
 */
export function nextOccurrence(schedule: PlanSchedule, after: Date): Date | null {
  assertDate(schedule.firstSendAt, 'firstSendAt');
  assertDate(after, 'after');
  const first = schedule.firstSendAt;
  const endsAt = schedule.endsAt ?? null;
  const ended = (d: Date) => endsAt !== null && d.getTime() > endsAt.getTime();

  if (schedule.recurrence === 'none') {
    return first.getTime() > after.getTime() && !ended(first) ? new Date(first.getTime()) : null;
  }
  const pattern = cronPatternFor(schedule);
  if (pattern === null) return null;
  const cron = new Cron(pattern, { timezone: OSLO_TZ });

  let candidate: Date | null = first.getTime() > after.getTime() ? new Date(first.getTime()) : cron.nextRun(after);
  for (let i = 0; i < MAX_ITERATIONS && candidate !== null; i++) {
    if (ended(candidate)) return null;
    if (candidate.getTime() > after.getTime() && isAcceptable(schedule, candidate)) return candidate;
    candidate = cron.nextRun(candidate);
  }
  return null;
}

/**
 * Occurrences with from ≤ t ≤ to, in order, at most `limit` — for previews
 * ("Neste: ons 2. des 14:00, ons 9. des …").
 */
export function occurrencesBetween(schedule: PlanSchedule, from: Date, to: Date, limit = 50): Date[] {
  assertDate(from, 'from');
  assertDate(to, 'to');
  const out: Date[] = [];
  let cursor = new Date(from.getTime() - 1);
  while (out.length < limit) {
    const next = nextOccurrence(schedule, cursor);
    if (next === null || next.getTime() > to.getTime()) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Answer window and reminders
// ---------------------------------------------------------------------------

export const DEFAULT_CLOSE_TIME = '16:00';

/**
 * When a pulse opened at `openedAt` closes: after a duration, or at a local
 * Oslo date and time (default 16:00). Not clamped: an "until" before
 * `openedAt` gives an instant before it, which callers should reject.
 */
export function closesAtFor(openedAt: Date, window: AnswerWindowSpec): Date {
  assertDate(openedAt, 'openedAt');
  if (window.kind === 'duration') {
    if (!Number.isFinite(window.ms) || window.ms < 0) throw new RangeError('duration must be a non-negative number of ms');
    return new Date(openedAt.getTime() + window.ms);
  }
  return osloLocalToInstant(window.localDate, window.localTime ?? DEFAULT_CLOSE_TIME);
}

/**
 * Reminder instants: `afterOpen` counts from `openedAt`, `beforeClose` back
 * from `closesAt`. Only instants strictly between the two are kept, sorted,
 * without duplicates, and the earliest `max` of them.
 */
export function reminderTimes(openedAt: Date, closesAt: Date, reminders: ReadonlyArray<ReminderSpec>, max: number): Date[] {
  assertDate(openedAt, 'openedAt');
  assertDate(closesAt, 'closesAt');
  const open = openedAt.getTime();
  const close = closesAt.getTime();
  const times = new Set<number>();
  for (const r of reminders) {
    if (!Number.isFinite(r.ms)) continue;
    const t = r.kind === 'afterOpen' ? open + r.ms : close - r.ms;
    if (t > open && t < close) times.add(t);
  }
  const n = Math.max(0, Math.floor(max));
  return [...times].sort((a, b) => a - b).slice(0, n).map((t) => new Date(t));
}
