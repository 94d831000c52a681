import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { RosterCounts, RosterPlan, RosterState } from '../domain/roster-plan.ts';
import { isEmptyPlan } from '../domain/roster-plan.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Interactive transactions default to 5 s; a large roster on a slow disk needs more. */
const APPLY_TIMEOUT_MS = 5 * 60_000;

/**
 * Bulk statements are sent in batches this size: small enough that Prisma
 * does not split them itself (it would run the pieces concurrently on the
 * one transaction connection, which pg deprecates).
 */
const BATCH = 1000;

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** The part of the tenant's directory a roster import compares against. */
export async function loadRosterState(prisma: Db, tenantId: string): Promise<RosterState> {
  // Sequential on purpose: `prisma` may be a transaction client.
  const root = await prisma.orgUnit.findFirst({ where: { tenantId, kind: 'organisation' }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  const units = await prisma.orgUnit.findMany({
    where: { tenantId, kind: { in: ['county', 'municipality', 'school'] } },
    select: { id: true, kind: true, name: true, externalId: true, parentId: true, schoolLevel: true },
    orderBy: { id: 'asc' },
  });
  const people = await prisma.person.findMany({
    where: { tenantId },
    select: { id: true, email: true, aadObjectId: true, name: true, staffRole: true },
    orderBy: { id: 'asc' },
  });
  const memberships = await prisma.membership.findMany({ where: { person: { tenantId } }, select: { personId: true, unitId: true } });
  const roles = await prisma.roleAssignment.findMany({ where: { person: { tenantId } }, select: { personId: true, unitId: true, role: true } });
  return { rootUnitId: root?.id ?? null, units, people, memberships, roles };
}

export class RosterApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterApplyError';
  }
}

/**
 * Writes a plan from planRosterImport in one transaction: all of it or none.
 * Upserts by (tenant, externalId) for units and (tenant, email) for people,
 * so a plan applied twice, or a race with another import, creates no
 * duplicates. Records one `roster.imported` audit entry with counts only.
 * An empty plan writes nothing (not even the audit entry).
 */
export async function applyRosterPlan(
  prisma: PrismaClient,
  tenant: { id: string; rootUnitId: string },
  plan: RosterPlan,
  opts: { actorId?: string | null } = {},
): Promise<RosterCounts> {
  if (plan.errors.length > 0) throw new RosterApplyError(`Planen har ${plan.errors.length} feil og kan ikke lagres (the plan has errors).`);
  if (isEmptyPlan(plan)) return plan.counts;

  await prisma.$transaction(
    async (tx) => {
      // Serialises concurrent imports (and first installs) for this tenant.
      await tx.$executeRaw`SELECT id FROM "Tenant" WHERE id = ${tenant.id}::uuid FOR UPDATE`;

      const unitIds = new Map<string, string>();
      for (const u of plan.units.create) {
        const parentId = u.parentId ?? (u.parentKey ? unitIds.get(u.parentKey) : tenant.rootUnitId);
        if (!parentId) throw new RosterApplyError(`Fant ikke overordnet enhet ${u.parentKey} for ${u.key}`);
        const created = await tx.orgUnit.upsert({
          where: { tenantId_externalId: { tenantId: tenant.id, externalId: u.key } },
          create: { tenantId: tenant.id, kind: u.kind, name: u.name, externalId: u.key, parentId, schoolLevel: u.schoolLevel },
          update: {},
          select: { id: true },
        });
        unitIds.set(u.key, created.id);
      }
      for (const u of plan.units.update) {
        const parentId = u.set.parent ? (u.set.parent.id ?? unitIds.get(u.set.parent.key)) : undefined;
        if (u.set.parent && !parentId) throw new RosterApplyError(`Fant ikke overordnet enhet ${u.set.parent.key} for ${u.key}`);
        const changed = await tx.orgUnit.updateMany({
          where: { id: u.id, tenantId: tenant.id },
          data: {
            ...(u.set.name !== undefined ? { name: u.set.name } : {}),
            ...(u.set.externalId !== undefined ? { externalId: u.set.externalId } : {}),
            ...(u.set.schoolLevel !== undefined ? { schoolLevel: u.set.schoolLevel } : {}),
            ...(parentId ? { parentId } : {}),
          },
        });
        if (changed.count !== 1) throw new RosterApplyError(`Enheten ${u.key} finnes ikke lenger; kjør importen på nytt (the database changed).`);
        unitIds.set(u.key, u.id);
      }

      const personIds = new Map<string, string>();
      for (const p of plan.people.update) {
        const changed = await tx.person.updateMany({
          where: { id: p.id, tenantId: tenant.id },
          data: {
            ...(p.set.name !== undefined ? { name: p.set.name } : {}),
            ...(p.set.email !== undefined ? { email: p.set.email } : {}),
            ...(p.set.staffRole !== undefined ? { staffRole: p.set.staffRole } : {}),
            ...(p.set.aadObjectId !== undefined ? { aadObjectId: p.set.aadObjectId } : {}),
          },
        });
        if (changed.count !== 1) throw new RosterApplyError(`Personen på linje ${p.line} finnes ikke lenger; kjør importen på nytt (the database changed).`);
        personIds.set(p.email, p.id);
      }
      for (const batch of batches(plan.people.create)) {
        await tx.person.createMany({
          data: batch.map((p) => ({ tenantId: tenant.id, email: p.email, name: p.name, staffRole: p.staffRole, aadObjectId: p.aadObjectId })),
          skipDuplicates: true,
        });
        const created = await tx.person.findMany({ where: { tenantId: tenant.id, email: { in: batch.map((p) => p.email) } }, select: { id: true, email: true } });
        for (const c of created) if (c.email) personIds.set(c.email, c.id);
        const lost = batch.find((p) => !personIds.has(p.email));
        // skipDuplicates also skips a row whose object id another person took meanwhile.
        if (lost) throw new RosterApplyError(`Kunne ikke opprette personen på linje ${lost.line}; kjør importen på nytt (the database changed).`);
      }

      const resolve = (m: { line: number; email: string; personId: string | null; unitKey: string; unitId: string | null }) => {
        const personId = m.personId ?? personIds.get(m.email);
        const unitId = m.unitId ?? unitIds.get(m.unitKey);
        if (!personId || !unitId) throw new RosterApplyError(`Linje ${m.line}: fant ikke person eller enhet i planen (internal error)`);
        return { personId, unitId };
      };
      for (const batch of batches(plan.memberships)) {
        await tx.membership.createMany({ data: batch.map((m) => ({ ...resolve(m), source: 'import' })), skipDuplicates: true });
      }
      for (const batch of batches(plan.roles)) {
        await tx.roleAssignment.createMany({ data: batch.map((r) => ({ ...resolve(r), role: r.role, grantedBy: opts.actorId ?? null })), skipDuplicates: true });
      }

      await tx.auditEntry.create({
        data: { tenantId: tenant.id, actorId: opts.actorId ?? null, action: 'roster.imported', details: { ...plan.counts } },
      });
    },
    { timeout: APPLY_TIMEOUT_MS, maxWait: 30_000 },
  );
  return plan.counts;
}
