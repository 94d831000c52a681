import type { PrismaClient } from '../generated/prisma/client.ts';
import type { DateRange } from '../domain/holidays.ts';
import type { SchoolHoliday } from '../domain/school-holidays.ts';

export type HolidaySource = 'command' | 'import';
export type StoredHoliday = SchoolHoliday & { id: string; source: string };

// The columns are Postgres `date`s: Prisma gives them as UTC midnight.
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);
const toHoliday = (r: { id: string; unitId: string; fromDate: Date; toDate: Date; name: string | null; source: string }): StoredHoliday => ({
  id: r.id,
  unitId: r.unitId,
  from: toIso(r.fromDate),
  to: toIso(r.toDate),
  name: r.name,
  source: r.source,
});
const row = (tenantId: string, h: SchoolHoliday, source: HolidaySource) => ({ tenantId, unitId: h.unitId, fromDate: toDate(h.from), toDate: toDate(h.to), name: h.name, source });

/** Units' school holidays (skolerute); which of them apply to a unit is decided in domain/school-holidays.ts. */
export function holidayRepository(prisma: PrismaClient) {
  return {
    async forTenant(tenantId: string): Promise<StoredHoliday[]> {
      return (await prisma.unitHoliday.findMany({ where: { tenantId }, orderBy: [{ fromDate: 'asc' }, { toDate: 'asc' }] })).map(toHoliday);
    },

    async forUnits(tenantId: string, unitIds: readonly string[]): Promise<StoredHoliday[]> {
      if (unitIds.length === 0) return [];
      return (await prisma.unitHoliday.findMany({ where: { tenantId, unitId: { in: [...unitIds] } }, orderBy: [{ fromDate: 'asc' }, { toDate: 'asc' }] })).map(toHoliday);
    },

    /** Adds the holiday unless the unit already has one with the same dates (then false, nothing changes). */
    async add(tenantId: string, holiday: SchoolHoliday, source: HolidaySource): Promise<boolean> {
      const { count } = await prisma.unitHoliday.createMany({ data: [row(tenantId, holiday, source)], skipDuplicates: true });
      return count === 1;
    },

    async remove(tenantId: string, unitId: string, range: DateRange): Promise<boolean> {
      const { count } = await prisma.unitHoliday.deleteMany({ where: { tenantId, unitId, fromDate: toDate(range.from), toDate: toDate(range.to) } });
      return count > 0;
    },

    /**
     * Adds every holiday of an import and one `holidays.imported` audit entry
     * (counts only) in one transaction: all of them or none. Holidays already
     * stored are skipped, so a stale plan applied twice adds nothing.
     */
    async importMany(tenantId: string, holidays: readonly SchoolHoliday[], actorId: string | null = null): Promise<number> {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.unitHoliday.createMany({ data: holidays.map((h) => row(tenantId, h, 'import')), skipDuplicates: true });
        await tx.auditEntry.create({ data: { tenantId, actorId, action: 'holidays.imported', details: { added: count, rows: holidays.length } } });
        return count;
      });
    },
  };
}

export type HolidayRepository = ReturnType<typeof holidayRepository>;
