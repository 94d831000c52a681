import rawBank from './bank.nb-nn-en.json' with { type: 'json' };
import {
  LANGUAGES,
  QuestionBankSchema,
  isAnswerable,
  validateQuestionBank,
  type Item,
  type LocalizedText,
  type QuestionBank,
  type Theme,
  type ThemeItemStems,
} from './schema.ts';

/**
 * Loads the versioned question bank (bank.nb-nn-en.json). The JSON is imported
 * rather than read with fs so bundlers and `tsx` resolve it the same way.
 */

const THEME_ITEM_KINDS = ['competence', 'importance'] as const;

/** Stable id of a generated theme item, e.g. "competence-elevsyn". */
export function themeItemId(kind: (typeof THEME_ITEM_KINDS)[number], themeId: string): string {
  return `${kind}-${themeId}`;
}

function themeText(theme: Theme, stem: LocalizedText): LocalizedText {
  const [nb, nn, en] = LANGUAGES.map((lang) => `${theme.title[lang]}: ${stem[lang]}`) as [string, string, string];
  return { nb, nn, en };
}

/**
 * SNELD asks every theme on two scales (001_…); the pair is generated here so
 * the data cannot drift into a theme with only one of them.
 */
export function buildThemeItems(themes: readonly Theme[], stems: ThemeItemStems): Item[] {
  return themes.flatMap((theme) =>
    THEME_ITEM_KINDS.map((kind) => ({
      id: themeItemId(kind, theme.id),
      kind,
      themeId: theme.id,
      scale: kind,
      text: themeText(theme, stems[kind]),
      required: true,
      source: theme.source,
    })),
  );
}

/**
 * Shape-checks raw bank data, adds the generated theme items and runs the
 * cross-checks. Throws one Error listing every problem.
 */
export function parseQuestionBank(raw: unknown): QuestionBank {
  const parsed = QuestionBankSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Question bank is invalid:\n- ${problems.join('\n- ')}`);
  }
  const data = parsed.data;
  const bank: QuestionBank = { ...data, items: [...buildThemeItems(data.themes, data.themeItemStems), ...data.items] };
  const problems = validateQuestionBank(bank);
  if (problems.length > 0) throw new Error(`Question bank ${bank.version} is invalid:\n- ${problems.join('\n- ')}`);
  return bank;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

let cached: QuestionBank | undefined;

/** The bank shipped with the app, parsed once and frozen (callers share it). */
export function loadQuestionBank(): QuestionBank {
  cached ??= deepFreeze(parseQuestionBank(rawBank));
  return cached;
}

export interface ExpandTemplateOptions {
  /**
   * Pupil groups the person works with (NIFU asks need items only for those).
   * Omitted = no filtering (e.g. a coordinator previewing the template);
   * [] = the person works with none, so every need item is dropped.
   */
  pupilGroups?: readonly string[];
}

/**
 * The items of a template in order, need items filtered by pupil group. The
 * template's optional comment is kept at its listed place, but if no question is
 * left the result is [] so the caller can skip the pulse for that person.
 *
 * @example expandTemplate(bank, 'elevgrupper-2', { pupilGroups: ['acting_out'] })
 *   // → [need-acting-out, comment]
 */
export function expandTemplate(bank: QuestionBank, templateId: string, opts: ExpandTemplateOptions = {}): Item[] {
  const template = bank.templates.find((t) => t.id === templateId);
  if (template === undefined) throw new Error(`Unknown question template "${templateId}"`);
  const itemsById = new Map(bank.items.map((i) => [i.id, i]));
  const groups = opts.pupilGroups === undefined ? undefined : new Set(opts.pupilGroups);
  const items = template.itemIds.map((id) => {
    const item = itemsById.get(id);
    if (item === undefined) throw new Error(`Template "${templateId}" lists unknown item "${id}"`);
    return item;
  });
  const kept = items.filter((item) => item.kind !== 'need' || groups === undefined || (item.pupilGroup !== undefined && groups.has(item.pupilGroup)));
  return kept.some(isAnswerable) ? kept : [];
}
