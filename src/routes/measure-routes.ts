import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { groupPhrase } from '../domain/measure-reasons.ts';
import { parseMeasureChoice, parseSuggestionQuery, SUGGESTION_PATTERN } from '../domain/suggestion-input.ts';
import { chooseMeasure, suggestionsFor } from '../services/measure-suggestions.ts';
import { formatDate } from '../views/format.ts';
import { measureSuggestionsCard } from '../views/measure-suggestions-card.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { resolveActor } from './turn-actor.ts';

/** "forslag", "hva bør vi gjøre for assistentene?": suggested measures; «Velg» turns one into a measure. */
export function registerMeasureRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(SUGGESTION_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const outcome = await suggestionsFor(deps, actor, parseSuggestionQuery(context.activity.text ?? ''));
    if (outcome.kind === 'notAllowed') return void (await context.sendActivity(actor.t('suggest.notAllowed')));
    if (outcome.kind === 'noResults') return void (await context.sendActivity(actor.t('suggest.noResults')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(measureSuggestionsCard(outcome.view, actor.lang, actor.t, deps.clock()))] });
  });

  // The card is replaced by the outcome; the suggestions are computed again from today's data.
  app.adaptiveCards.actionExecute<Record<string, unknown>>('measure.choose', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const title = actor.t('suggest.title', { group: actor.t('measures.group.generic') });
    const parsed = parseMeasureChoice(data, deps.clock());
    if (!parsed.ok) return noticeCard(title, actor.t('suggest.invalid', { problem: actor.t(parsed.problem === 'date' ? 'suggest.invalidDate' : 'suggest.invalidChoice') }));
    const outcome = await chooseMeasure(deps, actor, parsed.value);
    if (outcome.kind === 'notAllowed') return noticeCard(title, actor.t('suggest.notAllowed'));
    if (outcome.kind === 'stale') return noticeCard(title, actor.t('suggest.stale'));
    const words = {
      title: outcome.title,
      group: groupPhrase(parsed.value.groupKey, { t: actor.t }),
      unit: outcome.unitName,
      start: formatDate(outcome.measure.startsOn, actor.lang),
      evaluate: formatDate(outcome.measure.evaluateOn, actor.lang),
    };
    return noticeCard(outcome.title, actor.t(outcome.kind === 'created' ? 'suggest.created' : 'suggest.exists', words));
  });
}
