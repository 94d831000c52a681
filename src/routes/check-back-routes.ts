import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { CHECK_BACK_PATTERN, parseCheckBackForm } from '../domain/check-back.ts';
import { proposeCheckBack, sendCheckBack } from '../services/check-back.ts';
import { checkBackConfirmCard, checkBackOutcomeCard, checkBackRefusal } from '../views/check-back-card.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { resolveActor } from './turn-actor.ts';

/**
 * «sjekk tilbake» / «tilbakemelding» / «check back»: a confirmation card for
 * a check-back round of the latest results, and its «Send» button.
 */
export function registerCheckBackRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(CHECK_BACK_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const proposal = await proposeCheckBack(deps, actor);
    if (proposal.kind !== 'ok') return void (await context.sendActivity(checkBackRefusal(proposal, actor.t)));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(checkBackConfirmCard(proposal, actor.tenant.minGroupSize, actor))] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('checkBack.send', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const form = parseCheckBackForm(data);
    if (!form) return noticeCard(actor.t('checkBack.title'), actor.t('checkBack.invalid'));
    return checkBackOutcomeCard(await sendCheckBack(deps, actor, form), actor);
  });
}
