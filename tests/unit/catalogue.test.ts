import { describe, expect, it } from 'vitest';
import rawCatalogue from '../../src/catalogue/measures.nb-nn-en.json' with { type: 'json' };
import { bankRefs, loadCatalogue, mergeLocalMeasures, parseCatalogue } from '../../src/catalogue/load-catalogue.ts';
import { isMeasure, isReference, validateCatalogue, type Catalogue, type CatalogueEntry } from '../../src/catalogue/schema.ts';
import { STAFF_ROLES } from '../../src/domain/profile.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { LANGUAGES, PUPIL_GROUPS } from '../../src/question-bank/schema.ts';

const catalogue = loadCatalogue();
const refs = bankRefs();
/** A mutable copy of the raw JSON for the negative cases. */
const raw = () => structuredClone(rawCatalogue) as unknown as { version: string; entries: Record<string, unknown>[] };
const entry = (id: string) => catalogue.entries.find((e) => e.id === id);

/** A minimal valid local measure, as a tenant might store it in the database. */
const localMeasure = (over: Record<string, unknown> = {}) => ({
  ...structuredClone(rawCatalogue.entries.find((e) => e.id === 'skolebasert-utviklingsarbeid')!),
  id: 'kommunens-relasjonskurs',
  openThemes: false,
  themes: ['relasjonskompetanse'],
  ...over,
});

