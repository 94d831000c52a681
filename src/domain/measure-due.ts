/**
 * When a measure (tiltak) is due for its evaluation, pure. SNELD's process
 * (seed 001_…) ends with "evaluate: did it have an effect?": after the
 * chosen period the bot proposes a follow-up pulse with the same items to
 * the same group, once, and the measure counts as evaluated when that pulse
 * has closed.
 */
import { ANSWER_WINDOWS, DEFAULT_WINDOW, type AnswerWindow } from './pulse-start.ts';
import type { UnitNode } from './unit-scope.ts';

export type MeasureStatus = 'planned' | 'running' | 'evaluated' | 'cancelled';

/** The measure's follow-up pulse: none yet (or only cancelled ones), open, or closed/published. */
export type FollowUpState = 'none' | 'open' | 'closed';

export type MeasureDueInput = {
  status: MeasureStatus;
  /** A calendar date (database `date`, midnight UTC). */
  evaluateOn: Date;
  /** The "before" pulse exists: without it there is no template to repeat and nothing to compare with. */
  hasBase: boolean;
  followUp: FollowUpState;
  /** The follow-up was already proposed (proposals are sent once). */
  proposed: boolean;
};

export type FollowUpAction = 'propose' | 'markEvaluated' | 'none';

/** "2026-12-01" for a database `date` (stored as midnight UTC, so no time zone shift). */
export const calendarDate = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * What the daily job does with a measure on `today` (an Oslo calendar date,
 * "YYYY-MM-DD"): propose its follow-up pulse, mark it evaluated, or nothing.
 *
 * @example followUpAction({ status: 'running', evaluateOn: new Date('2027-03-01'), hasBase: true, followUp: 'none', proposed: false }, '2027-03-01') // → 'propose'
 */
export function followUpAction(m: MeasureDueInput, today: string): FollowUpAction {
  if (m.status !== 'running') return 'none';
  if (m.followUp === 'closed') return 'markEvaluated';
  if (m.followUp === 'open' || m.proposed || !m.hasBase) return 'none';
  return calendarDate(m.evaluateOn) <= today ? 'propose' : 'none';
}

/**
 * The leaders closest to a unit: those holding the leader role on the unit
 * itself, or else on the nearest unit above it that has any. A municipality
 * leader is not asked about every school's measure when the school has its
 * own leader.
 *
 * @example nearestLeaders(units, 'team-5a', [{ personId: 'rita', unitId: 'school-a' }, { personId: 'kommunalsjef', unitId: 'root' }]) // → ['rita']
 */
export function nearestLeaders(units: readonly UnitNode[], unitId: string, grants: readonly { personId: string; unitId: string }[]): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const seen = new Set<string>();
  for (let u = byId.get(unitId); u && !seen.has(u.id); u = u.parentId ? byId.get(u.parentId) : undefined) {
    seen.add(u.id);
    const here = grants.filter((g) => g.unitId === u!.id).map((g) => g.personId);
    if (here.length > 0) return [...new Set(here)];
  }
  return [];
}

/** The unit and the units above it, nearest first. */
export function ancestorsOf(units: readonly UnitNode[], unitId: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: string[] = [];
  for (let u = byId.get(unitId); u && !out.includes(u.id); u = u.parentId ? byId.get(u.parentId) : undefined) out.push(u.id);
  return out;
}

export type FollowUpForm = { measureId: string; window: AnswerWindow };

/**
 * What the «Send oppfølgingspuls» button sent: the measure id and the answer
 * window. null for anything our card could not have sent; the measure and
 * the presser's rights are checked again by the service.
 */
export function parseFollowUpForm(data: unknown): FollowUpForm | null {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const measureId = typeof d.measureId === 'string' ? d.measureId.trim().toLowerCase() : '';
  const window = typeof d.window === 'string' && d.window.trim() ? d.window.trim() : DEFAULT_WINDOW;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(measureId) || !(window in ANSWER_WINDOWS)) return null;
  return { measureId, window: window as AnswerWindow };
}
