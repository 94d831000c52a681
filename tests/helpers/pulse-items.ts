import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { SCALE_FOR_KIND } from '../../src/question-bank/schema.ts';

/** A pulse item with the scale of its kind and its id as text in every language; competence and importance items are required. */
export const makeItem = (id: string, kind: PulseItem['kind'], extra: Partial<PulseItem> = {}): PulseItem => ({
  id,
  kind,
  scale: SCALE_FOR_KIND[kind],
  text: { nb: id, nn: id, en: id },
  labels: null,
  required: kind !== 'need' && kind !== 'comment',
  ...extra,
});