describe('the shipped catalogue of measures', () => {
  it('is versioned and passes every cross-check against the question bank', () => {
    expect(catalogue.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(validateCatalogue(catalogue, refs)).toEqual([]);
  });

  it('only uses theme ids the bank asks about, known pupil groups and staff roles', () => {
    const themeIds = new Set(loadQuestionBank().themes.map((t) => t.id));
    for (const e of catalogue.entries) {
      for (const t of e.themes) expect(themeIds.has(t), `${e.id}: ${t}`).toBe(true);
      for (const g of e.pupilGroups) expect(PUPIL_GROUPS).toContain(g);
      for (const r of e.targetRoles) expect(STAFF_ROLES).toContain(r);
    }
  });

  it('has name, summary and link text in bokmål, nynorsk and English, and nynorsk is not copied bokmål', () => {
    for (const e of catalogue.entries) {
      for (const field of [e.name, e.summary, e.linkText]) for (const lang of LANGUAGES) expect(field[lang].trim().length, `${e.id}.${lang}`).toBeGreaterThan(0);
      expect(e.summary.nn, e.id).not.toBe(e.summary.nb);
      expect(e.summary.en, e.id).not.toBe(e.summary.nb);
    }
  });

  it('has the Udir packages from the domain notes and the other measure types from seed 004', () => {
    const ids = catalogue.entries.map((e) => e.id);
    for (const id of ['udir-skolemiljo', 'udir-sfo-miljo', 'udir-digitale-ferdigheter', 'udir-inkluderende-praksis', 'udir-laereplanverket', 'udir-regelverket']) expect(ids).toContain(id);
    for (const id of ['desentralisert-ordning', 'videreutdanning-laerere', 'fagskole-oppvekst', 'ablu', 'hospitering-yrkesfag', 'laringsmiljoprosjektet', 'lokalt-fagnettverk']) expect(ids).toContain(id);
    const packages = catalogue.entries.filter(isMeasure).filter((m) => m.id.startsWith('udir-'));
    // What the public sources say about every Udir package: free, school-based, in common time, no substitute.
    for (const p of packages) expect([p.cost, p.format, p.runs, p.needsSubstitute, p.url], p.id).toEqual(['free', 'collective_school_based', 'in_common_time', false, 'https://kompetanse.udir.no']);
  });

  it('has no package for negative social control, only a reference to the national resources', () => {
    const covering = catalogue.entries.filter((e) => e.themes.includes('negativ-sosial-kontroll'));
    expect(covering.length).toBeGreaterThan(0);
    for (const e of covering) expect(e.kind).toBe('reference');
    const ref = covering.find(isReference)!;
    expect(ref.noPackage).toBe(true);
    const names = ref.references.map((r) => r.name.nb).join(' | ');
    expect(names).toMatch(/Kompetanseteamet/);
    expect(names).toMatch(/Sjef i eget liv/);
    expect(names).toMatch(/Frihet fra negativ sosial kontroll/);
    expect(ref.references.every((r) => r.url.startsWith('https://'))).toBe(true);
  });

  it('marks kindergarten-only schemes (ABLU, fagskole for barnehageansatte) so schools are never offered them', () => {
    for (const id of ['ablu', 'fagskole-oppvekst']) {
      const m = entry(id);
      expect(m && isMeasure(m) && m.sector).toBe('kindergarten');
    }
  });

  it('names a source for every entry and marks unsupported facts as uncertain', () => {
    for (const e of catalogue.entries) expect(e.sources.length, e.id).toBeGreaterThan(0);
    // Spot checks of honesty: facts the seeds do not give are flagged.
    expect(entry('rvts-kompetanseheving')!.uncertain).toEqual(expect.arrayContaining(['cost', 'runs', 'needsSubstitute']));
    expect(entry('lokalt-fagnettverk')!.uncertain).toEqual(expect.arrayContaining(['runs', 'cost']));
    expect(entry('desentralisert-ordning')!.uncertain).toContain('needsSubstitute');
  });

  it('is frozen and shared between callers', () => {
    expect(loadCatalogue()).toBe(catalogue);
    expect(Object.isFrozen(catalogue.entries[0])).toBe(true);
  });
});

describe('validation fails on bad data', () => {
  const problemsOf = (mutate: (c: ReturnType<typeof raw>) => void) => {
    const data = raw();
    mutate(data);
    try {
      parseCatalogue(data, refs);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('an unknown theme id', () => {
    expect(problemsOf((c) => (c.entries[0]!.themes = ['mobing']))).toMatch(/unknown theme "mobing"/);
  });

  it('an unknown pupil group or staff role', () => {
    expect(problemsOf((c) => (c.entries[0]!.pupilGroups = ['refugees']))).toMatch(/pupilGroups/);
    expect(problemsOf((c) => (c.entries[0]!.targetRoles = ['janitor']))).toMatch(/targetRoles/);
  });

  it('a missing translation, a missing version, a duplicate id', () => {
    expect(problemsOf((c) => delete (c.entries[0]!.name as Record<string, string>).nn)).toMatch(/name\.nn/);
    expect(problemsOf((c) => delete (c as Partial<typeof c>).version)).toMatch(/version/);
    expect(problemsOf((c) => (c.entries[1]!.id = c.entries[0]!.id))).toMatch(/duplicate id/);
  });

  it('a measure that covers nothing, or marks a field uncertain that it does not have', () => {
    expect(problemsOf((c) => Object.assign(c.entries[0]!, { themes: [], pupilGroups: [] }))).toMatch(/covers no theme/);
    expect(problemsOf((c) => (c.entries[0]!.uncertain = ['schoolLevels']))).toMatch(/marks "schoolLevels" uncertain/);
  });

  it('a reference that claims a package exists, and an http address', () => {
    expect(problemsOf((c) => (c.entries.find((e) => e.kind === 'reference')!.noPackage = false))).toMatch(/noPackage/);
    expect(problemsOf((c) => (c.entries[0]!.url = 'http://example.com'))).toMatch(/https/);
  });
});

describe('mergeLocalMeasures: a tenant’s own measures from the database', () => {
  it('adds a valid local measure', () => {
    const result = mergeLocalMeasures(catalogue, [localMeasure()], refs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.catalogue.entries).toHaveLength(catalogue.entries.length + 1);
    expect(result.added.map((e: CatalogueEntry) => e.id)).toEqual(['kommunens-relasjonskurs']);
    expect(catalogue.entries).toHaveLength((rawCatalogue as unknown as Catalogue).entries.length);
  });

  it('refuses an id that is already shipped or repeated among the additions', () => {
    expect(mergeLocalMeasures(catalogue, [localMeasure({ id: 'udir-skolemiljo' })], refs)).toEqual({ ok: false, problems: ['local[0] "udir-skolemiljo": id already exists'] });
    const twice = mergeLocalMeasures(catalogue, [localMeasure(), localMeasure()], refs);
    expect(twice).toEqual({ ok: false, problems: ['local[1] "kommunens-relasjonskurs": id already exists'] });
  });

  it('validates additions with the same schema and cross-checks', () => {
    const bad = mergeLocalMeasures(catalogue, [localMeasure({ themes: ['finnes-ikke'] }), { id: 'x', kind: 'measure' }], refs);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.some((p) => p.startsWith('local[1] '))).toBe(true);
    const unknownTheme = mergeLocalMeasures(catalogue, [localMeasure({ themes: ['finnes-ikke'] })], refs);
    expect(unknownTheme).toEqual({ ok: false, problems: ['entry "kommunens-relasjonskurs": unknown theme "finnes-ikke"'] });
  });
});
