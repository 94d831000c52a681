import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { findTemplate } from '../domain/pulse-start.ts';
import { plannerScope, templateChoices } from '../services/plan-access.ts';
import { planFormFor, savePlan } from '../services/save-plan.ts';
import { planFormCard } from '../views/plan-form-card.ts';
import { planSavedCard } from '../views/plan-saved-card.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { teamOf } from './activity-info.ts';
import { resolveActor } from './turn-actor.ts';

/** "ny plan", "new plan", "planlegg", optionally followed by a template id or the start of its title. */
export const NEW_PLAN_PATTERN = /^\s*(ny\s+plan|new\s+plan|planlegg)\b\s*([\s\S]*)$/i;

/** Coordinators and leaders create and change pulse plans with the plan form. */
export function registerPlanRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(NEW_PLAN_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const query = NEW_PLAN_PATTERN.exec(context.activity.text ?? '')?.[2]?.trim() ?? '';
    const { scope } = await plannerScope(deps, actor);
    const templates = await templateChoices(deps, actor.tenant.id);
    const template = query ? findTemplate(templates.map((x) => ({ ...x, titles: [x.title.nb, x.title.nn, x.title.en] })), query) : null;
    // In a team channel the team is the obvious target.
    const team = teamOf(context.activity);
    const unitId = team ? scope.find((u) => u.teamsTeamId === team.id)?.id : undefined;
    const outcome = await planFormFor(deps, actor, { pick: { templateId: template?.id, unitId } });
    if (outcome.kind !== 'form') {
      await context.sendActivity(actor.t('plan.notAllowed'));
      return;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(planFormCard({ ...outcome.form, now: deps.clock() }, actor))] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('plan.save', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const outcome = await savePlan(deps, actor, data ?? {});
    if (outcome.kind === 'notAllowed') return noticeCard(actor.t('plan.form.title'), actor.t('plan.notAllowed'));
    if (outcome.kind === 'notFound') return noticeCard(actor.t('plan.form.title'), actor.t('plan.notFound'));
    if (outcome.kind === 'invalid') return planFormCard({ ...outcome.form, now: deps.clock() }, actor);
    const templates = await templateChoices(deps, actor.tenant.id);
    const units = await deps.directory.units(actor.tenant.id);
    return planSavedCard(
      {
        plan: outcome.plan,
        created: outcome.created,
        title: templates.find((x) => x.id === outcome.plan.templateId)?.title ?? null,
        unitName: units.find((u) => u.id === outcome.plan.unitId)?.name ?? '',
        upcoming: outcome.upcoming,
      },
      actor,
    );
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('plan.edit', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const outcome = await planFormFor(deps, actor, { planId: data?.planId });
    if (outcome.kind === 'notAllowed') return noticeCard(actor.t('plans.title'), actor.t('plan.notAllowed'));
    if (outcome.kind === 'notFound') return noticeCard(actor.t('plans.title'), actor.t('plan.notFound'));
    return planFormCard({ ...outcome.form, now: deps.clock() }, actor);
  });
}
