import type { Lang } from '../domain/language.ts';
import { ANSWER_WINDOWS, DEFAULT_WINDOW } from '../domain/pulse-start.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { CheckBackOutcome, CheckBackProposal } from '../services/check-back.ts';
import { formatDateTime } from './format.ts';
import { noticeCard } from './pulse-card.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

/** Says which pulse, how many people (the same ones), what they are asked, and lets the leader pick the answer window. */
export function checkBackConfirmCard(view: Extract<CheckBackProposal, { kind: 'ok' }>, k: number, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  return renderCard('check-back-confirm', {
    title: t('checkBack.confirmTitle', { title: view.title }),
    text: t('checkBack.confirmText', { title: view.title, recipients: view.recipients, unit: view.unitName, date: formatDateTime(view.closedAt, lang) }),
    questions: view.questions.map((text) => ({ text })),
    comment: t('checkBack.comment'),
    already: view.already > 0 ? t('checkBack.already', { count: view.already }) : '',
    windowLabel: t('start.window'),
    windowValue: DEFAULT_WINDOW,
    windowChoices: Object.keys(ANSWER_WINDOWS).map((w) => ({ title: t(`start.window.${w}` as MessageKey), value: w })),
    privacy: t('privacy.promise', { k }),
    submit: t('checkBack.submit'),
    pulseIds: view.pulseIds.join(','),
  });
}

/** Why nothing is proposed, in one line. */
export function checkBackRefusal(proposal: Exclude<CheckBackProposal, { kind: 'ok' }>, t: Translate): string {
  if (proposal.kind === 'noResults') return t('checkBack.noResults');
  return proposal.kind === 'exists' ? t('checkBack.exists', { title: proposal.title }) : t('checkBack.notAllowed');
}

/** What pressing «Send» did. */
export function checkBackOutcomeCard(outcome: CheckBackOutcome, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  const text =
    outcome.kind === 'started'
      ? t('checkBack.started', { title: outcome.title, recipients: outcome.recipients, closesAt: formatDateTime(outcome.closesAt, lang) })
      : outcome.kind === 'exists'
        ? t('checkBack.exists', { title: outcome.title })
        : outcome.kind === 'noRecipients'
          ? t('checkBack.noRecipients', { title: outcome.title })
          : t('checkBack.notAllowed');
  return noticeCard(t('checkBack.title'), text);
}
