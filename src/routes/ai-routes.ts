import { ActionPlanner, AI, OpenAIModel, PromptManager, type AIOptions, type Application, type PromptCompletionModel, type TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AiConfig } from '../config.ts';
import type { Deps } from '../deps.ts';
import type { Lang } from '../domain/language.ts';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../domain/profile.ts';
import { RESULTS_VIEWER_ROLES } from '../domain/results-access.ts';
import type { ResultsQuery } from '../domain/results-query.ts';
import { pseudonym } from '../logger.ts';
import type { Actor } from '../services/actor.ts';
import { trendFor } from '../services/results-extra.ts';
import { resultsFor } from '../services/results-summary.ts';
import { responseStatus } from '../services/response-status.ts';
import { responseRateFacts, resultsFacts, trendFacts } from '../views/planner-facts.ts';
import { trendCard } from '../views/results-extra-cards.ts';
import { resultsCard } from '../views/results-card.ts';
import { statusCard } from './pulse-status-routes.ts';
import { resolveActor } from './turn-actor.ts';

/*
 * The optional language-model path for leaders' free questions (issue 5),
 * with teams-ai v1's ActionPlanner and "tools" augmentation.
 *
 * Only when a key is configured (config.ai), and only for leaders and
 * coordinators whose message no command matched: the fallback route hands
 * the turn to `askPlanner`. The model gets the system prompt
 * (src/ai/prompts/results/skprompt.txt), the leader's question and the JSON
 * our actions return — built by src/views/planner-facts.ts from the same
 * anonymous views as the cards, through the same services (authorisation,
 * the k rule, audit). It never gets answers, names, person ids or comments;
 * there is no action for comments. Nothing is kept between turns (the app
 * has no turn-state storage), so every question starts from scratch.
 */

export const PROMPTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'ai', 'prompts');
const PROMPT = 'results';
/** Longer messages are not sent to the model (they get the usual pointer to help). */
export const MAX_QUESTION_CHARS = 1000;
/** Model requests: per-request timeout and retries (on 429/5xx/connection errors). */
const REQUEST_TIMEOUT_MS = 20_000;
const LANGUAGE_NAMES: Record<Lang, string> = { nb: 'Norwegian Bokmål (norsk bokmål)', nn: 'Norwegian Nynorsk (nynorsk)', en: 'English' };

/** Hands a leader's unmatched message to the planner; false when it may not go to the model (the caller then answers as before). */
export type AskPlanner = (context: TurnContext, state: TurnState, actor: Actor) => Promise<boolean>;

/** Options of every real model: the system prompt as a system message; request logging off, so prompts never reach the log. */
export const MODEL_OPTIONS = { useSystemMessages: true, logRequests: false, clientOptions: { timeout: REQUEST_TIMEOUT_MS, maxRetries: 1 } } as const;

/** The real model for a configured key. */
export function createModel(ai: AiConfig): PromptCompletionModel {
  return ai.provider === 'azure'
    ? new OpenAIModel({ ...MODEL_OPTIONS, azureApiKey: ai.apiKey, azureEndpoint: ai.endpoint, azureDefaultDeployment: ai.deployment, azureApiVersion: ai.apiVersion })
    : new OpenAIModel({ ...MODEL_OPTIONS, apiKey: ai.apiKey, defaultModel: ai.model });
}

/** The Application's `ai` options, or undefined without a key. `model` replaces the OpenAI model (tests). */
export function plannerOptions(deps: Deps, model?: PromptCompletionModel): AIOptions<TurnState> | undefined {
  const ai = deps.config.ai;
  if (!ai) return undefined;
  const planner = new ActionPlanner<TurnState>({
    model: model ?? createModel(ai),
    prompts: new PromptManager({ promptsFolder: PROMPTS_DIR }),
    defaultPrompt: PROMPT,
  });
  deps.logger.info({ provider: ai.provider, model: ai.provider === 'azure' ? ai.deployment : ai.model, fake: model !== undefined }, 'ai planner enabled for leaders');
  // teams-ai 1.7.4 reads `max_steps` (its typings say max_actions): a question
  // takes one or two tool calls and an answer, so 8 steps is plenty.
  const options: AIOptions<TurnState> & { max_steps: number } = { planner, max_steps: 8, max_time: 60_000, allow_looping: true };
  return options;
}

/** Leaders and coordinators (anyone who may see results somewhere) may ask the model; staff and admins never. */
export function mayAskPlanner(actor: Actor): boolean {
  return actor.roles.some((r) => RESULTS_VIEWER_ROLES.includes(r.role));
}

type Turn = { actor: Actor; actions: string[]; ownError?: unknown };
/** Per turn: who is asking (resolved once by the fallback route) and which actions ran. */
const turns = new WeakMap<TurnContext, Turn>();

