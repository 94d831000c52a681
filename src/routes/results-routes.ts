import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { parseResultsChoice, parseResultsQuery, RESULTS_PATTERN } from '../domain/results-query.ts';
import { RESULTS_VIEWER_ROLES } from '../domain/results-access.ts';
import { unitsInScope } from '../domain/unit-scope.ts';
import { resultsFor, resultsForViewer, roundsToChoose } from '../services/results-summary.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { resultsCard } from '../views/results-card.ts';
import { conversationKindOf } from './activity-info.ts';
import { registerResultsShareRoutes } from './results-share-routes.ts';
import { resolveActor } from './turn-actor.ts';

/**
 * "resultater", "hva trenger BUA mest?", "hindringer for lærere": anonymous
 * summaries for leaders; for staff, the latest summary a leader shared with
 * their unit (personal chat only). Sharing («del resultater», «Del med
 * ansatte») is registered here too, ahead of the results pattern.
 */
export function registerResultsRoutes(app: Application<TurnState>, deps: Deps): void {
  registerResultsShareRoutes(app, deps);

  app.message(RESULTS_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const personalChat = conversationKindOf(context.activity) === 'personal';
    const outcome = await resultsForViewer(deps, actor, parseResultsQuery(context.activity.text ?? ''), { personalChat });
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('results.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('results.noResults')));
    if (outcome.kind === 'nothingShared') return void (await context.sendActivity(actor.t('share.staffNothing')));
    if (outcome.kind === 'personalOnly') return void (await context.sendActivity(actor.t('share.staffPersonalOnly')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(resultsCard(outcome.view, actor.lang, actor.t))] });
  });

  // «Vis» on a leader's card: another pulse or group, chosen instead of typed. The card is replaced.
  app.adaptiveCards.actionExecute<Record<string, unknown>>('results.show', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const title = actor.t('results.pickTitle');
    const scope = unitsInScope(await deps.directory.units(actor.tenant.id), actor.roles, RESULTS_VIEWER_ROLES);
    if (scope.length === 0) return noticeCard(title, actor.t('results.notAllowed'));
    const query = parseResultsChoice(data, (await roundsToChoose(deps, actor, scope)).map((r) => r.templateId));
    if (!query) return noticeCard(title, actor.t('results.pickInvalid'));
    const outcome = await resultsFor(deps, actor, query);
    if (outcome.kind !== 'ok') return noticeCard(title, actor.t(outcome.kind === 'notAllowed' ? 'results.notAllowed' : 'results.noResults'));
    return resultsCard(outcome.view, actor.lang, actor.t);
  });
}
