import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Deps } from '../deps.ts';
import { HOLIDAY_COMMAND_PATTERN } from '../domain/holiday-command.ts';
import { holidayCommand } from '../services/school-holidays.ts';
import { holidayReplyText } from '../views/holiday-text.ts';
import { teamOf } from './activity-info.ts';
import { resolveActor } from './turn-actor.ts';

/** Leaders and coordinators keep their units' school holidays (skolerute): «ferie», «fjern ferie …», en «holidays». */
export function registerHolidayRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(HOLIDAY_COMMAND_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const outcome = await holidayCommand(deps, actor, context.activity.text ?? '', teamOf(context.activity)?.id);
    if (outcome) await context.sendActivity(holidayReplyText(outcome, actor.t));
  });
}
