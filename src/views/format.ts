import type { Lang } from '../domain/language.ts';
import { shownShare } from '../domain/share-display.ts';
import type { Translate } from '../i18n/translate.ts';

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

// Creating an Intl.DateTimeFormat costs far more than formatting with one (every receipt and pulse card shows a date).
const dayTimeFormats = new Map<Lang, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/** "onsdag 25. november kl. 16:00" — always in Europe/Oslo, whatever the server's zone. */
export function formatDateTime(date: Date, lang: Lang): string {
  let f = dayTimeFormats.get(lang);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Oslo', weekday: 'long', day: 'numeric', month: 'long' }),
      time: new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    dayTimeFormats.set(lang, f);
  }
  const day = f.day.format(date);
  const time = f.time.format(date);
  return lang === 'en' ? `${day} at ${time}` : `${day} kl. ${time}`;
}

/** "1. desember 2026" for a calendar date (a database `date`, midnight UTC): no time zone shift. */
export function formatDate(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** «83 %», or for a group under 2k where all or none but one gave it, «minst 83 %» / «høyst 17 %» (share-display.ts). */
export function shareText(share: number, n: number, k: number, t: Translate): string {
  const s = shownShare(share, n, k);
  return t(s.bound === 'atLeast' ? 'share.atLeast' : s.bound === 'atMost' ? 'share.atMost' : 'share.exact', { value: s.value });
}
