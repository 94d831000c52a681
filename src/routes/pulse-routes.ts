import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { parseTextAnswer } from '../domain/answer-validation.ts';
import { scaleItems } from '../domain/pulse-content.ts';
import type { MessageKey } from '../i18n/nb.ts';
import { openPulseFor, submitAnswers, type AnswerOutcome } from '../services/answer-pulse.ts';
import { answersAsValues, noticeCard, pulseCard, receiptCard, textAnswerExample } from '../views/pulse-card.ts';
import { formatDateTime } from '../views/format.ts';
import type { AdaptiveCard } from '../views/render-card.ts';
import { resolveActor, type Actor } from './turn-actor.ts';

export const ANSWER_PATTERN = /^\s*(svar|answer)\b/i;

const REFUSAL_KEYS: Record<Extract<AnswerOutcome, { kind: 'refused' }>['reason'], MessageKey> = {
  closed: 'pulse.closed',
  notOpenYet: 'pulse.notOpen',
  cancelled: 'pulse.cancelled',
  notRecipient: 'pulse.notRecipient',
  notFound: 'pulse.notFound',
};

function refusalText(actor: Actor, outcome: Extract<AnswerOutcome, { kind: 'refused' }>): string {
  return actor.t(REFUSAL_KEYS[outcome.reason], { title: outcome.pulse?.content.title[actor.lang] ?? '' });
}

/** The card that replaces the pulse card after a card submission. */
function cardFor(actor: Actor, outcome: AnswerOutcome, deps: Deps): AdaptiveCard {
  if (outcome.kind === 'refused') return noticeCard(outcome.pulse?.content.title[actor.lang] ?? actor.t('notice.title'), refusalText(actor, outcome));
  const { pulse, items } = outcome;
  if (outcome.kind === 'invalid') {
    return pulseCard(
      { pulseId: pulse.id, content: pulse.content, items, closesAt: pulse.closesAt, minGroupSize: actor.tenant.minGroupSize, askRole: actor.person.staffRole === null, values: outcome.values, problems: outcome.problems, roleMissing: outcome.roleMissing },
      actor.lang,
      actor.t,
    );
  }
  return receiptCard({ pulseId: pulse.id, content: pulse.content, items, answers: outcome.answers, closesAt: pulse.closesAt, open: pulse.closesAt > deps.clock(), minGroupSize: actor.tenant.minGroupSize }, actor.lang, actor.t);
}

const pulseIdOf = (data: Record<string, unknown>) => (typeof data.pulseId === 'string' ? data.pulseId : '');

export function registerPulseRoutes(app: Application<TurnState>, deps: Deps): void {
  app.adaptiveCards.actionExecute<Record<string, unknown>>('pulse.answer', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    return cardFor(actor, await submitAnswers(deps, actor, pulseIdOf(data), data, 'card'), deps);
  });

  // "Endre svar": the pulse card again, filled with what the person answered.
  app.adaptiveCards.actionExecute<Record<string, unknown>>('pulse.edit', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const open = await openPulseFor(deps, actor, pulseIdOf(data));
    if (!('ok' in open)) return cardFor(actor, open, deps);
    const answers = await deps.pulses.answersOf(open.pulse.id, actor.person.id);
    return pulseCard(
      { pulseId: open.pulse.id, content: open.pulse.content, items: open.items, closesAt: open.pulse.closesAt, minGroupSize: actor.tenant.minGroupSize, askRole: actor.person.staffRole === null, values: answersAsValues(answers) },
      actor.lang,
      actor.t,
    );
  });

  // Text answers work where card buttons don't (Teams mobile, see stack.md).
  app.message(ANSWER_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const pulse = await deps.pulses.latestOpenFor(actor.person.id, deps.clock());
    if (!pulse) {
      await context.sendActivity(actor.t('text.noOpenPulse'));
      return;
    }
    const open = await openPulseFor(deps, actor, pulse.id);
    if (!('ok' in open)) {
      await context.sendActivity(refusalText(actor, open));
      return;
    }
    const title = pulse.content.title[actor.lang];
    const example = textAnswerExample(open.items);
    const parsed = parseTextAnswer(context.activity.text ?? '', open.items);
    if (!parsed.ok) {
      const key = parsed.code === 'tooFew' || parsed.code === 'tooMany' ? 'text.count' : 'text.notANumber';
      await context.sendActivity(actor.t(key, { title, expected: parsed.expected, got: parsed.got, example }));
      return;
    }
    const outcome = await submitAnswers(deps, actor, pulse.id, parsed.input, 'text');
    if (outcome.kind === 'invalid') {
      const scale = scaleItems(outcome.items);
      const tooLong = outcome.problems.find((p) => p.code === 'tooLong');
      const positions = outcome.problems.filter((p) => p.code !== 'tooLong').map((p) => scale.findIndex((i) => i.id === p.itemId) + 1);
      await context.sendActivity(
        tooLong && positions.length === 0 ? actor.t('text.tooLong', { max: outcome.items.find((i) => i.scale === null)?.maxLength ?? 1000 }) : actor.t('text.invalid', { positions: positions.join(', ') }),
      );
      return;
    }
    if (outcome.kind === 'refused') {
      await context.sendActivity(refusalText(actor, outcome));
      return;
    }
    await markSuperseded(context, deps, actor, pulse.id, title);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(cardFor(actor, outcome, deps))] });
  });
}

/**
 * After a text answer, the pulse card and reminders higher up in the chat
 * (one of them possibly a receipt with «Endre svar» and the old answers) say
 * they are replaced, so nobody reads or edits from a stale card. A card Teams
 * can no longer update (deleted, too old) is left as it is.
 */
async function markSuperseded(context: TurnContext, deps: Deps, actor: Actor, pulseId: string, title: string): Promise<void> {
  const notice = noticeCard(title, actor.t('receipt.replaced', { when: formatDateTime(deps.clock(), actor.lang) }));
  for (const card of await deps.outbox.sentCards(pulseId, actor.person.id)) {
    if (card.conversationId !== context.activity.conversation.id) continue;
    try {
      await context.updateActivity({ id: card.activityId, type: 'message', attachments: [CardFactory.adaptiveCard(notice)] });
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message, pulseId }, 'could not mark an earlier pulse card as replaced');
    }
  }
}
