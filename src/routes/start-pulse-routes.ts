import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { sendToPersonalChat } from '../delivery/personal-chat.ts';
import { updateProgress } from '../delivery/progress.ts';
import { DEFAULT_WINDOW, findTemplate, parseStartCommand, parseStartForm, type StartRequest } from '../domain/pulse-start.ts';
import { PULSE_STARTER_ROLES, unitsInScope, type UnitNode } from '../domain/unit-scope.ts';
import type { QuestionBank } from '../question-bank/schema.ts';
import { startPulse } from '../services/start-pulse.ts';
import { formatDateTime } from '../views/format.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { startPulseCard } from '../views/start-pulse-card.ts';
import { conversationKindOf, teamOf } from './activity-info.ts';
import { resolveActor, type Actor } from './turn-actor.ts';

export const START_PATTERN = /^\s*start\s+(puls|pulse)\b/i;

const templatesOf = (bank: QuestionBank) => bank.templates.map((t) => ({ id: t.id, titles: [t.title.nb, t.title.nn, t.title.en], title: t.title }));

/**
 * Starts the pulse and posts the message that then shows delivery progress
 * ("Sender … 812 sendt så langt"), updated in place until it is done.
 * Returns a short text when nothing was started, and, when started from a
 * team channel or group chat, the one line for everyone there.
 */
async function startWithProgress(context: TurnContext, deps: Deps, actor: Actor, request: StartRequest): Promise<string | null> {
  const outcome = await startPulse(deps, actor, request);
  if (outcome.kind === 'notAllowed') return actor.t('start.notAllowed');
  if (outcome.kind === 'noRecipients') return actor.t('start.noRecipients', { unit: outcome.unitName });
  const card = noticeCard(actor.t('start.title'), actor.t('progress.sending', { title: outcome.title, total: outcome.queued, unit: outcome.unitName, sent: 0 }));
  if (conversationKindOf(context.activity) === 'personal') {
    const posted = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    if (posted?.id) await showProgress(deps, outcome.pulseId, { reference: TurnContext.getConversationReference(context.activity), activityId: posted.id }, actor);
    return null;
  }
  // Counts and reasons («har sluttet: 2») are the starter's business, not the
  // whole staff room's: progress goes to their 1:1 chat, the channel gets one line.
  const posted = await sendToPersonalChat(deps, actor.tenant, actor.person, context.activity.serviceUrl, card);
  if (posted) await showProgress(deps, outcome.pulseId, posted, actor);
  const line = actor.t('start.channelNotice', { title: outcome.title, unit: outcome.unitName, closesAt: formatDateTime(outcome.closesAt, actor.lang) });
  return posted ? line : `${line} ${actor.t('start.progressNoChat')}`;
}

async function showProgress(deps: Deps, pulseId: string, at: { reference: object; activityId: string }, actor: Actor): Promise<void> {
  await deps.pulses.setProgressRef(pulseId, { ...at, lang: actor.lang });
  await updateProgress(deps, pulseId, true);
}

export function registerStartPulseRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(START_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const units = await deps.directory.units(actor.tenant.id);
    const scope = unitsInScope(units, actor.roles, PULSE_STARTER_ROLES);
    if (scope.length === 0) {
      await context.sendActivity(actor.t('start.notAllowed'));
      return;
    }
    const templates = templatesOf(await deps.bank.forTenant(actor.tenant.id));
    const command = parseStartCommand(context.activity.text ?? '');
    const template = command?.templateQuery ? findTemplate(templates, command.templateQuery) : null;
    if (command?.templateQuery && !template) {
      await context.sendActivity(actor.t('start.unknownTemplate', { name: command.templateQuery }));
      return;
    }
    // In a team channel the team is the obvious target; in a chat, the only unit in scope.
    const team = teamOf(context.activity);
    const target: UnitNode | undefined = team ? scope.find((u) => u.teamsTeamId === team.id) : scope.length === 1 ? scope[0] : undefined;
    if (template && target) {
      const text = await startWithProgress(context, deps, actor, { templateId: template.id, unitId: target.id, roleFilter: [], window: DEFAULT_WINDOW });
      if (text) await context.sendActivity(text);
      return;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(startPulseCard({ templates, units: scope, templateId: template?.id ?? null, unitId: target?.id ?? null }, actor))] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('pulse.start', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const units = await deps.directory.units(actor.tenant.id);
    const scope = unitsInScope(units, actor.roles, PULSE_STARTER_ROLES);
    if (scope.length === 0) return noticeCard(actor.t('start.title'), actor.t('start.notAllowed'));
    const templates = templatesOf(await deps.bank.forTenant(actor.tenant.id));
    const request = parseStartForm(data, { templateIds: templates.map((t) => t.id), unitIds: units.map((u) => u.id) });
    if (!request) return startPulseCard({ templates, units: scope, templateId: null, unitId: null, error: actor.t('start.invalid') }, actor);
    const text = await startWithProgress(context, deps, actor, request);
    const chosen = templates.find((t) => t.id === request.templateId)!;
    return noticeCard(actor.t('start.title'), text ?? actor.t('start.started', { title: chosen.title[actor.lang] }));
  });
}
