import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { parseResultsQuery } from '../domain/results-query.ts';
import { commentsFor, trendFor } from '../services/results-extra.ts';
import { commentsCard, trendCard } from '../views/results-extra-cards.ts';
import { conversationKindOf } from './activity-info.ts';
import { resolveActor } from './turn-actor.ts';

/** "trend", "trend digitale krenkelser", "utvikling for lærere", "endring" (nb/nn/en). */
export const TREND_PATTERN = /^\s*(trend|trender|utvikling|endring|endringer|endringar|change|changes)\b\s*(.*)$/is;
/** "kommentarer", "kommentarar for lærere", "comments". */
export const COMMENTS_PATTERN = /^\s*(kommentarer|kommentarar|kommentar|comments?)\b\s*(.*)$/is;

/** Trend and free-text comments for leaders; registered before the general results routes. */
export function registerResultsExtraRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(TREND_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const text = context.activity.text ?? '';
    const topic = TREND_PATTERN.exec(text)?.[2] ?? '';
    const outcome = await trendFor(deps, actor, parseResultsQuery(text), topic);
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('results.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('results.noResults')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(trendCard(outcome.view, topic, actor.lang, actor.t))] });
  });

  app.message(COMMENTS_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    // Never in channel or group posts: others could read them, and they could be forwarded.
    if (conversationKindOf(context.activity) !== 'personal') return void (await context.sendActivity(actor.t('comments.personalOnly')));
    const outcome = await commentsFor(deps, actor, parseResultsQuery(context.activity.text ?? ''));
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('results.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('results.noResults')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(commentsCard(outcome.view, actor.lang, actor.t))] });
  });
}
