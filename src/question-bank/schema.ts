import { z } from 'zod';

/**
 * Shapes of the Kompetansepuls question bank. Pure: imports only zod, so the
 * domain, views and tests can use the types without touching the file system.
 *
 * The bank is data (bank.nb-nn-en.json); this file says what valid data looks
 * like. `QuestionBankSchema` checks each record's shape; `validateQuestionBank`
 * checks what a single record cannot see (unique ids, references, template
 * length, kind-specific fields).
 */

/** SNELD lesson (001_…): "not too many questions, not too much time". */
export const MAX_QUESTIONS_PER_TEMPLATE = 6;

export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const ITEM_KINDS = ['competence', 'importance', 'need', 'barrier', 'organisation', 'checkback', 'comment'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** The seven pupil groups of the NIFU report (003_…), asked only of staff who work with them. */
export const PUPIL_GROUPS = ['newly_arrived', 'high_absence', 'bullied', 'hard_time_home', 'mental_health', 'acting_out', 'special_needs'] as const;
export type PupilGroup = (typeof PUPIL_GROUPS)[number];

/** NIFU's three barrier categories: practical/personal, offer structure, school facilitation. */
export const BARRIER_CATEGORIES = ['practical', 'offer', 'facilitation'] as const;
export type BarrierCategory = (typeof BARRIER_CATEGORIES)[number];

/**
 * `degree` ("i hvilken grad stemmer …") is one more than the five scales in the
 * brief: NIFU asks its organisation statements on that scale, and reusing `need`
 * for them would mislabel the data even though the point labels are the same.
 */
export const SCALE_IDS = ['competence', 'importance', 'need', 'agree', 'degree', 'sense'] as const;
export type ScaleId = (typeof SCALE_IDS)[number];

/** Each kind is always asked on the same scale, so results of a kind compare across templates. */
export const SCALE_FOR_KIND: Readonly<Record<ItemKind, ScaleId | null>> = {
  competence: 'competence',
  importance: 'importance',
  need: 'need',
  barrier: 'agree',
  organisation: 'degree',
  checkback: 'sense',
  comment: null,
};

const ID_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const SEED_FILE_PATTERN = /^\d{3}_[0-9a-f]{16}\.txt$/;
const SEMVER_PATTERN = /^\d+\.\d+\.\d+$/;

export const IdSchema = z.string().regex(ID_PATTERN, 'ids are lowercase kebab-case or snake_case');

/** Seed file the wording/fact comes from, e.g. "003_04df98bfe4d4fd89.txt". */
export const SourceSchema = z.string().regex(SEED_FILE_PATTERN, 'source must name a seed file such as "003_04df98bfe4d4fd89.txt"');

/** Untrimmed text is rejected rather than silently trimmed: the JSON should be clean. */
const TextSchema = z
  .string()
  .min(1, 'text must not be empty')
  .refine((s) => s.trim() === s && s.trim().length > 0, 'text must be trimmed and not blank');

export const LocalizedTextSchema = z.object({ nb: TextSchema, nn: TextSchema, en: TextSchema }).strict();
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Five labels, index 0 = point 1, so cards can show every choice with its words. */
export const ScaleSchema = z
  .object({
    id: z.enum(SCALE_IDS),
    labels: z.array(LocalizedTextSchema).length(5, 'a scale has exactly 5 labelled points'),
  })
  .strict();
export type Scale = z.infer<typeof ScaleSchema>;

/** Optional free-text note for maintainers: how the text was derived from the source. */
const SourceNoteSchema = z.string().min(1).optional();

export const AreaSchema = z.object({ id: IdSchema, title: LocalizedTextSchema, source: SourceSchema, sourceNote: SourceNoteSchema }).strict();
export type Area = z.infer<typeof AreaSchema>;

/** A competence theme; the loader turns each into one competence and one importance item. */
export const ThemeSchema = z
  .object({ id: IdSchema, areaId: IdSchema, title: LocalizedTextSchema, source: SourceSchema, sourceNote: SourceNoteSchema })
  .strict();
export type Theme = z.infer<typeof ThemeSchema>;

/**
 * One flat shape for every kind (simpler to author than a union); the
 * kind-specific rules (themeId only on competence/importance, pupilGroup only on
 * need, …) are checked in validateQuestionBank.
 */
export const ItemSchema = z
  .object({
    id: IdSchema,
    kind: z.enum(ITEM_KINDS),
    themeId: IdSchema.optional(),
    pupilGroup: z.enum(PUPIL_GROUPS).optional(),
    barrierCategory: z.enum(BARRIER_CATEGORIES).optional(),
    /** Absent only for the free-text comment. */
    scale: z.enum(SCALE_IDS).optional(),
    text: LocalizedTextSchema,
    required: z.boolean(),
    /** Comment items only: characters accepted. */
    maxLength: z.number().int().positive().optional(),
    source: SourceSchema,
    sourceNote: SourceNoteSchema,
  })
  .strict();
export type Item = z.infer<typeof ItemSchema>;

export const TemplateSchema = z
  .object({
    id: IdSchema,
    title: LocalizedTextSchema,
    /** One line "why we ask", shown on the card before the questions. */
    purpose: LocalizedTextSchema,
    /** Order of the questions; the optional comment may be listed and is not counted. */
    itemIds: z.array(IdSchema).min(1),
    source: SourceSchema,
    sourceNote: SourceNoteSchema,
  })
  .strict();
export type Template = z.infer<typeof TemplateSchema>;

/** Question stems the loader combines with a theme title ("<title>: <stem>"). */
export const ThemeItemStemsSchema = z.object({ competence: LocalizedTextSchema, importance: LocalizedTextSchema }).strict();
export type ThemeItemStems = z.infer<typeof ThemeItemStemsSchema>;

/**
 * `version` changes whenever wording changes, so trends only compare answers
 * given to the same words (see README).
 */
export const QuestionBankSchema = z
  .object({
    version: z.string().regex(SEMVER_PATTERN, 'version must be semver, e.g. "1.0.0"'),
    themeItemStems: ThemeItemStemsSchema,
    scales: z.array(ScaleSchema).min(1),
    areas: z.array(AreaSchema).min(1),
    themes: z.array(ThemeSchema),
    items: z.array(ItemSchema),
    templates: z.array(TemplateSchema),
  })
  .strict();
export type QuestionBank = z.infer<typeof QuestionBankSchema>;

/** Items that count towards the six-question limit: everything but the optional comment. */
export function isAnswerable(item: Pick<Item, 'kind'>): boolean {
  return item.kind !== 'comment';
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

function checkItem(item: Item, themeIds: ReadonlySet<string>, scaleIds: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  const at = `item "${item.id}"`;
  const expectedScale = SCALE_FOR_KIND[item.kind];
  if (expectedScale === null) {
    if (item.scale !== undefined) errors.push(`${at}: a ${item.kind} item has no scale`);
    if (item.required) errors.push(`${at}: comments are always optional (required must be false)`);
  } else {
    if (item.scale !== expectedScale) errors.push(`${at}: ${item.kind} items use the "${expectedScale}" scale, not "${item.scale ?? '(none)'}"`);
    else if (!scaleIds.has(expectedScale)) errors.push(`${at}: scale "${expectedScale}" is not defined in scales`);
  }
  const themed = item.kind === 'competence' || item.kind === 'importance';
  if (themed && item.themeId === undefined) errors.push(`${at}: ${item.kind} items need a themeId`);
  if (themed && item.themeId !== undefined && !themeIds.has(item.themeId)) errors.push(`${at}: unknown theme "${item.themeId}"`);
  if (!themed && item.themeId !== undefined) errors.push(`${at}: only competence/importance items have a themeId`);
  if (item.kind === 'need' && item.pupilGroup === undefined) errors.push(`${at}: need items need a pupilGroup`);
  if (item.kind !== 'need' && item.pupilGroup !== undefined) errors.push(`${at}: only need items have a pupilGroup`);
  if (item.kind === 'barrier' && item.barrierCategory === undefined) errors.push(`${at}: barrier items need a barrierCategory`);
  if (item.kind !== 'barrier' && item.barrierCategory !== undefined) errors.push(`${at}: only barrier items have a barrierCategory`);
  if (item.kind !== 'comment' && item.maxLength !== undefined) errors.push(`${at}: only comment items have a maxLength`);
  return errors;
}

/**
 * Cross-record checks on an already shape-valid bank (after the loader has added
 * the generated theme items). Returns every problem found, [] when valid.
 *
 * @example validateQuestionBank(bank) // → ['template "x": 7 questions (max 6)']
 */
export function validateQuestionBank(bank: QuestionBank): string[] {
  const errors: string[] = [];
  const collections = { scales: bank.scales, areas: bank.areas, themes: bank.themes, items: bank.items, templates: bank.templates };
  for (const [name, list] of Object.entries(collections)) {
    for (const id of duplicates(list.map((x) => x.id))) errors.push(`${name}: duplicate id "${id}"`);
  }

  const areaIds = new Set(bank.areas.map((a) => a.id));
  const themeIds = new Set(bank.themes.map((t) => t.id));
  const scaleIds = new Set(bank.scales.map((s) => s.id));
  for (const theme of bank.themes) {
    if (!areaIds.has(theme.areaId)) errors.push(`theme "${theme.id}": unknown area "${theme.areaId}"`);
  }
  for (const item of bank.items) errors.push(...checkItem(item, themeIds, scaleIds));

  // Every theme is asked as a pair, so the competence/importance gap can be computed.
  for (const theme of bank.themes) {
    for (const kind of ['competence', 'importance'] as const) {
      const n = bank.items.filter((i) => i.kind === kind && i.themeId === theme.id).length;
      if (n !== 1) errors.push(`theme "${theme.id}": expected exactly one ${kind} item, found ${n}`);
    }
  }

  const itemsById = new Map(bank.items.map((i) => [i.id, i]));
  for (const template of bank.templates) {
    const at = `template "${template.id}"`;
    for (const id of duplicates(template.itemIds)) errors.push(`${at}: lists item "${id}" more than once`);
    const known = template.itemIds.flatMap((id) => {
      const item = itemsById.get(id);
      if (item === undefined) errors.push(`${at}: unknown item "${id}"`);
      return item === undefined ? [] : [item];
    });
    const questions = known.filter(isAnswerable).length;
    if (questions > MAX_QUESTIONS_PER_TEMPLATE) errors.push(`${at}: ${questions} questions (max ${MAX_QUESTIONS_PER_TEMPLATE})`);
    if (questions === 0 && known.length === template.itemIds.length) errors.push(`${at}: has no questions`);
    if (known.filter((i) => i.kind === 'comment').length > 1) errors.push(`${at}: more than one comment item`);
  }
  return errors;
}
