import type { Item, LocalizedText, QuestionBank, ScaleId } from '../question-bank/schema.ts';
import { expandTemplate } from '../question-bank/load-question-bank.ts';

export type PulseItem = {
  id: string;
  kind: Item['kind'];
  scale: ScaleId | null;
  text: LocalizedText;
  /** Five labelled points for scale items; null for the free-text comment. */
  labels: LocalizedText[] | null;
  required: boolean;
  themeId?: string;
  pupilGroup?: string;
  barrierCategory?: string;
  maxLength?: number;
};

/** What a pulse asks, frozen when it starts so later bank edits never change answered questions. */
export type PulseContent = { templateId: string; bankVersion: string; title: LocalizedText; purpose: LocalizedText; items: PulseItem[] };

export const DEFAULT_COMMENT_MAX = 1000;

export function buildPulseContent(bank: QuestionBank, templateId: string): PulseContent {
  const template = bank.templates.find((t) => t.id === templateId);
  if (!template) throw new Error(`Unknown template "${templateId}"`);
  const scales = new Map(bank.scales.map((s) => [s.id, s.labels]));
  const items = expandTemplate(bank, templateId).map((item): PulseItem => ({
    id: item.id,
    kind: item.kind,
    scale: item.scale ?? null,
    text: item.text,
    labels: item.scale ? (scales.get(item.scale) ?? null) : null,
    required: item.required,
    ...(item.themeId ? { themeId: item.themeId } : {}),
    ...(item.pupilGroup ? { pupilGroup: item.pupilGroup } : {}),
    ...(item.barrierCategory ? { barrierCategory: item.barrierCategory } : {}),
    ...(item.kind === 'comment' ? { maxLength: Math.min(item.maxLength ?? DEFAULT_COMMENT_MAX, DEFAULT_COMMENT_MAX) } : {}),
  }));
  return { templateId, bankVersion: bank.version, title: template.title, purpose: template.purpose, items };
}

/**
 * The items one person is asked: need items only for pupil groups they work
 * with (NIFU asks only about groups the person meets). [] = nothing to ask.
 */
export function itemsForPerson(content: PulseContent, pupilGroups: readonly string[]): PulseItem[] {
  const groups = new Set(pupilGroups);
  const items = content.items.filter((i) => i.kind !== 'need' || (i.pupilGroup !== undefined && groups.has(i.pupilGroup)));
  return items.some((i) => i.scale !== null) ? items : [];
}

export const scaleItems = (items: readonly PulseItem[]) => items.filter((i) => i.scale !== null);
