import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import { buildPulseContent, itemsForPerson } from '../domain/pulse-content.ts';
import { transition } from '../domain/pulse-lifecycle.ts';
import { closesAtFor, selectRecipients, type StartRequest } from '../domain/pulse-start.ts';
import { resolveLanguage } from '../domain/language.ts';
import { canStartPulseFor, subtreeOf } from '../domain/unit-scope.ts';
import { translator } from '../i18n/translate.ts';
import { pulseCard } from '../views/pulse-card.ts';

export type StartOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'noRecipients'; unitName: string }
  | { kind: 'started'; pulseId: string; title: string; unitName: string; closesAt: Date; total: number; sent: number; failed: number; skipped: number };

/**
 * Starts a pulse now for a unit: snapshots the template, records the
 * recipients, and sends each one the card in their own language. Delivery here
 * is sequential and unpaced, fine for a team; the scheduling issue moves it to
 * a paced, resumable outbox.
 */
export async function startPulse(deps: Deps, actor: Actor, request: StartRequest): Promise<StartOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  const unit = units.find((u) => u.id === request.unitId);
  if (!unit || !canStartPulseFor(units, actor.roles, unit.id)) return { kind: 'notAllowed' };

  const now = deps.clock();
  const people = await deps.directory.peopleIn(actor.tenant, subtreeOf(units, unit.id));
  const { included } = selectRecipients(people, request.roleFilter);
  if (included.length === 0) return { kind: 'noRecipients', unitName: unit.name };

  const content = buildPulseContent(await deps.bank.forTenant(actor.tenant.id), request.templateId);
  const pulse = await deps.pulses.create({
    tenantId: actor.tenant.id,
    unitId: unit.id,
    content,
    roleFilter: request.roleFilter,
    opensAt: now,
    closesAt: closesAtFor(request.window, now),
    createdById: actor.person.id,
    status: transition('draft', 'open'),
  });
  const asked = included.filter((p) => itemsForPerson(content, p.pupilGroups).length > 0);
  await deps.pulses.addRecipients(pulse.id, asked.map((p) => p.id));

  let sent = 0;
  let failed = 0;
  for (const person of asked) {
    const lang = resolveLanguage(person.preferredLanguage, person.clientLocale);
    const card = pulseCard(
      { pulseId: pulse.id, content, items: itemsForPerson(content, person.pupilGroups), closesAt: pulse.closesAt, minGroupSize: actor.tenant.minGroupSize, askRole: person.staffRole === null },
      lang,
      translator(lang),
    );
    const conversation = await deps.conversations.personalFor(person.id);
    const result = deps.sender
      ? await deps.sender.sendCard(
          { reference: (conversation?.reference as object | undefined) ?? null, teamsUserId: person.teamsUserId, tenantId: actor.tenant.teamsTenantId, serviceUrl: conversation?.serviceUrl ?? (await deps.conversations.anyServiceUrl(actor.tenant.id)) },
          card,
        )
      : ({ ok: false, reason: 'error', detail: 'no sender configured' } as const);
    if (result.ok) {
      sent++;
      await deps.pulses.markSent(pulse.id, person.id, { conversationId: result.conversationId, activityId: result.activityId }, deps.clock());
      if (!conversation) {
        await deps.conversations.save({ tenantId: actor.tenant.id, conversationId: result.conversationId, kind: 'personal', serviceUrl: String(result.reference.serviceUrl ?? ''), personId: person.id, reference: result.reference as Record<string, unknown> });
      }
    } else {
      failed++;
      await deps.pulses.markFailed(pulse.id, person.id, result.reason);
      deps.logger.warn({ pulse: pulse.id, reason: result.reason, status: 'status' in result ? result.status : undefined }, 'pulse card not delivered');
    }
  }
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'pulse.started', target: pulse.id, details: { unitId: unit.id, template: content.templateId, recipients: asked.length, sent, failed } });
  return { kind: 'started', pulseId: pulse.id, title: content.title[actor.lang], unitName: unit.name, closesAt: pulse.closesAt, total: included.length, sent, failed, skipped: included.length - asked.length };
}
