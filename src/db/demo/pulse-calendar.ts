import { osloDate } from '../../domain/schedule.ts';

export const DAY = 86_400_000;

/** The pulses each school ran, oldest first: weeks before `now` and template. */
export const DEMO_PULSES: ReadonlyArray<{ key: string; templateId: string; weeksAgo: number; round: 1 | 2 }> = [
  { key: 'laringsmiljo-1-a', templateId: 'laringsmiljo-1', weeksAgo: 26, round: 1 },
  { key: 'laringsmiljo-1-b', templateId: 'laringsmiljo-1', weeksAgo: 12, round: 2 },
  { key: 'hindringer-tilrettelegging', templateId: 'hindringer-tilrettelegging', weeksAgo: 7, round: 2 },
  { key: 'elevgrupper-1', templateId: 'elevgrupper-1', weeksAgo: 3, round: 2 },
];

/** Oslo date `weeksAgo` weeks before `now`, moved to `weekday` (1 = Monday) of that week. */
export function dateInWeek(now: Date, weeksAgo: number, weekday: number): string {
  const [y, m, d] = osloDate(now).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d) - weeksAgo * 7 * DAY);
  const monday = day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY;
  return new Date(monday + (weekday - 1) * DAY).toISOString().slice(0, 10);
}
export const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Summer and Christmas holidays: no school runs a pulse then. */
function inHolidays(date: string): boolean {
  const md = date.slice(5, 7) + date.slice(8, 10);
  return (md >= '0615' && md <= '0815') || md >= '1218' || md <= '0103';
}

/**
 * Weeks before `now` of each demo pulse: as in DEMO_PULSES, but moved earlier
 * when its two weeks would touch a holiday, and always in order (one week apart
 * at least), so the newest pulse of a school is always the same one.
 */
export function demoPulseWeeks(now: Date): Map<string, number> {
  const weeks = new Map<string, number>();
  let newer = 0;
  for (const spec of [...DEMO_PULSES].sort((a, b) => a.weeksAgo - b.weeksAgo)) {
    let w = Math.max(spec.weeksAgo, newer + 1);
    const touchesHoliday = (wk: number) => {
      const monday = dateInWeek(now, wk, 1);
      return Array.from({ length: 19 }, (_, i) => plusDays(monday, i)).some(inHolidays);
    };
    while (touchesHoliday(w)) w++;
    weeks.set(spec.key, w);
    newer = w;
  }
  return weeks;
}
