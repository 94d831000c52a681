import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { PulseFigures } from '../services/plan-overview.ts';

const KNOWN_REASONS = ['notInstalled', 'userLeft', 'blocked', 'noConversation'];

/** "Sendt til 30: 28 levert, 2 ikke levert." plus why, then answers and reminders (or «færre enn k»). */
export function figuresText(f: PulseFigures, k: number, t: Translate): string[] {
  const lines = [t('plans.delivery', { total: f.delivery.total, delivered: f.delivery.sent, failed: f.delivery.failed })];
  const reasons = Object.entries(f.failureReasons);
  if (reasons.length > 0) {
    lines.push(
      t('progress.reasons', {
        reasons: reasons.map(([reason, n]) => `${t((KNOWN_REASONS.includes(reason) ? `reason.${reason}` : 'reason.other') as MessageKey)}: ${n}`).join(', '),
      }),
    );
  }
  lines.push(f.answers.shown ? t('plans.answered', { answered: f.answers.answered, recipients: f.answers.recipients, rate: f.answers.rate, reminded: f.reminded }) : t('plans.answeredHidden', { k }));
  return lines;
}
