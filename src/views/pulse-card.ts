import type { AnswerProblem, AnswerValue } from '../domain/answer-validation.ts';
import type { Lang } from '../domain/language.ts';
import { STAFF_ROLES } from '../domain/profile.ts';
import { scaleItems, type PulseContent, type PulseItem } from '../domain/pulse-content.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import { formatDateTime } from './format.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type PulseCardView = {
  pulseId: string;
  content: PulseContent;
  items: PulseItem[];
  closesAt: Date;
  minGroupSize: number;
  /** Ask the person's staff role on the card (no profile yet), so answers can be grouped. */
  askRole: boolean;
  /** Values to keep when the card is shown again (edit, or invalid input). */
  values?: Record<string, string>;
  problems?: AnswerProblem[];
  roleMissing?: boolean;
  /** Sent again to someone who has not answered yet. */
  reminder?: boolean;
};

function choiceTitle(item: PulseItem, point: number, lang: Lang): string {
  const label = item.labels?.[point - 1]?.[lang];
  return label ? `${point} – ${label}` : String(point);
}

/** A text-answer example with as many numbers as the person has questions. */
export function textAnswerExample(items: readonly PulseItem[]): string {
  return scaleItems(items).map((_, i) => [4, 5, 3, 2, 4, 5][i % 6]).join(' ');
}

export function pulseCard(view: PulseCardView, lang: Lang, t: Translate): AdaptiveCard {
  const problemFor = (id: string) => view.problems?.find((p) => p.itemId === id);
  const comment = view.items.find((i) => i.scale === null);
  const commentProblem = comment ? problemFor(comment.id) : undefined;
  const anyProblem = (view.problems?.length ?? 0) > 0 || view.roleMissing;
  return renderCard('pulse-checkin', {
    pulseId: view.pulseId,
    banner: view.reminder ? t('pulse.reminderBanner') : '',
    title: view.content.title[lang],
    purpose: view.content.purpose[lang],
    privacy: t('privacy.promise', { k: view.minGroupSize }),
    error: anyProblem ? t('pulse.errorSummary') : '',
    askRole: view.askRole,
    roleQuestion: t('pulse.roleQuestion'),
    roleProblem: view.roleMissing ? t('pulse.problem.role') : '',
    roleValue: view.values?.staffRole ?? '',
    roleChoices: STAFF_ROLES.map((r) => ({ title: t(`staffRole.${r}` as MessageKey), value: r })),
    questions: scaleItems(view.items).map((item, i) => {
      const problem = problemFor(item.id);
      return {
        id: item.id,
        number: String(i + 1),
        text: item.text[lang],
        problem: problem ? t(`pulse.problem.${problem.code}` as MessageKey, { max: item.maxLength ?? 1000 }) : '',
        selected: view.values?.[item.id] ?? '',
        choices: [1, 2, 3, 4, 5].map((p) => ({ title: choiceTitle(item, p, lang), value: String(p) })),
      };
    }),
    hasComment: Boolean(comment),
    commentId: comment?.id ?? 'comment',
    commentLabel: comment?.text[lang] ?? '',
    commentMax: comment?.maxLength ?? 1000,
    commentValue: comment ? (view.values?.[comment.id] ?? '') : '',
    commentProblem: commentProblem ? t('pulse.problem.tooLong', { max: comment?.maxLength ?? 1000 }) : '',
    closesText: t('pulse.closesAt', { closesAt: formatDateTime(view.closesAt, lang) }),
    textHint: t('pulse.textHint', { example: textAnswerExample(view.items) }),
    submit: t('pulse.submit'),
  });
}

export type ReceiptView = { pulseId: string; content: PulseContent; items: PulseItem[]; answers: AnswerValue[]; closesAt: Date; open: boolean; minGroupSize: number };

/** What the person answered, with "Endre svar" while the pulse is open. */
export function receiptCard(view: ReceiptView, lang: Lang, t: Translate): AdaptiveCard {
  const byItem = new Map(view.answers.map((a) => [a.itemId, a]));
  const commentItem = view.items.find((i) => i.scale === null);
  return renderCard('pulse-receipt', {
    heading: t('receipt.title'),
    title: view.content.title[lang],
    answers: scaleItems(view.items).map((item, i) => {
      const value = byItem.get(item.id)?.value;
      return { number: String(i + 1), text: item.text[lang], answer: value ? choiceTitle(item, value, lang) : '–' };
    }),
    comment: commentItem ? (byItem.get(commentItem.id)?.comment ?? '') : '',
    commentLabel: t('receipt.comment'),
    footer: view.open ? t('receipt.editUntil', { closesAt: formatDateTime(view.closesAt, lang) }) : t('receipt.closed'),
    privacy: t('privacy.promise', { k: view.minGroupSize }),
    canEdit: view.open,
    editLabel: t('receipt.edit'),
    pulseId: view.pulseId,
  });
}

/** The stored answers as card input values, so "Endre svar" shows what was answered. */
export function answersAsValues(answers: readonly AnswerValue[]): Record<string, string> {
  return Object.fromEntries(answers.map((a) => [a.itemId, a.value !== null ? String(a.value) : (a.comment ?? '')]));
}

export function noticeCard(title: string, text: string): AdaptiveCard {
  return renderCard('notice', { title, text });
}
