import type { PrismaClient } from '../generated/prisma/client.ts';
import type { MeasureStatus } from '../domain/measure-due.ts';
import type { StaffRole } from '../domain/profile.ts';

export type MeasureRecord = {
  id: string;
  tenantId: string;
  unitId: string;
  staffRole: StaffRole | null;
  catalogueId: string;
  catalogueVersion: string;
  reasons: unknown;
  themeIds: string[];
  itemIds: string[];
  basePulseId: string | null;
  startsOn: Date;
  evaluateOn: Date;
  status: MeasureStatus;
  createdById: string | null;
  createdAt: Date;
};

export type NewMeasure = Omit<MeasureRecord, 'id' | 'status' | 'createdAt'>;

/** Measures (tiltak) leaders chose for a unit and staff group. */
export function measureRepository(prisma: PrismaClient) {
  return {
    /**
     * Records a measure once: while the same measure runs for the same unit
     * and group, choosing it again (a double press, a resent activity)
     * returns the existing one with `created: false`.
     */
    async create(m: NewMeasure): Promise<{ measure: MeasureRecord; created: boolean }> {
      return prisma.$transaction(async (tx) => {
        // Serialises two presses for the same unit (the unit row is the lock).
        await tx.$executeRaw`SELECT id FROM "OrgUnit" WHERE id = ${m.unitId}::uuid FOR UPDATE`;
        const existing = await tx.measure.findFirst({ where: { unitId: m.unitId, staffRole: m.staffRole, catalogueId: m.catalogueId, status: { in: ['planned', 'running'] } } });
        if (existing) return { measure: existing as MeasureRecord, created: false };
        const created = await tx.measure.create({ data: { ...m, reasons: m.reasons as object, status: 'running' } });
        return { measure: created as MeasureRecord, created: true };
      });
    },

    async findById(id: string): Promise<MeasureRecord | null> {
      return (await prisma.measure.findUnique({ where: { id } })) as MeasureRecord | null;
    },

    /** Measures in the units, newest first (cancelled ones left out). */
    async inUnits(unitIds: string[]): Promise<MeasureRecord[]> {
      if (unitIds.length === 0) return [];
      return (await prisma.measure.findMany({ where: { unitId: { in: unitIds }, status: { not: 'cancelled' } }, orderBy: { createdAt: 'desc' } })) as MeasureRecord[];
    },
  };
}

export type MeasureRepository = ReturnType<typeof measureRepository>;
