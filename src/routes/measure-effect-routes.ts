import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { parseFollowUpForm } from '../domain/measure-due.ts';
import { EFFECT_PATTERN } from '../domain/measure-effect.ts';
import { measureEffectFor } from '../services/measure-evaluation.ts';
import { startFollowUp, type FollowUpOutcome } from '../services/measure-follow-up.ts';
import type { Actor } from '../services/actor.ts';
import { formatDateTime } from '../views/format.ts';
import { measureEffectCard } from '../views/measure-effect-card.ts';
import { measureName } from '../views/measure-text.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { resolveActor } from './turn-actor.ts';

function followUpText(outcome: FollowUpOutcome, actor: Actor): string {
  const { t, lang } = actor;
  switch (outcome.kind) {
    case 'started':
      return t('followUp.started', { title: outcome.title, recipients: outcome.recipients, unit: outcome.unitName, closesAt: formatDateTime(outcome.closesAt, lang) });
    case 'exists':
      return t('followUp.exists', { name: measureName(outcome.measure.catalogueId, lang) });
    case 'notRunning':
      return t('followUp.notRunning', { name: measureName(outcome.measure.catalogueId, lang) });
    case 'noBase':
      return t('followUp.noBase');
    case 'noRecipients':
      return t('followUp.noRecipients', { unit: outcome.unitName });
    case 'notAllowed':
      return t('followUp.notAllowed');
    default:
      return t('followUp.notFound');
  }
}

/** «effekt av tiltak» (before/after per measure) and the «Send oppfølgingspuls» button of the daily proposal. */
export function registerMeasureEffectRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(EFFECT_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const outcome = await measureEffectFor(deps, actor);
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('effect.notAllowed')));
    if (outcome.kind === 'none') return void (await context.sendActivity(actor.t('effect.none')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(measureEffectCard(outcome, actor.lang, actor.t))] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('measure.followUp', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const form = parseFollowUpForm(data);
    const outcome: FollowUpOutcome = form ? await startFollowUp(deps, actor, form) : { kind: 'notFound' };
    return noticeCard(actor.t('followUp.noticeTitle'), followUpText(outcome, actor));
  });
}
