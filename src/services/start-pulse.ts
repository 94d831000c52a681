import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import { buildPulseContent } from '../domain/pulse-content.ts';
import { closesAtFor, type StartRequest } from '../domain/pulse-start.ts';
import { canStartPulseFor } from '../domain/unit-scope.ts';
import { openPulse } from './open-pulse.ts';

export type StartOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'noRecipients'; unitName: string }
  | { kind: 'started'; pulseId: string; title: string; unitName: string; closesAt: Date; total: number; queued: number; skipped: number };

/**
 * Starts a pulse now for a unit in the actor's scope. Delivery goes through
 * the paced outbox; the caller shows progress (see delivery/progress.ts).
 */
export async function startPulse(deps: Deps, actor: Actor, request: StartRequest): Promise<StartOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  const unit = units.find((u) => u.id === request.unitId);
  if (!unit || !canStartPulseFor(units, actor.roles, unit.id)) return { kind: 'notAllowed' };
  const now = deps.clock();
  const content = buildPulseContent(await deps.bank.forTenant(actor.tenant.id), request.templateId);
  const opened = await openPulse(deps, {
    tenant: actor.tenant,
    unitId: unit.id,
    content,
    roleFilter: request.roleFilter,
    opensAt: now,
    closesAt: closesAtFor(request.window, now),
    remindAt: [],
    onClose: 'publish',
    createdById: actor.person.id,
  });
  if (!opened.pulse) return { kind: 'noRecipients', unitName: unit.name };
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'pulse.started', target: opened.pulse.id, details: { unitId: unit.id, template: content.templateId, recipients: opened.asked } });
  return { kind: 'started', pulseId: opened.pulse.id, title: content.title[actor.lang], unitName: unit.name, closesAt: opened.pulse.closesAt, total: opened.total, queued: opened.asked, skipped: opened.total - opened.asked };
}
