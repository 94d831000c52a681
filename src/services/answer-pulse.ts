import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import type { PulseRecord } from '../db/pulse-repository.ts';
import { decideAcceptance, validateAnswers, type AcceptanceDecision, type AnswerProblem, type AnswerValue } from '../domain/answer-validation.ts';
import { STAFF_ROLES, type StaffRole } from '../domain/profile.ts';
import { itemsForPerson, type PulseItem } from '../domain/pulse-content.ts';

export type AnswerOutcome =
  | { kind: 'saved'; pulse: PulseRecord; items: PulseItem[]; answers: AnswerValue[] }
  | { kind: 'invalid'; pulse: PulseRecord; items: PulseItem[]; problems: AnswerProblem[]; roleMissing: boolean; values: Record<string, string> }
  | { kind: 'refused'; reason: Exclude<AcceptanceDecision, 'accept'> | 'notFound'; pulse: PulseRecord | null };

/** The pulse and the items this person is asked (and their school, for the answer snapshot), if they may answer it now. */
export async function openPulseFor(
  deps: Deps,
  actor: Actor,
  pulseId: string,
): Promise<{ ok: true; pulse: PulseRecord; items: PulseItem[]; schoolId: string | null } | Extract<AnswerOutcome, { kind: 'refused' }>> {
  const found = await deps.pulses.answeringContext(actor.tenant.id, pulseId, actor.person.id);
  if (!found) return { kind: 'refused', reason: 'notFound', pulse: null };
  const { pulse } = found;
  const decision = decideAcceptance(pulse, found.isRecipient, deps.clock());
  if (decision !== 'accept') return { kind: 'refused', reason: decision, pulse };
  return { ok: true, pulse, items: itemsForPerson(pulse.content, actor.person.pupilGroups), schoolId: found.schoolId };
}

/**
 * Validates and stores one submission (card or text). Everything is checked
 * before anything is written; a resubmission replaces the earlier answers.
 * `via: 'card'` may carry the staff role for people without a profile.
 */
export async function submitAnswers(deps: Deps, actor: Actor, pulseId: string, input: Record<string, unknown>, via: 'card' | 'text'): Promise<AnswerOutcome> {
  const open = await openPulseFor(deps, actor, pulseId);
  if (!('ok' in open)) return open;
  const { pulse, items, schoolId } = open;
  const result = validateAnswers(items, input);
  const roleInput = typeof input.staffRole === 'string' ? input.staffRole.trim() : '';
  const role = (STAFF_ROLES as readonly string[]).includes(roleInput) ? (roleInput as StaffRole) : null;
  const roleMissing = via === 'card' && actor.person.staffRole === null && role === null;
  if (!result.ok || roleMissing) {
    const values = Object.fromEntries(
      Object.entries(input)
        .filter(([k, v]) => typeof v === 'string' && (k === 'staffRole' || items.some((i) => i.id === k)))
        .map(([k, v]) => [k, String(v)]),
    );
    return { kind: 'invalid', pulse, items, problems: result.ok ? [] : result.problems, roleMissing, values };
  }
  const now = deps.clock();
  let person = actor.person;
  if (person.staffRole === null && role !== null) person = await deps.directory.setStaffRole(person.id, role);
  await deps.pulses.replaceAnswers(pulse.id, person.id, result.answers, { staffRole: person.staffRole, schoolLevel: person.schoolLevel, schoolId }, now, {
    tenantId: actor.tenant.id,
    details: { via, items: result.answers.length },
  });
  return { kind: 'saved', pulse, items, answers: result.answers };
}
