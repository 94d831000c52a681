import rawCatalogue from './measures.nb-nn-en.json' with { type: 'json' };
import { loadQuestionBank } from '../question-bank/load-question-bank.ts';
import { CatalogueEntrySchema, CatalogueSchema, validateCatalogue, type Catalogue, type CatalogueEntry, type CatalogueRefs } from './schema.ts';

/**
 * Loads the versioned catalogue of measures (measures.nb-nn-en.json), checked
 * against the shipped question bank so a measure can never point at a theme
 * the bank does not ask about. The JSON is imported (not read with fs) so
 * bundlers and `tsx` resolve it the same way as the bank.
 */

const issues = (error: { issues: { path: (string | number)[]; message: string }[] }, prefix = '') =>
  error.issues.map((i) => `${prefix}${i.path.join('.') || '(root)'}: ${i.message}`);

/** The shipped bank's theme ids: what catalogue themes must refer to. */
export function bankRefs(): CatalogueRefs {
  return { themeIds: new Set(loadQuestionBank().themes.map((t) => t.id)) };
}

/**
 * Shape-checks raw catalogue data and runs the cross-checks. Throws one Error
 * listing every problem.
 *
 * @example parseCatalogue(json, bankRefs()).entries.length // → 18
 */
export function parseCatalogue(raw: unknown, refs: CatalogueRefs): Catalogue {
  const parsed = CatalogueSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Measure catalogue is invalid:\n- ${issues(parsed.error).join('\n- ')}`);
  const problems = validateCatalogue(parsed.data, refs);
  if (problems.length > 0) throw new Error(`Measure catalogue ${parsed.data.version} is invalid:\n- ${problems.join('\n- ')}`);
  return parsed.data;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

let cached: Catalogue | undefined;

/** The catalogue shipped with the app, parsed once and frozen (callers share it). */
export function loadCatalogue(): Catalogue {
  cached ??= deepFreeze(parseCatalogue(rawCatalogue, bankRefs()));
  return cached;
}

export type MergeResult = { ok: true; catalogue: Catalogue; added: CatalogueEntry[] } | { ok: false; problems: string[] };

/**
 * The shipped catalogue plus a tenant's own measures (e.g. rows from the
 * database, stored as JSON). Each addition is validated with the same schema
 * and cross-checks as the shipped data; an id that already exists (shipped or
 * earlier in `extra`) is refused rather than overriding, so a local entry can
 * never silently replace what Udir offers.
 *
 * @example mergeLocalMeasures(loadCatalogue(), rows.map((r) => r.data), bankRefs())
 *   // → { ok: false, problems: ['local[0] "udir-skolemiljo": id already exists'] }
 */
export function mergeLocalMeasures(base: Catalogue, extra: readonly unknown[], refs: CatalogueRefs): MergeResult {
  const problems: string[] = [];
  const added: CatalogueEntry[] = [];
  const ids = new Set(base.entries.map((e) => e.id));
  extra.forEach((raw, i) => {
    const parsed = CatalogueEntrySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...issues(parsed.error, `local[${i}] `));
      return;
    }
    const entry = parsed.data;
    if (ids.has(entry.id)) {
      problems.push(`local[${i}] "${entry.id}": id already exists`);
      return;
    }
    ids.add(entry.id);
    added.push(entry);
  });
  if (problems.length > 0) return { ok: false, problems };
  const catalogue: Catalogue = { ...base, entries: [...base.entries, ...added] };
  const cross = validateCatalogue(catalogue, refs);
  return cross.length > 0 ? { ok: false, problems: cross } : { ok: true, catalogue, added };
}
