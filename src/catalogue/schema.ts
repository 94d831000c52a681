import { z } from 'zod';
import { IdSchema, LocalizedTextSchema, PUPIL_GROUPS, SourceSchema } from '../question-bank/schema.ts';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../domain/profile.ts';

/**
 * Shapes of the catalogue of competence measures (measures.nb-nn-en.json).
 * Pure: imports only zod and other pure modules, so matching and tests can use
 * the types without the file system.
 *
 * Every fact a suggestion relies on (free? in common time? needs a
 * substitute?) is a field here, and `uncertain` names the fields that neither
 * the seeds nor an authoritative public source support, so a view can say
 * "usikkert" instead of presenting a guess as fact.
 */

/** How staff learn. Seeds 000/002/004: collective, school-based work is what works best. */
export const FORMATS = ['collective_school_based', 'individual', 'network', 'course'] as const;
export type MeasureFormat = (typeof FORMATS)[number];

/** Whether it happens inside the staff's common time (fellestid) or takes people away from work. */
export const RUNS = ['in_common_time', 'outside'] as const;
export type MeasureRuns = (typeof RUNS)[number];

/** Cost to the school/owner, not to the state. */
export const COSTS = ['free', 'paid'] as const;
export type MeasureCost = (typeof COSTS)[number];

export const LED_BY = ['school_leader', 'school_owner', 'university', 'external', 'self'] as const;
export type MeasureLedBy = (typeof LED_BY)[number];

/**
 * Kindergarten measures (ABLU, fagskole for barnehageansatte) are listed
 * because seed 004 names them, but a school leader is never offered them.
 */
export const SECTORS = ['school', 'kindergarten'] as const;
export type MeasureSector = (typeof SECTORS)[number];

/** Fields that may be flagged as not supported by a source. */
export const UNCERTAIN_FIELDS = ['themes', 'pupilGroups', 'targetRoles', 'schoolLevels', 'format', 'runs', 'cost', 'timeDemand', 'needsSubstitute', 'ledBy', 'provider', 'url', 'references'] as const;
export type UncertainField = (typeof UNCERTAIN_FIELDS)[number];

const HttpsUrlSchema = z
  .string()
  .url()
  .refine((u) => u.startsWith('https://'), 'url must be a public https address');

/** A seed file ("004_70b7bd1e945bbdda.txt") or a public https address. */
export const SourceRefSchema = z.union([SourceSchema, HttpsUrlSchema]);

/** Honest time demand: always words; hours/weeks only where a source gives them. */
export const TimeDemandSchema = z
  .object({
    text: LocalizedTextSchema,
    hours: z.object({ min: z.number().positive(), max: z.number().positive() }).strict().optional(),
    weeks: z.object({ min: z.number().positive(), max: z.number().positive() }).strict().optional(),
  })
  .strict();
export type TimeDemand = z.infer<typeof TimeDemandSchema>;

const common = {
  id: IdSchema,
  name: LocalizedTextSchema,
  summary: LocalizedTextSchema,
  linkText: LocalizedTextSchema,
  /** Question-bank theme ids the measure covers (checked against the bank at load). */
  themes: z.array(IdSchema),
  /** NIFU pupil groups (need items) the measure covers. */
  pupilGroups: z.array(z.enum(PUPIL_GROUPS)),
  targetRoles: z.array(z.enum(STAFF_ROLES)).min(1),
  provider: LocalizedTextSchema,
  url: HttpsUrlSchema,
  sources: z.array(SourceRefSchema).min(1),
  uncertain: z.array(z.enum(UNCERTAIN_FIELDS)),
  /** For maintainers (English): why a value is what it is, what is uncertain. */
  sourceNote: z.string().min(1).optional(),
};

export const MeasureSchema = z
  .object({
    ...common,
    kind: z.literal('measure'),
    sector: z.enum(SECTORS),
    /** Absent = every school level. */
    schoolLevels: z.array(z.enum(SCHOOL_LEVELS)).min(1).optional(),
    /**
     * Content is chosen locally (desentralisert ordning, own development work),
     * so it can serve any theme; `themes` then lists none or only examples.
     */
    openThemes: z.boolean(),
    format: z.enum(FORMATS),
    runs: z.enum(RUNS),
    cost: z.enum(COSTS),
    timeDemand: TimeDemandSchema,
    needsSubstitute: z.boolean(),
    ledBy: z.enum(LED_BY),
  })
  .strict();
export type Measure = z.infer<typeof MeasureSchema>;

export const ReferenceLinkSchema = z.object({ name: LocalizedTextSchema, provider: LocalizedTextSchema, url: HttpsUrlSchema }).strict();
export type ReferenceLink = z.infer<typeof ReferenceLinkSchema>;

/**
 * A theme with no competence package (negative social control): a pointer to
 * the national resources, never scored or offered as a package.
 */
export const ReferenceSchema = z
  .object({ ...common, kind: z.literal('reference'), noPackage: z.literal(true), references: z.array(ReferenceLinkSchema).min(1) })
  .strict();
export type Reference = z.infer<typeof ReferenceSchema>;

export const CatalogueEntrySchema = z.discriminatedUnion('kind', [MeasureSchema, ReferenceSchema]);
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

export const CatalogueSchema = z
  .object({
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'version must be semver, e.g. "1.0.0"'),
    entries: z.array(CatalogueEntrySchema).min(1),
  })
  .strict();
export type Catalogue = z.infer<typeof CatalogueSchema>;

export const isMeasure = (e: CatalogueEntry): e is Measure => e.kind === 'measure';
export const isReference = (e: CatalogueEntry): e is Reference => e.kind === 'reference';

/** What a catalogue is checked against: the question bank's theme ids. */
export type CatalogueRefs = { themeIds: ReadonlySet<string> };

function checkEntry(e: CatalogueEntry, refs: CatalogueRefs): string[] {
  const at = `entry "${e.id}"`;
  const errors: string[] = [];
  for (const t of e.themes) if (!refs.themeIds.has(t)) errors.push(`${at}: unknown theme "${t}"`);
  const covers = e.themes.length + e.pupilGroups.length;
  if (covers === 0 && !(isMeasure(e) && e.openThemes)) errors.push(`${at}: covers no theme or pupil group`);
  for (const f of e.uncertain) {
    if (!(f in e)) errors.push(`${at}: marks "${f}" uncertain but has no such field`);
  }
  if (new Set(e.uncertain).size !== e.uncertain.length) errors.push(`${at}: lists a field in uncertain twice`);
  if (isMeasure(e)) {
    for (const range of [e.timeDemand.hours, e.timeDemand.weeks]) if (range && range.min > range.max) errors.push(`${at}: time range min > max`);
  }
  return errors;
}

/**
 * Cross-record checks on a shape-valid catalogue: unique ids, known theme
 * ids, each entry covers something, `uncertain` names real fields.
 * Returns every problem, [] when valid.
 *
 * @example validateCatalogue(cat, { themeIds: new Set(bank.themes.map((t) => t.id)) })
 *   // → ['entry "x": unknown theme "mobing"']
 */
export function validateCatalogue(catalogue: Catalogue, refs: CatalogueRefs): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const e of catalogue.entries) {
    if (seen.has(e.id)) errors.push(`duplicate id "${e.id}"`);
    seen.add(e.id);
    errors.push(...checkEntry(e, refs));
  }
  return errors;
}