const nullable = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((v) => v ?? null);
const groupParams = { group: nullable(z.enum(STAFF_ROLES)), level: nullable(z.enum(SCHOOL_LEVELS)) };
const resultsParams = z.object({ ...groupParams, focus: nullable(z.enum(['summary', 'needs', 'barriers'])) });
const trendParams = z.object({ ...groupParams, theme: nullable(z.string().max(100)) });

function invalid(error: z.ZodError): string {
  return JSON.stringify({ error: 'invalid parameters', details: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
}

/** Registers the planner's actions and returns how the fallback route asks it; null without a key. */
export function registerAiRoutes(app: Application<TurnState>, deps: Deps): AskPlanner | null {
  if (!deps.config.ai) return null;
  const ai = app.ai;

  const action = (name: string, run: (context: TurnContext, actor: Actor, params: Record<string, unknown>) => Promise<string>) =>
    ai.action<Record<string, unknown>>(name, async (context, _state, params) => {
      const turn = turns.get(context) ?? { actor: await resolveActor(context, deps), actions: [] };
      turn.actions.push(name);
      try {
        return await run(context, turn.actor, params ?? {});
      } catch (err) {
        // Our own failure (e.g. the database), not the model's: handled like any route's error.
        turn.ownError = err;
        throw err;
      }
    });

  action('get_results', async (context, actor, params) => {
    const p = resultsParams.safeParse(params);
    if (!p.success) return invalid(p.error);
    const query: ResultsQuery = { focus: p.data.focus ?? 'summary', role: p.data.group, level: p.data.level };
    const outcome = await resultsFor(deps, actor, query);
    if (outcome.kind !== 'ok') {
      await context.sendActivity(actor.t(outcome.kind === 'notAllowed' ? 'results.notAllowed' : 'results.noResults'));
      return AI.StopCommandName;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(resultsCard(outcome.view, actor.lang, actor.t))] });
    return resultsFacts(outcome.view, actor.lang, actor.t);
  });

  action('get_trend', async (context, actor, params) => {
    const p = trendParams.safeParse(params);
    if (!p.success) return invalid(p.error);
    const topic = p.data.theme ?? '';
    const outcome = await trendFor(deps, actor, { focus: 'summary', role: p.data.group, level: p.data.level }, topic);
    if (outcome.kind !== 'ok') {
      await context.sendActivity(actor.t(outcome.kind === 'notAllowed' ? 'results.notAllowed' : 'results.noResults'));
      return AI.StopCommandName;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(trendCard(outcome.view, topic, actor.lang, actor.t))] });
    return trendFacts(outcome.view, topic, actor.lang, actor.t);
  });

  action('get_response_rate', async (context, actor) => {
    const status = await responseStatus(deps, actor);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(statusCard(status, actor))] });
    return status.kind === 'ok' ? responseRateFacts(status, actor.lang, actor.t) : AI.StopCommandName;
  });

  // A hallucinated action name: log it (shortened) instead of teams-ai's console.error, and stop.
  ai.action(AI.UnknownActionName, async (_context, _state, _data, name) => {
    deps.logger.warn({ action: String(name ?? '').slice(0, 40) }, 'ai planner predicted an unknown action');
    return AI.StopCommandName;
  });

  return async (context, state, actor) => {
    const text = context.activity.text?.trim() ?? '';
    if (!text || text.length > MAX_QUESTION_CHARS || !mayAskPlanner(actor)) return false;
    const started = Date.now();
    const turn: Turn = { actor, actions: [] };
    turns.set(context, turn);
    let answered = false;
    context.onSendActivities(async (_ctx, activities, next) => {
      if (activities.some((a) => a.type === 'message')) answered = true;
      return next();
    });
    // A model takes seconds; the app's typing timer is off, so say once that an answer is coming.
    await context.sendActivity({ type: 'typing' });
    state.setValue('temp.answerLanguage', LANGUAGE_NAMES[actor.lang]);
    state.setValue('temp.minGroupSize', String(actor.tenant.minGroupSize));
    let outcome: 'answered' | 'noAnswer' | 'modelFailed' | 'error' = 'answered';
    try {
      await ai.run(context, state);
      // Nothing said (an empty plan or an unknown action): the usual pointer to help.
      if (!answered) {
        outcome = 'noAnswer';
        await context.sendActivity(actor.t('unknown.text'));
      }
    } catch (err) {
      if (err === turn.ownError) {
        outcome = 'error';
        throw err;
      }
      // The model failed (network, 401, 429, timeout, too many steps): a clear message and the commands that work without it.
      outcome = 'modelFailed';
      const e = err instanceof Error ? err : new Error(String(err));
      deps.logger.warn({ err: { name: e.name, message: e.message.slice(0, 200) }, conversation: pseudonym(context.activity.conversation?.id) }, 'ai planner failed');
      await context.sendActivity(actor.t('ai.failed'));
    } finally {
      // Never the question or the answer: only that the planner was used, which actions ran, and how it went.
      deps.logger.info({ conversation: pseudonym(context.activity.conversation?.id), actions: turn.actions, outcome, durationMs: Date.now() - started }, 'ai planner used');
    }
    return true;
  };
}
