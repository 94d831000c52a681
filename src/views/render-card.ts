import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';

export const CARDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'cards');

export type AdaptiveCard = { type: 'AdaptiveCard'; version: string; body: unknown[]; [key: string]: unknown };

/**
 * Parsed templates, one per card. `new Template()` parses every `${…}` with
 * adaptive-expressions (ANTLR), which cost more CPU than the rest of a card
 * answer (bench/ingest.ts); a Template can be expanded again and again with
 * different data, and expand() is synchronous, so sharing one is safe.
 */
const templates = new Map<string, ACData.Template>();

function loadTemplate(name: string): ACData.Template {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template;
}

/**
 * User-supplied text must never look like template syntax, or the leftover
 * check below could not tell an unbound template field from a comment that
 * happens to contain "${". A zero-width space keeps the text readable.
 */
function neutraliseTemplateSyntax(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('${', '$\u200B{');
  if (Array.isArray(value)) return value.map(neutraliseTemplateSyntax);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutraliseTemplateSyntax(v)]));
  }
  return value;
}

export class CardTemplateError extends Error {}

/**
 * Expands `cards/<name>.json` with `data`. Throws if any `${…}` is left
 * unbound: adaptivecards-templating leaves unknown fields in the output as-is,
 * which would show raw template syntax to a user.
 *
 * @example renderCard('help-commands', { title: 'Hjelp', … })
 */
export function renderCard(name: string, data: object): AdaptiveCard {
  const template = loadTemplate(name);
  const card = template.expand({ $root: neutraliseTemplateSyntax(data) }) as AdaptiveCard;
  const leftovers = JSON.stringify(card).match(/\$\{[^}]*\}/g);
  if (leftovers) throw new CardTemplateError(`Card ${name}: unbound template fields ${[...new Set(leftovers)].join(', ')}`);
  return card;
}

export function cardAttachment(card: AdaptiveCard) {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
