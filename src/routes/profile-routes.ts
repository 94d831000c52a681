import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Deps } from '../deps.ts';
import { resolveLanguage } from '../domain/language.ts';
import { parseProfileSubmission, shouldOfferProfile } from '../domain/profile.ts';
import { translator } from '../i18n/translate.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { profileCard, profileSummary } from '../views/profile-card.ts';
import { resolveActor, type Actor } from './turn-actor.ts';

export const PROFILE_PATTERN = /^\s*(profil|profile|min profil|my profile)\s*$/i;

function formFor(actor: Actor, error?: string) {
  const p = actor.person;
  return profileCard({ staffRole: p.staffRole, schoolLevel: p.schoolLevel, pupilGroups: p.pupilGroups, language: actor.lang, minGroupSize: actor.tenant.minGroupSize, error }, actor.t);
}

/** Sends the profile card once to someone who has never saved or been offered a profile. */
export async function offerProfileIfNeeded(context: TurnContext, actor: Actor, deps: Deps): Promise<void> {
  if (context.activity.conversation?.conversationType !== 'personal' && context.activity.conversation?.conversationType !== undefined) return;
  if (!shouldOfferProfile(actor.person)) return;
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(formFor(actor))] });
  await deps.directory.markProfilePrompted(actor.person.id, deps.clock());
}

export function registerProfileRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(PROFILE_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(formFor(actor))] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('profile.save', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const parsed = parseProfileSubmission(data);
    if (!parsed.ok) {
      const onlyRoleMissing = parsed.problems.every((p) => p === 'staffRole.missing');
      return formFor(actor, actor.t(onlyRoleMissing ? 'profile.problem' : 'profile.invalid'));
    }
    const person = await deps.directory.saveProfile(actor.person.id, parsed.profile, deps.clock());
    await deps.audit.record({ tenantId: actor.tenant.id, actorId: person.id, action: 'profile.saved' });
    const t = translator(resolveLanguage(person.preferredLanguage, context.activity.locale));
    return noticeCard(t('profile.title'), t('profile.saved', { summary: profileSummary(parsed.profile, t) }));
  });
}
