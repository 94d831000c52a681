import type { Deps } from '../deps.ts';
import type { PulseRecord } from '../db/pulse-repository.ts';
import type { PersonRecord, TenantRecord } from '../db/directory-repository.ts';
import type { StaffRole } from '../domain/profile.ts';
import { itemsForPerson, type PulseContent } from '../domain/pulse-content.ts';
import { transition } from '../domain/pulse-lifecycle.ts';
import { selectRecipients } from '../domain/pulse-start.ts';
import { subtreeOf } from '../domain/unit-scope.ts';
import { QUEUES } from '../jobs/job-queue.ts';

export type OpenPulseInput = {
  tenant: TenantRecord;
  unitId: string;
  content: PulseContent;
  roleFilter: StaffRole[];
  opensAt: Date;
  closesAt: Date;
  remindAt: Date[];
  onClose: string;
  createdById: string | null;
  plan?: { id: string; occurrence: Date };
  /** A check-back of a pulse, or the follow-up of a measure: opened at most once (pulse-repository). */
  link?: { checkBackOfId: string } | { measureId: string };
};

export type OpenedPulse = { pulse: PulseRecord | null; created: boolean; total: number; asked: number };

/**
 * Opens a pulse for a unit: records it, who it is for, and one outbox row per
 * person, then hands the rows to the send queue and schedules reminders and
 * the close. Every step is idempotent, so a job that dies half-way and runs
 * again finishes the work without sending anything twice.
 */
export async function openPulse(deps: Deps, input: OpenPulseInput): Promise<OpenedPulse> {
  const units = await deps.directory.units(input.tenant.id);
  const people = await deps.directory.peopleIn(input.tenant, subtreeOf(units, input.unitId));
  const { included } = selectRecipients(people, input.roleFilter);
  return openPulseTo(deps, input, included);
}

/**
 * The same as `openPulse`, for a list of people chosen by the caller instead
 * of the unit and role filter: a check-back goes to exactly the people the
 * pulse it asks about went to, not to whoever is in the unit today.
 */
export async function openPulseTo(deps: Deps, input: OpenPulseInput, included: readonly PersonRecord[]): Promise<OpenedPulse> {
  const asked = included.filter((p) => itemsForPerson(input.content, p.pupilGroups).length > 0);
  if (asked.length === 0) return { pulse: null, created: false, total: included.length, asked: 0 };

  const { pulse, created } = await deps.pulses.create({
    tenantId: input.tenant.id,
    unitId: input.unitId,
    content: input.content,
    roleFilter: input.roleFilter,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    createdById: input.createdById,
    status: transition('draft', 'open'),
    planId: input.plan?.id,
    occurrence: input.plan?.occurrence,
    remindAt: input.remindAt,
    onClose: input.onClose,
    ...input.link,
  });
  await deps.pulses.addRecipients(pulse.id, asked.map((p) => p.id));
  const ids = await deps.outbox.enqueue(input.tenant.id, pulse.id, asked.map((p) => p.id), 'pulse', 0);
  if (deps.jobs) {
    await deps.jobs.sendMany(QUEUES.send, ids.map((outboxId) => ({ data: { outboxId } })));
    await scheduleLifecycle(deps, pulse);
  }
  return { pulse, created, total: included.length, asked: asked.length };
}

/** Reminder and close jobs for an open pulse (re-sent on start-up; the handlers are idempotent). */
export async function scheduleLifecycle(deps: Deps, pulse: PulseRecord): Promise<void> {
  if (!deps.jobs) return;
  for (const [seq, at] of pulse.remindAt.entries()) {
    await deps.jobs.send(QUEUES.remind, { pulseId: pulse.id, seq: seq + 1 }, { startAfter: at, singletonKey: `${pulse.id}:${seq + 1}` });
  }
  await deps.jobs.send(QUEUES.close, { pulseId: pulse.id }, { startAfter: pulse.closesAt, singletonKey: pulse.id });
}
