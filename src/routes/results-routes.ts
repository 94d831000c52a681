import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { parseResultsQuery, RESULTS_PATTERN } from '../domain/results-query.ts';
import { resultsFor } from '../services/results-summary.ts';
import { resultsCard } from '../views/results-card.ts';
import { resolveActor } from './turn-actor.ts';

/** "resultater", "hva trenger BUA mest?", "hindringer for lærere": anonymous summaries for leaders. */
export function registerResultsRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(RESULTS_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const outcome = await resultsFor(deps, actor, parseResultsQuery(context.activity.text ?? ''));
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('results.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('results.noResults')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(resultsCard(outcome.view, actor.lang, actor.t))] });
  });
}
