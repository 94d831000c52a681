import type { Lang } from '../domain/language.ts';
import { en } from './en.ts';
import { nb, type Catalogue, type MessageKey } from './nb.ts';
import { nn } from './nn.ts';

const catalogues: Record<Lang, Catalogue> = { nb, nn, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * Returns a translator for one language. Missing parameters throw, so a
 * message never reaches a user with a raw `{placeholder}` in it.
 *
 * @example translator('nn')('privacy.promise', { k: 5 })
 */
export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang];
  return (key, params = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`Missing parameter "${name}" for message "${key}"`);
      return String(value);
    });
}

export type { MessageKey };
