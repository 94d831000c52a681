import type { Lang } from '../domain/language.ts';

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

/** "onsdag 25. november kl. 16:00" — always in Europe/Oslo, whatever the server's zone. */
export function formatDateTime(date: Date, lang: Lang): string {
  const day = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Oslo', weekday: 'long', day: 'numeric', month: 'long' }).format(date);
  const time = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return lang === 'en' ? `${day} at ${time}` : `${day} kl. ${time}`;
}
