import { loadCatalogue } from '../catalogue/load-catalogue.ts';
import type { Lang } from '../domain/language.ts';
import type { StaffRole } from '../domain/profile.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

/** The catalogue entry's name («Kompetansepakke: Skolemiljø»), or the id of a local measure the catalogue does not know. */
export function measureName(catalogueId: string, lang: Lang): string {
  return loadCatalogue().entries.find((e) => e.id === catalogueId)?.name[lang] ?? catalogueId;
}

/** The measure's group: a staff role, or everyone (null). */
export function measureGroup(staffRole: StaffRole | null, t: Translate): string {
  return staffRole ? t(`staffRole.${staffRole}` as MessageKey) : t('results.everyone');
}

/** "1. desember 2026" for a calendar date (a database `date`, midnight UTC): no time zone shift. */
export function formatCalendarDate(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** A signed number with a real minus sign and the language's decimal mark: «−0,7», «+12», «0». */
export function signed(x: number, lang: Lang, decimals = 0): string {
  const rounded = Number(x.toFixed(decimals));
  const body = Math.abs(rounded).toLocaleString(LOCALES[lang], { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return rounded < 0 ? `−${body}` : rounded > 0 ? `+${body}` : body;
}

/** An unsigned number with the language's decimal mark: «3,6». */
export function decimal(x: number, lang: Lang, decimals = 1): string {
  return x.toLocaleString(LOCALES[lang], { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
