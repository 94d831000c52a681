import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { directoryRepository } from '../directory-repository.ts';
import { generateDemoData } from './generate-demo-data.ts';
import { DAY } from './pulse-calendar.ts';
import { DEMO_EXTERNAL_PREFIX } from './roster.ts';
import { summarizeDemoData, type DemoSummary } from './summary.ts';
import type { DemoData } from './types.ts';

/**
 * Writes the demo data to the database, in one transaction. Every row the seed
 * writes is reachable from the demo units (OrgUnit.externalId starting with
 * `demo:`), which is how `--reset` finds exactly them.
 */

const DEMO_MEMBERSHIP_SOURCE = 'demo';

export type SeedResult =
  | { kind: 'created'; tenantId: string; teamsTenantId: string; tenantCreated: boolean; removed: RemovedCounts | null; summary: DemoSummary; ms: number }
  | { kind: 'exists'; tenantId: string; teamsTenantId: string; existing: { units: number; people: number; pulses: number } };

export type RemovedCounts = { units: number; people: number; pulses: number };

type Db = PrismaClient | Prisma.TransactionClient;

/** Interactive transactions default to 5 s; a slow disk or a busy server needs more. */
const SEED_TIMEOUT_MS = 5 * 60_000;
/** Rows per createMany: small enough that Prisma does not split (and parallelise) it itself. */
const BATCH = 1000;

