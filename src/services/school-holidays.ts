import type { Deps } from '../deps.ts';
import { parseHolidayCommand, splitUnitName } from '../domain/holiday-command.ts';
import type { DateRange } from '../domain/holidays.ts';
import { osloDate } from '../domain/schedule.ts';
import { holidayName, holidaysForUnit, upcomingHolidays, type HolidayRangeProblem, type SchoolHoliday } from '../domain/school-holidays.ts';
import { subtreeOf, type UnitNode } from '../domain/unit-scope.ts';
import type { Actor } from './actor.ts';
import { plannerScope } from './plan-access.ts';
import { rescheduleForHolidays } from './plan-runner.ts';

export type ListedHoliday = SchoolHoliday & { unitName: string; inherited: boolean };

export type HolidayOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'usage' }
  | { kind: 'invalid'; error: HolidayRangeProblem }
  | { kind: 'unitNotFound'; name: string }
  | { kind: 'notYourUnit'; unit: UnitNode }
  | { kind: 'chooseUnit'; units: UnitNode[] }
  | { kind: 'list'; unit: UnitNode; holidays: ListedHoliday[] }
  | { kind: 'added' | 'exists'; unit: UnitNode; holiday: SchoolHoliday }
  | { kind: 'removed' | 'notFound'; unit: UnitNode; range: DateRange };

/**
 * The unit a command without «for <enhet>» is about: the team of a team
 * channel, or else the one unit at the top of the person's scope.
 */
function defaultUnit(scope: readonly UnitNode[], teamId: string | undefined): UnitNode | UnitNode[] {
  const team = teamId ? scope.find((u) => u.teamsTeamId === teamId) : undefined;
  if (team) return team;
  const ids = new Set(scope.map((u) => u.id));
  const tops = scope.filter((u) => !u.parentId || !ids.has(u.parentId));
  return tops.length === 1 ? tops[0]! : tops;
}

/**
 * «ferie» / «skolerute» / «holidays»: lists, adds or removes a unit's school
 * holidays. Leaders and coordinators act on the units in their scope (a
 * role covers the units below it), like plans. Changes are audited and move
 * the affected plans' next send. Returns null when the text is not this command.
 */
export async function holidayCommand(deps: Deps, actor: Actor, text: string, teamId?: string): Promise<HolidayOutcome | null> {
  const command = parseHolidayCommand(text);
  if (!command) return null;
  const { units, scope } = await plannerScope(deps, actor);
  if (scope.length === 0) return { kind: 'notAllowed' };
  if (command.kind === 'usage') return { kind: 'usage' };
  if (command.kind === 'invalid') return { kind: 'invalid', error: command };

  const split = splitUnitName(command.rest, units);
  if (command.kind === 'list' && command.rest !== '' && !split.unit) return { kind: 'unitNotFound', name: command.rest };
  const unit = split.unit ?? defaultUnit(scope, teamId);
  if (Array.isArray(unit)) return { kind: 'chooseUnit', units: unit };
  if (!scope.some((u) => u.id === unit.id)) return { kind: 'notYourUnit', unit };

  if (command.kind === 'list') {
    const applying = holidaysForUnit(units, await deps.schoolHolidays.forTenant(actor.tenant.id), unit.id);
    const names = new Map(units.map((u) => [u.id, u.name]));
    const holidays = upcomingHolidays(applying, osloDate(deps.clock())).map((h) => ({ ...h, unitName: names.get(h.unitId) ?? '', inherited: h.unitId !== unit.id }));
    return { kind: 'list', unit, holidays };
  }

  const changed =
    command.kind === 'add'
      ? await deps.schoolHolidays.add(actor.tenant.id, { unitId: unit.id, ...command.range, name: holidayName(split.name) }, 'command')
      : await deps.schoolHolidays.remove(actor.tenant.id, unit.id, command.range);
  if (changed) {
    await deps.audit.record({
      tenantId: actor.tenant.id,
      actorId: actor.person.id,
      action: command.kind === 'add' ? 'holiday.added' : 'holiday.removed',
      target: unit.id,
      details: { from: command.range.from, to: command.range.to },
    });
    await rescheduleForHolidays(deps, actor.tenant.id, [...subtreeOf(units, unit.id)]);
  }
  if (command.kind === 'add') return { kind: changed ? 'added' : 'exists', unit, holiday: { unitId: unit.id, ...command.range, name: holidayName(split.name) } };
  return { kind: changed ? 'removed' : 'notFound', unit, range: command.range };
}
