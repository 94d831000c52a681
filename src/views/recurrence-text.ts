import type { Lang } from '../domain/language.ts';
import { osloDate, osloWeekdayAndTime, type Recurrence } from '../domain/schedule.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import { formatDateTime } from './format.ts';

/**
 * A plan's rhythm in words, read from its first send time in Oslo:
 * "Annenhver onsdag kl. 14:00", "Tredje onsdag i måneden kl. 14:00". The
 * monthly ordinal follows schedule.ts: day 29–31 is "the last" weekday.
 */
export function recurrenceText(plan: { recurrence: Recurrence; firstSendAt: Date }, lang: Lang, t: Translate): string {
  if (plan.recurrence === 'none') return t('plan.every.none', { date: formatDateTime(plan.firstSendAt, lang) });
  const { weekday, time } = osloWeekdayAndTime(plan.firstSendAt);
  const params = { weekday: t(`weekday.${weekday}` as MessageKey), time };
  if (plan.recurrence === 'monthly') {
    const nth = Math.ceil(Number(osloDate(plan.firstSendAt).slice(8)) / 7);
    return t('plan.every.monthly', { ...params, nth: t((nth >= 5 ? 'ordinal.last' : `ordinal.${nth}`) as MessageKey) });
  }
  return t(`plan.every.${plan.recurrence}`, params);
}
