/**
 * What a measure suggestion is computed from, pure. Needs and barriers are
 * asked in different pulses (a theme template, a barrier template, the pupil
 * groups), so one staff group's results from the latest round of each are put
 * side by side. Each part went through the anonymity rule on its own round;
 * combining only lists visible figures together and hides nothing less.
 */
import type { GroupResult } from './aggregate-results.ts';
import { parseResultsQuery } from './results-query.ts';
import { SCHOOL_LEVELS, STAFF_ROLES, type SchoolLevel, type StaffRole } from './profile.ts';

/** "forslag", "forslag for BUA", "hva bør vi gjøre for assistentene?", nn "kva bør vi gjere", en "suggestions", "what should we do". */
export const SUGGESTION_PATTERN = /^\s*(forslag\w*|tiltak\b(?!\s*:)|suggest\w*|(hva|kva)\s+(bør|kan|skal)\s+(vi|jeg|eg)\s+(gjøre|gjere)\b.*|what\s+(should|can|could)\s+(we|i)\s+do\b.*)/i;

export type SuggestionQuery = { role: StaffRole | null; level: SchoolLevel | null };

/** The staff group a leader asks about, in their own words (same vocabulary as results). */
export function parseSuggestionQuery(text: string): SuggestionQuery {
  const { role, level } = parseResultsQuery(text);
  return { role, level };
}

/**
 * One group's visible results from several rounds as one GroupResult: the
 * items and themes of each visible part, respondents of the largest part.
 * Hidden when no part is visible (nothing may then be suggested from it).
 *
 * @example combineGroupResults('teacher', [needsRound, barriersRound]) // → { key: 'teacher', suppressed: false, items: [...both], themes: [...] }
 */
export function combineGroupResults(key: string, parts: readonly GroupResult[]): GroupResult {
  const visible = parts.flatMap((g) => (g.suppressed ? [] : [g]));
  if (visible.length === 0) return { key, suppressed: true, reason: parts[0]?.reason ?? 'small', respondents: null, items: [], themes: [] };
  return {
    key,
    suppressed: false,
    reason: null,
    respondents: Math.max(...visible.map((g) => g.respondents)),
    items: visible.flatMap((g) => g.items),
    themes: visible.flatMap((g) => g.themes),
  };
}

export type MeasureChoice = { catalogueId: string; groupKey: string; unitId: string; startsOn: Date; evaluateAfterMonths: 3 | 6 | 12 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GROUP_KEYS: readonly string[] = ['all', ...STAFF_ROLES, ...SCHOOL_LEVELS];

/**
 * Checks what a «Velg» button sent (card data may be forged or stale): a
 * catalogue id, a known group, a unit id, a start date from a year back to
 * two years ahead (Oslo calendar date) and 3, 6 or 12 months to evaluation.
 */
export function parseMeasureChoice(data: unknown, today: Date): { ok: true; value: MeasureChoice } | { ok: false; problem: 'choice' | 'date' } {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const catalogueId = str(d.catalogueId);
  const groupKey = str(d.groupKey);
  const unitId = str(d.unitId);
  if (!/^[a-z0-9-]{1,80}$/.test(catalogueId) || !GROUP_KEYS.includes(groupKey) || !UUID.test(unitId)) return { ok: false, problem: 'choice' };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str(d.startsOn));
  const startsOn = date ? new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))) : null;
  const valid = startsOn && startsOn.toISOString().slice(0, 10) === str(d.startsOn);
  const dayMs = 86_400_000;
  if (!valid || startsOn.getTime() < today.getTime() - 366 * dayMs || startsOn.getTime() > today.getTime() + 2 * 366 * dayMs) return { ok: false, problem: 'date' };
  const months = Number(str(d.evaluateAfter) || '6');
  if (months !== 3 && months !== 6 && months !== 12) return { ok: false, problem: 'choice' };
  return { ok: true, value: { catalogueId, groupKey, unitId, startsOn, evaluateAfterMonths: months } };
}
