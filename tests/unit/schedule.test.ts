import { describe, expect, it } from 'vitest';
import { easterSunday, isHoliday, norwegianPublicHolidays } from '../../src/domain/holidays.ts';
import {
  closesAtFor,
  cronPatternFor,
  MAX_ITERATIONS,
  nextOccurrence,
  occurrencesBetween,
  osloDate,
  osloLocalToInstant,
  osloWeekdayAndTime,
  reminderTimes,
  type PlanSchedule,
} from '../../src/domain/schedule.ts';

const at = (iso: string) => new Date(iso);
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const plan = (over: Partial<PlanSchedule> & Pick<PlanSchedule, 'firstSendAt'>): PlanSchedule => ({
  recurrence: 'weekly',
  skipHolidays: false,
  holidays: [],
  endsAt: null,
  ...over,
});

/** Follows nextOccurrence n times from `after`. */
function chain(schedule: PlanSchedule, after: Date, n: number): Date[] {
  const out: Date[] = [];
  let cursor = after;
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(schedule, cursor);
    if (!next) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

describe('norwegianPublicHolidays', () => {
  it('lists the twelve 2026 holidays (Easter Sunday 5 April)', () => {
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(norwegianPublicHolidays(2026).map((h) => `${h.date} ${h.name.nb}`)).toEqual([
      '2026-01-01 Nyttårsdag',
      '2026-04-02 Skjærtorsdag',
      '2026-04-03 Langfredag',
      '2026-04-05 1. påskedag',
      '2026-04-06 2. påskedag',
      '2026-05-01 1. mai',
      '2026-05-14 Kristi himmelfartsdag',
      '2026-05-17 17. mai',
      '2026-05-24 1. pinsedag',
      '2026-05-25 2. pinsedag',
      '2026-12-25 1. juledag',
      '2026-12-26 2. juledag',
    ]);
  });

  it('lists the 2027 holidays (Easter Sunday 28 March; 17. mai is also 2. pinsedag)', () => {
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(norwegianPublicHolidays(2027).map((h) => `${h.date} ${h.name.en}`)).toEqual([
      "2027-01-01 New Year's Day",
      '2027-03-25 Maundy Thursday',
      '2027-03-26 Good Friday',
      '2027-03-28 Easter Sunday',
      '2027-03-29 Easter Monday',
      '2027-05-01 Labour Day (1 May)',
      '2027-05-06 Ascension Day',
      '2027-05-16 Whit Sunday',
      '2027-05-17 Constitution Day (17 May)',
      '2027-05-17 Whit Monday',
      '2027-12-25 Christmas Day',
      '2027-12-26 Boxing Day',
    ]);
  });

  it('has names in nb, nn and en for every holiday', () => {
    for (const h of norwegianPublicHolidays(2026)) {
      expect(h.name.nb && h.name.nn && h.name.en).toBeTruthy();
    }
  });

  it('computes Easter Sunday right for known years, including the extremes 22 March and 25 April', () => {
    const known: Record<number, string> = {
      2019: '2019-04-21', 2024: '2024-03-31', 2025: '2025-04-20', 2028: '2028-04-16', 2029: '2029-04-01',
      2030: '2030-04-21', 2031: '2031-04-13', 2032: '2032-03-28', 2033: '2033-04-17', 2034: '2034-04-09',
      2035: '2035-03-25', 2038: '2038-04-25', 2049: '2049-04-18', 2285: '2285-03-22',
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(date);
  });

  it('rejects years outside the Gregorian range it is valid for', () => {
    expect(() => norwegianPublicHolidays(1500)).toThrow(RangeError);
    expect(() => norwegianPublicHolidays(2026.5)).toThrow(RangeError);
  });
});

describe('isHoliday', () => {
  const hostferie = [{ from: '2026-09-28', to: '2026-10-02' }];

  it('knows public holidays and ordinary days', () => {
    expect(isHoliday('2026-04-02', [])).toBe(true);
    expect(isHoliday('2026-05-14', [])).toBe(true);
    expect(isHoliday('2027-05-17', [])).toBe(true);
    expect(isHoliday('2026-04-08', [])).toBe(false);
  });

  it("includes a tenant's own ranges inclusively, also across a year end", () => {
    expect(isHoliday('2026-09-27', hostferie)).toBe(false);
    expect(isHoliday('2026-09-28', hostferie)).toBe(true);
    expect(isHoliday('2026-10-02', hostferie)).toBe(true);
    expect(isHoliday('2026-10-03', hostferie)).toBe(false);
    const juleferie = [{ from: '2026-12-21', to: '2027-01-03' }];
    expect(isHoliday('2026-12-31', juleferie)).toBe(true);
    expect(isHoliday('2027-01-04', juleferie)).toBe(false);
  });

  it('treats a reversed range as empty and rejects malformed dates', () => {
    expect(isHoliday('2026-10-01', [{ from: '2026-10-02', to: '2026-09-28' }])).toBe(false);
    expect(() => isHoliday('2026-2-3', [])).toThrow(RangeError);
    expect(() => isHoliday('2026-02-30', [])).toThrow(RangeError);
    expect(() => isHoliday('2026-02-03', [{ from: 'x', to: '2026-02-04' }])).toThrow(RangeError);
  });
});

describe('Oslo helpers', () => {
  it('reads date, weekday and time in Oslo, not UTC', () => {
    expect(osloDate(at('2026-03-31T22:30:00Z'))).toBe('2026-04-01'); // 00:30 CEST
    expect(osloDate(at('2026-12-31T23:30:00Z'))).toBe('2027-01-01'); // 00:30 CET
    expect(osloWeekdayAndTime(at('2026-03-25T13:00:00Z'))).toEqual({ weekday: 3, time: '14:00' });
    expect(osloWeekdayAndTime(at('2026-04-01T12:00:00Z'))).toEqual({ weekday: 3, time: '14:00' });
    expect(osloWeekdayAndTime(at('2026-03-29T22:15:00Z'))).toEqual({ weekday: 1, time: '00:15' });
    expect(osloWeekdayAndTime(at('2026-03-29T21:15:00Z'))).toEqual({ weekday: 7, time: '23:15' });
  });

  it('turns Oslo wall-clock into instants on both sides of DST', () => {
    expect(osloLocalToInstant('2026-03-28', '16:00').toISOString()).toBe('2026-03-28T15:00:00.000Z');
    expect(osloLocalToInstant('2026-03-29', '16:00').toISOString()).toBe('2026-03-29T14:00:00.000Z');
    expect(osloLocalToInstant('2026-03-29', '01:59').toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(osloLocalToInstant('2026-03-29', '03:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(osloLocalToInstant('2026-10-24', '16:00').toISOString()).toBe('2026-10-24T14:00:00.000Z');
    expect(osloLocalToInstant('2026-10-25', '16:00').toISOString()).toBe('2026-10-25T15:00:00.000Z');
    expect(osloLocalToInstant('2026-10-25', '00:00').toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });

  it('resolves the missing spring hour forward and the repeated autumn hour to the earlier instant', () => {
    // 02:30 does not exist on 29 March 2026: it becomes 03:30 CEST.
    expect(osloLocalToInstant('2026-03-29', '02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 October 2026 (CEST then CET): the first one.
    expect(osloLocalToInstant('2026-10-25', '02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('rejects malformed local dates and times', () => {
    expect(() => osloLocalToInstant('2026-13-01', '16:00')).toThrow(RangeError);
    expect(() => osloLocalToInstant('2026-12-01', '24:00')).toThrow(RangeError);
    expect(() => osloLocalToInstant('2026-12-01', '9:00')).toThrow(RangeError);
  });
});

describe('nextOccurrence — weekly', () => {
  const wednesdays = plan({ firstSendAt: at('2026-03-18T13:00:00Z') }); // Wed 18 March 14:00 CET

  it('uses the croner pattern for Wednesday 14:00', () => {
    expect(cronPatternFor(wednesdays)).toBe('0 14 * * 3');
  });

  it('stays at 14:00 Oslo across the March change (13:00Z → 12:00Z)', () => {
    expect(iso(chain(wednesdays, at('2026-03-01T00:00:00Z'), 4))).toEqual([
      '2026-03-18T13:00:00.000Z',
      '2026-03-25T13:00:00.000Z',
      '2026-04-01T12:00:00.000Z',
      '2026-04-08T12:00:00.000Z',
    ]);
  });

  it('stays at 14:00 Oslo across the October change (12:00Z → 13:00Z)', () => {
    expect(iso(chain(wednesdays, at('2026-10-15T00:00:00Z'), 2))).toEqual(['2026-10-21T12:00:00.000Z', '2026-10-28T13:00:00.000Z']);
  });

  it('is strictly after `after`: an occurrence equal to `after` gives the next one', () => {
    expect(nextOccurrence(wednesdays, at('2026-03-25T13:00:00Z'))?.toISOString()).toBe('2026-04-01T12:00:00.000Z');
    expect(nextOccurrence(wednesdays, at('2026-03-25T13:00:00.500Z'))?.toISOString()).toBe('2026-04-01T12:00:00.000Z');
    expect(nextOccurrence(wednesdays, at('2026-03-25T12:59:59.999Z'))?.toISOString()).toBe('2026-03-25T13:00:00.000Z');
    // firstSendAt itself is not "after" itself either.
    expect(nextOccurrence(wednesdays, at('2026-03-18T13:00:00Z'))?.toISOString()).toBe('2026-03-25T13:00:00.000Z');
  });

  it('keeps firstSendAt exactly, even with seconds, and later runs on the minute', () => {
    const odd = plan({ firstSendAt: at('2026-03-18T13:00:30Z') });
    expect(iso(chain(odd, at('2026-03-01T00:00:00Z'), 2))).toEqual(['2026-03-18T13:00:30.000Z', '2026-03-25T13:00:00.000Z']);
  });

  it('respects endsAt inclusively', () => {
    const ending = { ...wednesdays, endsAt: at('2026-04-01T12:00:00Z') };
    expect(nextOccurrence(ending, at('2026-03-25T13:00:00Z'))?.toISOString()).toBe('2026-04-01T12:00:00.000Z');
    expect(nextOccurrence(ending, at('2026-04-01T12:00:00Z'))).toBeNull();
    expect(nextOccurrence({ ...wednesdays, endsAt: at('2026-03-01T00:00:00Z') }, at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('nextOccurrence — holidays', () => {
  const thursdays = plan({ firstSendAt: at('2026-03-26T13:00:00Z'), skipHolidays: true }); // Thu 14:00

  it('skips skjærtorsdag and Kristi himmelfartsdag (skip, not shift)', () => {
    const dates = occurrencesBetween(thursdays, at('2026-03-20T00:00:00Z'), at('2026-05-31T00:00:00Z')).map(osloDate);
    expect(dates).toEqual(['2026-03-26', '2026-04-09', '2026-04-16', '2026-04-23', '2026-04-30', '2026-05-07', '2026-05-21', '2026-05-28']);
    expect(dates).not.toContain('2026-04-02');
    expect(dates).not.toContain('2026-05-14');
  });

  it('does not skip when skipHolidays is off', () => {
    const dates = occurrencesBetween({ ...thursdays, skipHolidays: false }, at('2026-03-30T00:00:00Z'), at('2026-04-05T00:00:00Z')).map(osloDate);
    expect(dates).toEqual(['2026-04-02']);
  });

  it("skips a tenant's høstferie week", () => {
    const withBreak = { ...thursdays, holidays: [{ from: '2026-09-28', to: '2026-10-04' }] };
    expect(occurrencesBetween(withBreak, at('2026-09-20T00:00:00Z'), at('2026-10-10T00:00:00Z')).map(osloDate)).toEqual(['2026-09-24', '2026-10-08']);
    expect(nextOccurrence(withBreak, at('2026-09-24T12:00:00Z'))?.toISOString()).toBe('2026-10-08T12:00:00.000Z');
  });

  it('skips a recurring first occurrence that falls on a holiday', () => {
    const fromSkjaertorsdag = { ...thursdays, firstSendAt: at('2026-04-02T12:00:00Z') };
    expect(nextOccurrence(fromSkjaertorsdag, at('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-04-09T12:00:00.000Z');
  });

  it('returns null after a bounded search when every date is a holiday', () => {
    const closedForever = { ...thursdays, holidays: [{ from: '2026-01-01', to: '2099-12-31' }] };
    expect(MAX_ITERATIONS).toBeGreaterThan(0);
    expect(nextOccurrence(closedForever, at('2026-01-01T00:00:00Z'))).toBeNull();
    expect(occurrencesBetween(closedForever, at('2026-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('finds an occurrence after a long break within the bound', () => {
    const longBreak = { ...thursdays, holidays: [{ from: '2026-01-01', to: '2030-12-31' }] };
    expect(osloDate(nextOccurrence(longBreak, at('2026-01-01T00:00:00Z'))!)).toBe('2031-01-02');
  });
});

describe('nextOccurrence — biweekly', () => {
  const everyOther = plan({ firstSendAt: at('2026-03-18T13:00:00Z'), recurrence: 'biweekly' });

  it('runs every other Wednesday at 14:00 Oslo across both DST changes', () => {
    const spring = chain(everyOther, at('2026-03-01T00:00:00Z'), 4);
    expect(iso(spring)).toEqual([
      '2026-03-18T13:00:00.000Z',
      '2026-04-01T12:00:00.000Z',
      '2026-04-15T12:00:00.000Z',
      '2026-04-29T12:00:00.000Z',
    ]);
    const year = occurrencesBetween(everyOther, at('2026-03-01T00:00:00Z'), at('2027-03-31T00:00:00Z'));
    expect(year.length).toBe(27);
    for (const [i, d] of year.entries()) {
      expect(osloWeekdayAndTime(d)).toEqual({ weekday: 3, time: '14:00' });
      if (i > 0) expect(Math.round((d.getTime() - year[i - 1]!.getTime()) / DAY)).toBe(14);
    }
    expect(year.map((d) => d.toISOString())).toContain('2026-10-14T12:00:00.000Z');
    expect(year.map((d) => d.toISOString())).toContain('2026-10-28T13:00:00.000Z');
  });

  it('keeps the cadence when `after` is in an off week', () => {
    expect(nextOccurrence(everyOther, at('2026-03-20T00:00:00Z'))?.toISOString()).toBe('2026-04-01T12:00:00.000Z');
    expect(nextOccurrence(everyOther, at('2026-04-01T12:00:00Z'))?.toISOString()).toBe('2026-04-15T12:00:00.000Z');
  });

  it('does not shift the cadence when a holiday is skipped', () => {
    // Every other Thursday from 19 March: 2 April, 16 April, 30 April, 14 May, 28 May.
    const thursdays = plan({ firstSendAt: at('2026-03-19T13:00:00Z'), recurrence: 'biweekly', skipHolidays: true });
    expect(occurrencesBetween(thursdays, at('2026-03-01T00:00:00Z'), at('2026-05-31T00:00:00Z')).map(osloDate)).toEqual([
      '2026-03-19',
      // 2 April is skjærtorsdag: skipped, next is 16 April, not 9 April.
      '2026-04-16',
      '2026-04-30',
      // 14 May is Kristi himmelfartsdag: skipped.
      '2026-05-28',
    ]);
  });
});

describe('nextOccurrence — monthly', () => {
  it('uses the same weekday-of-month as the first (first Wednesday)', () => {
    const firstWed = plan({ firstSendAt: at('2026-01-07T13:00:00Z'), recurrence: 'monthly' });
    expect(cronPatternFor(firstWed)).toBe('0 14 * * 3#1');
    expect(iso(chain(firstWed, at('2026-01-01T00:00:00Z'), 5))).toEqual([
      '2026-01-07T13:00:00.000Z',
      '2026-02-04T13:00:00.000Z',
      '2026-03-04T13:00:00.000Z',
      '2026-04-01T12:00:00.000Z',
      '2026-05-06T12:00:00.000Z',
    ]);
  });

  it('third Tuesday 08:30', () => {
    const thirdTue = plan({ firstSendAt: at('2026-09-15T06:30:00Z'), recurrence: 'monthly' }); // Tue 15 Sept 08:30 CEST
    expect(cronPatternFor(thirdTue)).toBe('30 8 * * 2#3');
    expect(occurrencesBetween(thirdTue, at('2026-09-01T00:00:00Z'), at('2026-12-31T00:00:00Z')).map((d) => `${osloDate(d)} ${osloWeekdayAndTime(d).time}`)).toEqual([
      '2026-09-15 08:30',
      '2026-10-20 08:30',
      '2026-11-17 08:30',
      '2026-12-15 08:30',
    ]);
  });

  it('a 5th weekday becomes the last one, so it still runs every month', () => {
    const fifthWed = plan({ firstSendAt: at('2026-04-29T12:00:00Z'), recurrence: 'monthly' });
    expect(cronPatternFor(fifthWed)).toBe('0 14 * * 3#L');
    expect(occurrencesBetween(fifthWed, at('2026-04-01T00:00:00Z'), at('2026-07-31T00:00:00Z')).map(osloDate)).toEqual([
      '2026-04-29',
      '2026-05-27',
      '2026-06-24',
      '2026-07-29',
    ]);
  });

  it('skips a holiday month instead of moving it', () => {
    const firstThu = plan({ firstSendAt: at('2026-01-01T13:00:00Z'), recurrence: 'monthly', skipHolidays: true }); // 1 Jan is nyttårsdag
    expect(occurrencesBetween(firstThu, at('2026-01-01T00:00:00Z'), at('2026-03-31T00:00:00Z')).map(osloDate)).toEqual(['2026-02-05', '2026-03-05']);
  });
});

describe("nextOccurrence — 'none'", () => {
  const once = plan({ firstSendAt: at('2026-04-02T12:00:00Z'), recurrence: 'none', skipHolidays: true });

  it('gives firstSendAt once, then null; never skipped as a holiday', () => {
    expect(cronPatternFor(once)).toBeNull();
    expect(nextOccurrence(once, at('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-04-02T12:00:00.000Z');
    expect(nextOccurrence(once, at('2026-04-02T12:00:00Z'))).toBeNull();
    expect(occurrencesBetween(once, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toHaveLength(1);
  });

  it('respects endsAt', () => {
    expect(nextOccurrence({ ...once, endsAt: at('2026-04-01T00:00:00Z') }, at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('occurrencesBetween', () => {
  const wednesdays = plan({ firstSendAt: at('2026-11-25T13:00:00Z') });

  it('includes both ends and stops at the limit', () => {
    expect(iso(occurrencesBetween(wednesdays, at('2026-12-02T13:00:00Z'), at('2026-12-16T13:00:00Z')))).toEqual([
      '2026-12-02T13:00:00.000Z',
      '2026-12-09T13:00:00.000Z',
      '2026-12-16T13:00:00.000Z',
    ]);
    expect(occurrencesBetween(wednesdays, at('2026-12-01T00:00:00Z'), at('2030-01-01T00:00:00Z'), 3)).toHaveLength(3);
    expect(occurrencesBetween(wednesdays, at('2026-12-01T00:00:00Z'), at('2030-01-01T00:00:00Z'))).toHaveLength(50);
  });

  it('never starts before firstSendAt', () => {
    expect(osloDate(occurrencesBetween(wednesdays, at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'))[0]!)).toBe('2026-11-25');
  });
});

describe('closesAtFor', () => {
  const opened = at('2026-03-25T13:00:00Z');

  it('adds a duration exactly', () => {
    expect(closesAtFor(opened, { kind: 'duration', ms: 3 * DAY }).toISOString()).toBe('2026-03-28T13:00:00.000Z');
    expect(() => closesAtFor(opened, { kind: 'duration', ms: -1 })).toThrow(RangeError);
  });

  it('closes "until a date" at 16:00 Oslo by default, on either side of DST', () => {
    expect(closesAtFor(opened, { kind: 'until', localDate: '2026-03-27' }).toISOString()).toBe('2026-03-27T15:00:00.000Z');
    expect(closesAtFor(opened, { kind: 'until', localDate: '2026-04-01' }).toISOString()).toBe('2026-04-01T14:00:00.000Z');
    expect(closesAtFor(at('2026-10-21T12:00:00Z'), { kind: 'until', localDate: '2026-10-28' }).toISOString()).toBe('2026-10-28T15:00:00.000Z');
  });

  it('honours an explicit local time', () => {
    expect(closesAtFor(opened, { kind: 'until', localDate: '2026-04-01', localTime: '23:59' }).toISOString()).toBe('2026-04-01T21:59:00.000Z');
  });
});

describe('reminderTimes', () => {
  const opened = at('2026-03-25T13:00:00Z');
  const closes = at('2026-03-28T13:00:00Z');

  it('sorts, de-duplicates and keeps only instants strictly inside the window', () => {
    const got = reminderTimes(
      opened,
      closes,
      [
        { kind: 'beforeClose', ms: 2 * HOUR },
        { kind: 'afterOpen', ms: DAY },
        { kind: 'beforeClose', ms: 2 * DAY }, // = afterOpen 1 day
        { kind: 'afterOpen', ms: 0 }, // at openedAt: out
        { kind: 'beforeClose', ms: 0 }, // at closesAt: out
        { kind: 'afterOpen', ms: 4 * DAY }, // after closing: out
        { kind: 'beforeClose', ms: 5 * DAY }, // before opening: out
      ],
      10,
    );
    expect(iso(got)).toEqual(['2026-03-26T13:00:00.000Z', '2026-03-28T11:00:00.000Z']);
  });

  it('keeps at most `max`, the earliest first', () => {
    const reminders = [1, 2, 3, 4].map((h) => ({ kind: 'afterOpen' as const, ms: h * HOUR }));
    expect(iso(reminderTimes(opened, closes, reminders, 2))).toEqual(['2026-03-25T14:00:00.000Z', '2026-03-25T15:00:00.000Z']);
    expect(reminderTimes(opened, closes, reminders, 0)).toEqual([]);
  });
});
