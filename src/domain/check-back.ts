/**
 * The check-back round, pure: after results are published, the people who got
 * a pulse are asked whether the results make sense to them (SNELD, seed
 * 001_…: "a check-back round asks staff whether the results and
 * interpretations make sense"). It is a pulse like any other, from the
 * `tilbakemelding` template, aggregated with the same anonymity rule.
 */
import { ANSWER_WINDOWS, DEFAULT_WINDOW, type AnswerWindow } from './pulse-start.ts';

/** "sjekk tilbake", "tilbakemelding" (nb/nn), "check back", "check-back" (en). */
export const CHECK_BACK_PATTERN = /^\s*(sjekk\s+tilbake|tilbakemelding|check[\s-]*back)\b/i;

/** The question-bank template a check-back asks (two 1–5 items and a comment). */
export const CHECK_BACK_TEMPLATE = 'tilbakemelding';

/** More pulses than a round holds (a county's schools): a card carrying more is not ours. */
export const MAX_CHECK_BACK_PULSES = 2000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CheckBackForm = { pulseIds: string[]; window: AnswerWindow };

/**
 * What the confirmation card sent back: the pulse ids ("id,id,…") and the
 * answer window. null for anything a card of ours could not have sent (a
 * forged or damaged card); the pulses are checked again by the service.
 *
 * @example parseCheckBackForm({ pulseIds: '3f0a…,9b1c…', window: '3d' }) // → { pulseIds: ['3f0a…', '9b1c…'], window: '3d' }
 */
export function parseCheckBackForm(data: unknown): CheckBackForm | null {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  if (typeof d.pulseIds !== 'string') return null;
  const parts = d.pulseIds.split(',').map((s) => s.trim().toLowerCase());
  if (parts.length === 0 || parts.length > MAX_CHECK_BACK_PULSES || !parts.every((p) => UUID.test(p))) return null;
  const window = typeof d.window === 'string' && d.window.trim() ? d.window.trim() : DEFAULT_WINDOW;
  if (!(window in ANSWER_WINDOWS)) return null;
  return { pulseIds: [...new Set(parts)], window: window as AnswerWindow };
}

export type RoundPulseLink = {
  id: string;
  unitId: string;
  /** Set when this pulse is itself a check-back (of that pulse). */
  checkBackOfId: string | null;
  /** Set when a check-back of this pulse already exists (not cancelled). */
  checkBackId: string | null;
};

export type CheckBackTargets = {
  /** Pulses to ask about now. */
  ask: string[];
  /** Pulses that already have their check-back. */
  already: string[];
  /** The round is itself a check-back round: its origins are what was asked about. */
  origins: string[];
};

/**
 * Which pulses of the latest round get a check-back: those the actor may
 * start pulses for, that are not check-backs themselves (no check-back of a
 * check-back), and that have none yet (one per pulse).
 */
export function checkBackTargets(round: readonly RoundPulseLink[], mayStartFor: (unitId: string) => boolean): CheckBackTargets {
  const out: CheckBackTargets = { ask: [], already: [], origins: [] };
  for (const p of round) {
    if (!mayStartFor(p.unitId)) continue;
    if (p.checkBackOfId) out.origins.push(p.checkBackOfId);
    else if (p.checkBackId) out.already.push(p.id);
    else out.ask.push(p.id);
  }
  return out;
}
