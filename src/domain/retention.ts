/**
 * How long raw answers and comments are kept (README, "Personvern"). Pure.
 *
 * Results never need the raw rows once a pulse has closed: before any answer
 * of a closed pulse is deleted, its counts are stored (PulseTally), and every
 * view — results, trend, suggestions, measure evaluation, export — reads
 * those counts through `resultsRepository.tallies`. The floor is the longest
 * look-back a view has, so raw rows are never deleted inside any window a
 * view reads: suggestions combine rounds closed in the last 365 days, a round
 * spans 21 days, and a measure is evaluated against its base round (which was
 * within that year when the measure was chosen) — plus the longest answer
 * window (14 days).
 */
export const SUGGESTION_LOOKBACK_DAYS = 365;
export const ROUND_SPAN_DAYS = 21;
export const LONGEST_ANSWER_WINDOW_DAYS = 14;
export const RETENTION_FLOOR_DAYS = SUGGESTION_LOOKBACK_DAYS + ROUND_SPAN_DAYS + LONGEST_ANSWER_WINDOW_DAYS; // 400
export const DEFAULT_RETENTION_DAYS = 730;

const DAY_MS = 86_400_000;

/** Answers of pulses that closed before this instant are deleted (their counts kept). */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - Math.max(days, RETENTION_FLOOR_DAYS) * DAY_MS);
}

/** 02:30 every night, Europe/Oslo: after the day's pulses have closed, before anyone is at work. */
export const RETENTION_CRON = '30 2 * * *';
