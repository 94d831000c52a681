import type { Actor } from './actor.ts';
import { latestRoundInScope } from './results-scope.ts';
import type { Deps } from '../deps.ts';
import { sharingRepository, type SharablePulse } from '../db/sharing-repository.ts';
import { canShareResults, parsePulseIds } from '../domain/results-access.ts';
import type { UnitNode } from '../domain/unit-scope.ts';

/** What a leader is about to share: the round, its units, and whether it is shared already. */
export type ShareProposal = {
  pulseIds: string[];
  title: string;
  closedAt: Date;
  /** The round's units, by name: whose staff will see it. */
  unitNames: string[];
  k: number;
  /** Set when every pulse of the round is shared already (the latest date). */
  sharedAt: Date | null;
};

export type ShareProposalOutcome = { kind: 'notAllowed' } | { kind: 'noResults' } | { kind: 'ok'; proposal: ShareProposal };
export type ShareOutcome = { kind: 'notAllowed' } | { kind: 'shared'; proposal: ShareProposal; newlyShared: number };

/** «del resultater»: the latest round in the actor's scope, to confirm before sharing. */
export async function proposeLatestShare(deps: Deps, actor: Actor): Promise<ShareProposalOutcome> {
  const found = await latestRoundInScope(deps, actor);
  if (found.kind !== 'ok') return found;
  return proposeShare(deps, actor, found.round.map((p) => p.id), found.units);
}

/** The «Del med ansatte» button: its pulses, checked again (a card can be stale or forged). */
export async function proposeShare(deps: Deps, actor: Actor, rawPulseIds: unknown, units?: readonly UnitNode[]): Promise<ShareProposalOutcome> {
  const checked = await checkShare(deps, actor, rawPulseIds, units);
  if (checked.kind !== 'ok') return checked;
  return { kind: 'ok', proposal: proposalOf(actor, checked.pulses, checked.units) };
}

/**
 * Shares the round's anonymous summary with the staff of its units. Only
 * someone with full access to every pulse may; anything else (staff, an
 * admin without a leader role, a pulse outside the actor's units, another
 * tenant's or an open pulse, a damaged id) changes nothing. Sharing again
 * changes nothing either, and is audited only when something was shared.
 */
export async function shareWithStaff(deps: Deps, actor: Actor, rawPulseIds: unknown): Promise<ShareOutcome> {
  const checked = await checkShare(deps, actor, rawPulseIds);
  if (checked.kind !== 'ok') return checked;
  const ids = checked.pulses.map((p) => p.id);
  const before = proposalOf(actor, checked.pulses, checked.units);
  const now = deps.clock();
  const newlyShared = await sharingRepository(deps.db.prisma).markShared(actor.tenant.id, ids, actor.person.id, now);
  if (newlyShared > 0) {
    await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'results.shared', target: checked.pulses[0]!.id, details: { pulses: ids.length, newlyShared } });
  }
  return { kind: 'shared', proposal: { ...before, sharedAt: newlyShared > 0 ? now : before.sharedAt }, newlyShared };
}

async function checkShare(deps: Deps, actor: Actor, rawPulseIds: unknown, known?: readonly UnitNode[]): Promise<{ kind: 'notAllowed' } | { kind: 'ok'; pulses: SharablePulse[]; units: readonly UnitNode[] }> {
  const ids = parsePulseIds(rawPulseIds);
  if (!ids) return refuse(deps, actor, 'badIds');
  const units = known ?? (await deps.directory.units(actor.tenant.id));
  const pulses = await sharingRepository(deps.db.prisma).closedPulses(actor.tenant.id, ids);
  // Every id must be this tenant's closed pulse, and the actor a leader or coordinator over each.
  if (pulses.length !== ids.length) return refuse(deps, actor, 'unknownPulse');
  if (!canShareResults({ roles: actor.roles }, units, pulses)) return refuse(deps, actor, 'outsideScope');
  return { kind: 'ok', pulses, units };
}

function refuse(deps: Deps, actor: Actor, reason: string): { kind: 'notAllowed' } {
  deps.logger.warn({ tenant: actor.tenant.id, reason }, 'results share refused');
  return { kind: 'notAllowed' };
}

function proposalOf(actor: Actor, pulses: readonly SharablePulse[], units: readonly UnitNode[]): ShareProposal {
  const newest = pulses[0]!;
  const names = [...new Set(pulses.map((p) => units.find((u) => u.id === p.unitId)?.name ?? ''))].filter(Boolean).sort((a, b) => a.localeCompare(b, 'nb'));
  const dates = pulses.map((p) => p.sharedWithStaffAt);
  const sharedAt = dates.every((d) => d !== null) ? new Date(Math.max(...dates.map((d) => d!.getTime()))) : null;
  return { pulseIds: pulses.map((p) => p.id), title: newest.content.title[actor.lang], closedAt: newest.closesAt, unitNames: names, k: actor.tenant.minGroupSize, sharedAt };
}
