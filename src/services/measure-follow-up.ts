import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import { measureEvaluationRepository, type EvaluationMeasure, type MeasureEvaluationRepository } from '../db/measure-evaluation-repository.ts';
import { resolveLanguage } from '../domain/language.ts';
import { ancestorsOf, followUpAction, nearestLeaders, type FollowUpForm } from '../domain/measure-due.ts';
import { buildPulseContent } from '../domain/pulse-content.ts';
import { closesAtFor } from '../domain/pulse-start.ts';
import { osloDate } from '../domain/schedule.ts';
import { canStartPulseFor, PULSE_STARTER_ROLES, unitsInScope } from '../domain/unit-scope.ts';
import { translator } from '../i18n/translate.ts';
import { followUpProposalCard } from '../views/measure-follow-up-card.ts';
import { openPulse } from './open-pulse.ts';

export type FollowUpOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'notFound' }
  | { kind: 'exists' | 'notRunning' | 'noBase'; measure: EvaluationMeasure }
  | { kind: 'noRecipients'; measure: EvaluationMeasure; unitName: string }
  | { kind: 'started'; measure: EvaluationMeasure; title: string; unitName: string; closesAt: Date; recipients: number };

/**
 * Sends the proposal for one due measure to its creator and the unit's
 * nearest leaders, if they may still start pulses there. Claimed first in the
 * database, so it goes out once whatever the number of processes or runs.
 */
async function propose(deps: Deps, repo: MeasureEvaluationRepository, m: EvaluationMeasure): Promise<boolean> {
  const base = await repo.basePulse(m.basePulseId);
  const tenant = await deps.directory.tenantById(m.tenantId);
  if (!base || !tenant || !deps.sender) return false;
  const units = await deps.directory.units(m.tenantId);
  const ids = new Set(nearestLeaders(units, m.unitId, await repo.leaderGrants(ancestorsOf(units, m.unitId))));
  if (m.createdById) ids.add(m.createdById);
  const audience = [];
  for (const id of ids) {
    const person = await deps.directory.findPerson(m.tenantId, id);
    if (person && canStartPulseFor(units, await deps.directory.rolesOf(id), m.unitId)) audience.push(person);
  }
  // Nobody may act on it (yet): try again tomorrow rather than use up the one proposal.
  if (audience.length === 0) return false;
  if (!(await repo.claimProposal(m, { recipients: audience.length }))) return false;
  const unitName = units.find((u) => u.id === m.unitId)?.name ?? '';
  for (const person of audience) {
    const conversation = await deps.conversations.personalFor(person.id);
    if (!conversation) continue;
    const lang = resolveLanguage(person.preferredLanguage, person.clientLocale);
    const card = followUpProposalCard(
      { measureId: m.id, catalogueId: m.catalogueId, staffRole: m.staffRole, unitName, startsOn: m.startsOn, base: { title: base.content.title[lang], closedAt: base.closesAt }, k: tenant.minGroupSize },
      lang,
      translator(lang),
    );
    const result = await deps.sender.sendCard({ reference: conversation.reference as object, teamsUserId: person.teamsUserId, tenantId: '', serviceUrl: conversation.serviceUrl }, card);
    if (!result.ok) deps.logger.warn({ measure: m.id, reason: result.reason }, 'follow-up proposal not delivered');
  }
  return true;
}

/**
 * The daily job (08:00 Oslo): proposes a follow-up pulse for every running
 * measure whose evaluation date has come and that has none yet, and marks
 * measures evaluated once their follow-up has closed. Safe to run any number
 * of times (see domain/measure-due.ts and the claim above).
 */
export async function runMeasureFollowUps(deps: Deps): Promise<{ proposed: number; evaluated: number }> {
  const repo = measureEvaluationRepository(deps.db.prisma);
  const today = osloDate(deps.clock());
  let proposed = 0;
  let evaluated = 0;
  for (const m of await repo.running()) {
    const action = followUpAction(m, today);
    if (action === 'propose' && (await propose(deps, repo, m))) proposed += 1;
    if (action === 'markEvaluated' && (await repo.markEvaluated(m.id))) {
      evaluated += 1;
      await deps.audit.record({ tenantId: m.tenantId, action: 'measure.evaluated', target: m.id });
    }
  }
  deps.logger.info({ proposed, evaluated }, 'measure follow-ups checked');
  return { proposed, evaluated };
}

/**
 * «Send oppfølgingspuls»: opens the follow-up pulse for the measure — the
 * base pulse's template, to the measure's unit and staff role — linked to
 * the measure (measureId), once. The card's data may be forged or stale, so
 * the measure and the presser's right to start pulses there are checked again.
 */
export async function startFollowUp(deps: Deps, actor: Actor, form: FollowUpForm): Promise<FollowUpOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  if (unitsInScope(units, actor.roles, PULSE_STARTER_ROLES).length === 0) return { kind: 'notAllowed' };
  const repo = measureEvaluationRepository(deps.db.prisma);
  const measure = await repo.find(actor.tenant.id, form.measureId);
  if (!measure || !canStartPulseFor(units, actor.roles, measure.unitId)) return { kind: 'notFound' };
  if (await repo.followUpOf(measure.id)) return { kind: 'exists', measure };
  if (measure.status !== 'running') return { kind: 'notRunning', measure };
  const base = await repo.basePulse(measure.basePulseId);
  const bank = await deps.bank.forTenant(actor.tenant.id);
  if (!base || !bank.templates.some((t) => t.id === base.templateId)) return { kind: 'noBase', measure };
  const unitName = units.find((u) => u.id === measure.unitId)?.name ?? '';
  const now = deps.clock();
  const opened = await openPulse(deps, {
    tenant: actor.tenant,
    unitId: measure.unitId,
    content: buildPulseContent(bank, base.templateId),
    roleFilter: measure.staffRole ? [measure.staffRole] : [],
    opensAt: now,
    closesAt: closesAtFor(form.window, now),
    remindAt: [],
    onClose: 'publish',
    createdById: actor.person.id,
    link: { measureId: measure.id },
  });
  if (!opened.pulse) return { kind: 'noRecipients', measure, unitName };
  if (!opened.created) return { kind: 'exists', measure };
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'measure.followUp.started', target: measure.id, details: { pulseId: opened.pulse.id, recipients: opened.asked } });
  return { kind: 'started', measure, title: opened.pulse.content.title[actor.lang], unitName, closesAt: opened.pulse.closesAt, recipients: opened.asked };
}
