import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { resolveLanguage } from '../domain/language.ts';
import { isIdle, perMinute, takeToken, type RateAllowance, type RateBucket } from '../domain/rate-limit.ts';
import { translator } from '../i18n/translate.ts';
import { pseudonym } from '../logger.ts';
import { messageInvokeResponse, tenantIdOf } from './activity-info.ts';
import { ANSWER_PATTERN } from './pulse-routes.ts';

/** Card verbs that carry someone's answers to a pulse. */
export const ANSWER_VERBS: readonly string[] = ['pulse.answer', 'pulse.edit'];

/**
 * Which allowance an activity draws on: answers to a pulse (the card's «Send
 * svar» / «Endre svar», or `svar 4 5 3` by text) have their own, larger one,
 * so someone who has typed a lot of commands can still answer; every other
 * message or card action is a command. Installs, roster changes and other
 * events from Teams itself are not limited (null).
 */
export function rateClassOf(activity: Pick<Partial<Activity>, 'type' | 'name' | 'text' | 'value'>): 'answer' | 'command' | null {
  if (activity.type === ActivityTypes.Message) return ANSWER_PATTERN.test(activity.text ?? '') ? 'answer' : 'command';
  if (activity.type === ActivityTypes.Invoke) {
    const verb = (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
    return activity.name === 'adaptiveCard/action' && typeof verb === 'string' && ANSWER_VERBS.includes(verb) ? 'answer' : 'command';
  }
  return null;
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Runs right after the tenant guard, before anything is read or stored: a
 * person (per tenant and Teams user, in this process) who sends more than
 * RATE_LIMIT_PER_MINUTE messages or card actions gets one polite
 * «Du sender veldig mange meldinger …» in their client's language and the
 * rest is dropped unprocessed until the bucket refills. A limited card action
 * gets that text as a message response, so the card — with whatever was
 * filled in — stays as it was and can be sent again a moment later; that is
 * why no answer is lost even past the (four times larger) answer allowance.
 * Counting only after botbuilder has checked the token means nobody can use
 * up someone else's allowance with forged requests.
 */
export function registerRateLimit(app: Application<TurnState>, deps: Deps): void {
  const limits = deps.config.rateLimit;
  if (!limits) return;
  const allowances: Record<'answer' | 'command', RateAllowance> = { command: perMinute(limits.perMinute), answer: perMinute(limits.answersPerMinute) };
  const buckets = new Map<string, RateBucket>();
  let prunedAt = 0;

  const prune = (now: number) => {
    if (now - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now;
    for (const [key, bucket] of buckets) {
      if (isIdle(bucket, allowances[key.startsWith('answer:') ? 'answer' : 'command'], now)) buckets.delete(key);
    }
  };

  app.turn('beforeTurn', async (context: TurnContext) => {
    const activity = context.activity;
    const kind = rateClassOf(activity);
    if (!kind) return true;
    const now = deps.clock().getTime();
    prune(now);
    const user = activity.from?.aadObjectId ?? activity.from?.id ?? '';
    const key = `${kind}:${tenantIdOf(activity) ?? ''}:${user}`;
    const decision = takeToken(buckets.get(key), allowances[kind], now);
    buckets.set(key, decision.bucket);
    if (decision.allowed) return true;

    const t = translator(resolveLanguage(null, activity.locale));
    if (decision.notify) deps.logger.warn({ tenant: tenantIdOf(activity), user: pseudonym(user), kind, retryAfterMs: decision.retryAfterMs }, 'rate limited');
    if (activity.type === ActivityTypes.Invoke) {
      // Every invoke needs an answer; it costs no extra call to Teams.
      await context.sendActivity(messageInvokeResponse(t(kind === 'answer' ? 'rateLimit.answerWait' : 'rateLimit.tooMany')));
    } else if (decision.notify) {
      await context.sendActivity(t('rateLimit.tooMany'));
    }
    return false;
  });
}
