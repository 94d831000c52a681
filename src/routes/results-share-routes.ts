import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { proposeLatestShare, proposeShare, shareWithStaff } from '../services/results-sharing.ts';
import { formatDateTime } from '../views/format.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { shareConfirmCard, shareDoneText } from '../views/results-card.ts';
import { resolveActor } from './turn-actor.ts';

/** «del resultater» (nb), «del resultata» (nn), «share results» (en), optionally «… med ansatte» / «… with staff». */
export const SHARE_RESULTS_PATTERN = /^\s*(del|share)\s+(resultatene|resultater|resultata|resultat|results?)(\s+(med|with)(\s+(de|dei))?\s+(ansatte|tilsette|staff))?\s*[.!]?\s*$/i;

/**
 * A leader or coordinator shares the latest round's anonymous summary with
 * the staff of its units: the command or the «Del med ansatte» button shows
 * what staff will see; «Del med ansatte» on that card shares it. Each step
 * checks the clicker's rights again, so a forged or stale card changes nothing.
 */
export function registerResultsShareRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(SHARE_RESULTS_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const outcome = await proposeLatestShare(deps, actor);
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('share.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('results.noResults')));
    if (outcome.proposal.sharedAt) return void (await context.sendActivity(actor.t('share.already', { date: formatDateTime(outcome.proposal.sharedAt, actor.lang) })));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(shareConfirmCard(outcome.proposal, actor.lang, actor.t))] });
  });

  // The results card stays as it is; the confirmation comes as a new card below it.
  app.adaptiveCards.actionExecute<Record<string, unknown>>('results.share', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const outcome = await proposeShare(deps, actor, data?.pulseIds);
    if (outcome.kind !== 'ok') return noticeCard(actor.t('share.doneTitle'), actor.t('share.notAllowed'));
    if (outcome.proposal.sharedAt) return actor.t('share.already', { date: formatDateTime(outcome.proposal.sharedAt, actor.lang) });
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(shareConfirmCard(outcome.proposal, actor.lang, actor.t))] });
    return actor.t('share.confirmBelow');
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('results.shareConfirm', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const outcome = await shareWithStaff(deps, actor, data?.pulseIds);
    if (outcome.kind !== 'shared') return noticeCard(actor.t('share.doneTitle'), actor.t('share.notAllowed'));
    return noticeCard(actor.t('share.doneTitle'), shareDoneText(outcome, actor.lang, actor.t));
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('results.shareCancel', async (context) => {
    const actor = await resolveActor(context, deps);
    return noticeCard(actor.t('share.doneTitle'), actor.t('share.cancelled'));
  });
}
