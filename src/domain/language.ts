export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/**
 * The language a person is answered in: their own choice first, then the
 * Teams client locale, then bokmål (the product default).
 *
 * @example resolveLanguage(null, 'nn-NO') // 'nn'
 */
export function resolveLanguage(preferred: Lang | null | undefined, clientLocale: string | null | undefined): Lang {
  if (preferred) return preferred;
  const tag = (clientLocale ?? '').toLowerCase();
  if (tag.startsWith('nn')) return 'nn';
  if (tag.startsWith('nb') || tag.startsWith('no')) return 'nb';
  if (tag.startsWith('en')) return 'en';
  return 'nb';
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
