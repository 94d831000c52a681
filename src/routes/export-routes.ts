import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { exportLinkFor } from '../services/results-export.ts';
import { resultsExportCard } from '../views/results-export-card.ts';
import { resolveActor } from './turn-actor.ts';

/** "eksport" / "export" (add "nivå"/"level" for school levels instead of staff groups). */
export const EXPORT_PATTERN = /^\s*(eksport|eksporter|export)\b/i;

/** A signed, short-lived link to the CSV of the anonymous results, for leaders and coordinators. */
export function registerExportRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(EXPORT_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const text = context.activity.text ?? '';
    const breakdown = /niv[aå]|level|trinn|steg/i.test(text) ? 'schoolLevel' : 'staffRole';
    const outcome = await exportLinkFor(deps, actor, breakdown);
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('export.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('results.noResults')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(resultsExportCard(outcome, actor.lang, actor.t))] });
  });
}
