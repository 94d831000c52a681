import type { Deps } from '../deps.ts';
import type { DateRange } from '../domain/holidays.ts';
import { holidaysForUnit } from '../domain/school-holidays.ts';

/**
 * The days besides public holidays that a plan for `unitId` skips: the
 * tenant's own closed periods and the school holidays of the unit and of
 * every unit above it (a kommune's skolerute covers its schools).
 */
export async function planHolidays(deps: Deps, tenantId: string, unitId: string): Promise<DateRange[]> {
  const [tenantWide, units, school] = await Promise.all([deps.plans.holidays(tenantId), deps.directory.units(tenantId), deps.schoolHolidays.forTenant(tenantId)]);
  return [...tenantWide, ...holidaysForUnit(units, school, unitId).map(({ from, to }) => ({ from, to }))];
}
