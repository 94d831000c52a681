import type { Translate } from '../i18n/translate.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type WelcomeView = { scope: 'personal'; firstName: string | null } | { scope: 'team'; teamName: string | null };

export function welcomeCard(view: WelcomeView, t: Translate, minGroupSize: number, firstAdmin = false): AdaptiveCard {
  const title =
    view.scope === 'personal'
      ? view.firstName ? t('greeting.personal.title', { name: view.firstName }) : t('greeting.personal.titleNoName')
      : view.teamName ? t('greeting.team.title', { team: view.teamName }) : t('greeting.team.titleNoName');
  return renderCard('welcome', {
    title,
    body: t(view.scope === 'personal' ? 'greeting.personal.body' : 'greeting.team.body'),
    privacy: t('privacy.promise', { k: minGroupSize }),
    adminHint: firstAdmin ? t('greeting.firstAdmin') : '',
    helpHint: t('help.hint'),
  });
}