async function inBatches<T>(rows: readonly T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

async function demoUnitIds(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db.orgUnit.findMany({ where: { tenantId, externalId: { startsWith: DEMO_EXTERNAL_PREFIX } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** People the seed created: members of a demo unit through a demo membership. */
async function demoPersonIds(db: Db, tenantId: string, unitIds: string[]): Promise<string[]> {
  const rows = await db.person.findMany({
    where: { tenantId, memberships: { some: { unitId: { in: unitIds }, source: DEMO_MEMBERSHIP_SOURCE } } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Deletes what the seed created for this tenant: the demo units, the people
 * who belong to them through a demo membership, and every pulse run on a demo
 * unit (answers, recipients and outbox rows go with them). Roles someone was
 * given on a demo unit go with the unit. Nothing else is touched.
 */
export async function removeDemoData(db: Db, tenantId: string): Promise<RemovedCounts> {
  const unitIds = await demoUnitIds(db, tenantId);
  if (unitIds.length === 0) return { units: 0, people: 0, pulses: 0 };
  const personIds = await demoPersonIds(db, tenantId, unitIds);
  const pulses = await db.pulse.deleteMany({ where: { tenantId, unitId: { in: unitIds } } });
  // Messages to demo people from pulses on other units (e.g. the whole organisation).
  await db.outbox.deleteMany({ where: { tenantId, personId: { in: personIds } } });
  const people = await db.person.deleteMany({ where: { tenantId, id: { in: personIds } } });
  const units = await db.orgUnit.deleteMany({ where: { tenantId, id: { in: unitIds } } });
  return { units: units.count, people: people.count, pulses: pulses.count };
}

async function writeDemoData(db: Db, tenantId: string, data: DemoData): Promise<void> {
  const created = (d: Date) => ({ createdAt: d, updatedAt: d });
  const unitCreated = new Date(Math.min(...data.people.map((p) => p.profileSavedAt.getTime())) - 7 * DAY);

  await db.orgUnit.createMany({
    data: data.units.map((u) => ({ id: u.id, tenantId, parentId: u.parentId, kind: u.kind, name: u.name, schoolLevel: u.schoolLevel, externalId: u.externalId, ...created(unitCreated) })),
  });
  await inBatches(data.people, (batch) =>
    db.person.createMany({
      data: batch.map((p) => ({
        id: p.id,
        tenantId,
        email: p.email,
        name: p.name,
        staffRole: p.staffRole,
        schoolLevel: p.schoolLevel,
        pupilGroups: p.pupilGroups,
        profileSavedAt: p.profileSavedAt,
        profilePromptedAt: p.profileSavedAt,
        ...created(unitCreated),
      })),
    }),
  );
  await inBatches(data.people, (batch) =>
    db.membership.createMany({ data: batch.map((p) => ({ personId: p.id, unitId: p.unitId, source: DEMO_MEMBERSHIP_SOURCE, createdAt: unitCreated })) }),
  );
  await db.roleAssignment.createMany({ data: data.roles.map((r) => ({ ...r, grantedBy: null, createdAt: unitCreated })) });

  const recipientsOf = new Map<string, number>();
  for (const r of data.recipients) recipientsOf.set(r.pulseId, (recipientsOf.get(r.pulseId) ?? 0) + 1);
  await db.pulse.createMany({
    data: data.pulses.map((p) => ({
      id: p.id,
      tenantId,
      unitId: p.unitId,
      templateId: p.templateId,
      bankVersion: p.content.bankVersion,
      content: p.content as object,
      roleFilter: [],
      status: 'published' as const,
      opensAt: p.opensAt,
      closesAt: p.closesAt,
      createdById: p.createdById,
      planId: null,
      remindAt: p.remindAt,
      onClose: 'publish',
      progressDone: recipientsOf.get(p.id) ?? 0,
      createdAt: new Date(p.opensAt.getTime() - 60_000),
      updatedAt: p.closesAt,
    })),
  });
  await inBatches(data.recipients, (batch) =>
    db.pulseRecipient.createMany({ data: batch.map((r) => ({ pulseId: r.pulseId, personId: r.personId, answeredAt: r.answeredAt })) }),
  );
  await inBatches(data.messages, (batch) =>
    db.outbox.createMany({
      data: batch.map((m) => ({
        id: m.id,
        tenantId,
        pulseId: m.pulseId,
        personId: m.personId,
        kind: m.kind,
        seq: m.seq,
        status: 'sent' as const,
        attempts: 1,
        nextAttemptAt: m.sentAt,
        sentAt: m.sentAt,
        ...created(m.sentAt),
      })),
    }),
  );
  await inBatches(data.answers, (batch) =>
    db.answer.createMany({
      data: batch.map((a) => ({ ...a, updatedAt: a.answeredAt })),
    }),
  );
}

export type SeedOptions = {
  teamsTenantId: string;
  /** Delete earlier demo data for the tenant first. */
  reset?: boolean;
  now?: Date;
  /** For a tenant the seed creates. */
  minGroupSize?: number;
  seed?: string;
};

/**
 * Seeds the demo data for one tenant (created if missing) in one
 * transaction. Without `reset`, a tenant that already has demo data is left
 * as it is and `{ kind: 'exists' }` says so.
 */
export async function seedDemoData(prisma: PrismaClient, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const before = await prisma.tenant.findUnique({ where: { teamsTenantId: opts.teamsTenantId }, select: { id: true } });
  const tenant = await directoryRepository(prisma, { minGroupSize: opts.minGroupSize ?? 5 }).ensureTenant(opts.teamsTenantId);
  const data = generateDemoData({ namespace: opts.teamsTenantId, rootUnitId: tenant.rootUnitId, now, seed: opts.seed });

  return prisma.$transaction(
    async (tx): Promise<SeedResult> => {
      // Serialises two seeds (or a seed and a roster import) for this tenant.
      await tx.$executeRaw`SELECT id FROM "Tenant" WHERE id = ${tenant.id}::uuid FOR UPDATE`;
      const unitIds = await demoUnitIds(tx, tenant.id);
      let removed: RemovedCounts | null = null;
      if (unitIds.length > 0) {
        if (!opts.reset) {
          const people = (await demoPersonIds(tx, tenant.id, unitIds)).length;
          const pulses = await tx.pulse.count({ where: { tenantId: tenant.id, unitId: { in: unitIds } } });
          return { kind: 'exists', tenantId: tenant.id, teamsTenantId: opts.teamsTenantId, existing: { units: unitIds.length, people, pulses } };
        }
        removed = await removeDemoData(tx, tenant.id);
      }
      await writeDemoData(tx, tenant.id, data);
      const summary = summarizeDemoData(data);
      await tx.auditEntry.create({
        data: {
          tenantId: tenant.id,
          action: 'demo.seeded',
          details: { reset: removed !== null, units: data.units.length, people: summary.people, pulses: summary.pulses, answers: summary.answers },
        },
      });
      return {
        kind: 'created',
        tenantId: tenant.id,
        teamsTenantId: opts.teamsTenantId,
        tenantCreated: before === null,
        removed,
        summary,
        ms: performance.now() - started,
      };
    },
    { timeout: SEED_TIMEOUT_MS, maxWait: 30_000 },
  );
}
