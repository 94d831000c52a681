import type { Deps } from '../deps.ts';
import type { Actor } from './actor.ts';
import { privacyRepository, type ErasureCounts, type PersonData } from '../db/privacy-repository.ts';
import type { PersonRecord } from '../db/directory-repository.ts';
import { signToken, verifyToken } from '../domain/signed-token.ts';

/**
 * Right of access and erasure (GDPR art. 15 and 17), README "Personvern".
 *
 * - `mine data`: the person's own data, to the person only (audited as
 *   `person.dataViewed`, counts only).
 * - `slett mine data` / an admin's `slett person <e-post>`: a confirmation
 *   card whose button carries a signed, short-lived token naming who asked
 *   and whom it erases; the confirm re-checks both against the clicker, so a
 *   forged or forwarded button does nothing. Published results stay as they
 *   are (privacy-repository `erase` stores the counts of closed pulses first).
 *   Audited as `person.erased` with who did it and row counts, never content.
 */

const CONFIRM_MS = 15 * 60_000;

export type EraseTokenPayload = { tenantId: string; by: string; personId: string; exp: number };

const isErasePayload = (v: unknown): v is EraseTokenPayload => {
  const p = v as EraseTokenPayload;
  return !!p && typeof p === 'object' && typeof p.tenantId === 'string' && typeof p.by === 'string' && typeof p.personId === 'string' && typeof p.exp === 'number';
};

export type ErasureProposal = {
  self: boolean;
  person: Pick<PersonRecord, 'id' | 'name'> & { email: string | null };
  counts: Awaited<ReturnType<ReturnType<typeof privacyRepository>['erasurePreview']>>;
  /** Roles the person holds (others may need them handed over first). */
  roles: Array<{ role: string; unitName: string }>;
  /** The person is the tenant's only admin. */
  lastAdmin: boolean;
  token: string;
  expiresAt: Date;
};

const repo = (deps: Deps) => privacyRepository(deps.db.prisma, deps.db.sql);

/** The actor's own stored data; audited. */
export async function myData(deps: Deps, actor: Actor): Promise<PersonData | null> {
  const data = await repo(deps).personData(actor.person.id);
  if (data) {
    await deps.audit.record({
      tenantId: actor.tenant.id,
      actorId: actor.person.id,
      action: 'person.dataViewed',
      target: actor.person.id,
      details: { pulses: data.pulses.length, answers: data.pulses.reduce((n, p) => n + p.answers.length, 0) },
    });
  }
  return data;
}

const isAdmin = (actor: Actor) => actor.roles.some((r) => r.role === 'admin');

async function proposal(deps: Deps, actor: Actor, person: { id: string; name: string | null }, self: boolean): Promise<ErasureProposal> {
  const prisma = deps.db.prisma;
  const [row, counts, roles, admins] = await Promise.all([
    prisma.person.findUnique({ where: { id: person.id }, select: { email: true } }),
    repo(deps).erasurePreview(person.id),
    prisma.roleAssignment.findMany({ where: { personId: person.id }, select: { role: true, unit: { select: { name: true } } } }),
    prisma.roleAssignment.findMany({ where: { role: 'admin', unit: { tenantId: actor.tenant.id } }, select: { personId: true } }),
  ]);
  const expiresAt = new Date(deps.clock().getTime() + CONFIRM_MS);
  const token = signToken<EraseTokenPayload>('erase', { tenantId: actor.tenant.id, by: actor.person.id, personId: person.id, exp: expiresAt.getTime() }, deps.config.export.signingSecret);
  const adminIds = new Set(admins.map((a) => a.personId));
  return {
    self,
    person: { id: person.id, name: person.name, email: row?.email ?? null },
    counts,
    roles: roles.map((r) => ({ role: r.role, unitName: r.unit.name })),
    lastAdmin: adminIds.size === 1 && adminIds.has(person.id),
    token,
    expiresAt,
  };
}

/** «slett mine data»: what would be deleted, and a confirm token for the actor themself. */
export async function proposeSelfErasure(deps: Deps, actor: Actor): Promise<ErasureProposal> {
  return proposal(deps, actor, actor.person, true);
}

export type AdminProposalOutcome = { kind: 'notAdmin' } | { kind: 'notFound' } | { kind: 'ok'; proposal: ErasureProposal };

/** «slett person kari@skole.no»: admins only, people in the admin's own tenant only. */
export async function proposeAdminErasure(deps: Deps, actor: Actor, email: string): Promise<AdminProposalOutcome> {
  if (!isAdmin(actor)) return { kind: 'notAdmin' };
  const person = await deps.directory.findPersonByEmail(actor.tenant.id, email);
  if (!person) return { kind: 'notFound' };
  return { kind: 'ok', proposal: await proposal(deps, actor, person, person.id === actor.person.id) };
}

export type ErasureOutcome = { kind: 'refused' } | { kind: 'gone' } | { kind: 'erased'; self: boolean; name: string; counts: ErasureCounts };

/**
 * The confirm button. The token must be valid and unexpired, name the
 * clicker as the one who asked and the clicker's tenant; erasing someone
 * else also needs the admin role now. Anything else changes nothing.
 */
export async function confirmErasure(deps: Deps, actor: Actor, token: unknown): Promise<ErasureOutcome> {
  const payload = verifyToken('erase', token, deps.config.export.signingSecret, deps.clock(), isErasePayload);
  if (!payload || payload.by !== actor.person.id || payload.tenantId !== actor.tenant.id) return { kind: 'refused' };
  const self = payload.personId === actor.person.id;
  if (!self && !isAdmin(actor)) return { kind: 'refused' };
  const target = await deps.directory.findPerson(actor.tenant.id, payload.personId);
  if (!target) return { kind: 'gone' };
  const counts = await repo(deps).erase(target.id);
  await deps.audit.record({
    tenantId: actor.tenant.id,
    // A self-erasure names the erased id (it then points to no one); an admin's names the admin.
    actorId: actor.person.id,
    action: 'person.erased',
    target: target.id,
    details: { by: self ? 'self' : 'admin', ...counts },
  });
  deps.logger.info({ self, ...counts }, 'person erased');
  return { kind: 'erased', self, name: target.name ?? target.id.slice(0, 8), counts };
}
