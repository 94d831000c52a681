import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load-catalogue.ts';
import type { Catalogue, Measure } from '../../src/catalogue/schema.ts';
import { aggregate, type AnswerRow, type Distribution, type GroupResult, type ItemResult, type ThemeGap } from '../../src/domain/aggregate-results.ts';
import { LANGUAGES } from '../../src/domain/language.ts';
import { HIGH_BARRIER_SHARE, matchMeasures, type MatchOptions } from '../../src/domain/match-measures.ts';
import { explainPointer, explainSuggestion } from '../../src/domain/measure-reasons.ts';
import { STAFF_ROLES } from '../../src/domain/profile.ts';
import type { PulseItem } from '../../src/domain/pulse-content.ts';
import { translator } from '../../src/i18n/translate.ts';
import { SCALE_FOR_KIND } from '../../src/question-bank/schema.ts';

// --- builders: visible results as aggregate-results returns them ---
const dist = (share: number, n: number): Distribution => [0, n - Math.round((share * n) / 100), 0, 0, Math.round((share * n) / 100)];
const theme = (themeId: string, shareNeed: number, n = 20): ThemeGap => ({ themeId, suppressed: false, reason: null, n, gap: 1, shareNeed });
const hiddenTheme = (themeId: string): ThemeGap => ({ themeId, suppressed: true, reason: 'small', n: null, gap: null, shareNeed: null });
const result = (itemId: string, kind: ItemResult['kind'], shareHigh: number, n = 20, meta: { pupilGroup?: string } = {}): ItemResult => ({
  itemId, kind, ...meta, suppressed: false, reason: null, n, mean: 3, distribution: dist(shareHigh, n), shareHigh, shareLow: 0,
});
const barrier = (id: string, share: number, n = 20) => result(`barrier-${id}`, 'barrier', share, n);
const need = (group: string, share: number, n = 20) => result(`need-${group.replace(/_/g, '-')}`, 'need', share, n, { pupilGroup: group });
const hiddenItem = (itemId: string, kind: ItemResult['kind'], pupilGroup?: string): ItemResult => ({
  itemId, kind, ...(pupilGroup ? { pupilGroup } : {}), suppressed: true, reason: 'small', n: null, mean: null, distribution: null, shareHigh: null, shareLow: null,
});
const group = (key: string, themes: ThemeGap[], items: ItemResult[] = []): GroupResult => ({ key, suppressed: false, reason: null, respondents: 20, themes, items });

// --- a tiny synthetic catalogue for the rule tests ---
const L = (s: string) => ({ nb: s, nn: `${s} (nn)`, en: `${s} (en)` });
const measure = (id: string, over: Partial<Measure> = {}): Measure => ({
  id, kind: 'measure', name: L(id), summary: L(id), linkText: L(id), themes: ['klasseledelse'], pupilGroups: [], targetRoles: [...STAFF_ROLES],
  provider: L('p'), url: 'https://example.org', sources: ['004_70b7bd1e945bbdda.txt'], uncertain: [], sector: 'school', openThemes: false,
  format: 'collective_school_based', runs: 'in_common_time', cost: 'free', timeDemand: { text: L('t') }, needsSubstitute: false, ledBy: 'school_leader', ...over,
});
const cat = (...entries: Measure[]): Catalogue => ({ version: '0.0.1', entries });
const TWO = { themes: ['klasseledelse', 'relasjonskompetanse'] };
const ids = (g: GroupResult, key: string, c: Catalogue, opts: MatchOptions = {}) => matchMeasures(g, key, c, [], { limit: 50, ...opts }).suggestions.map((s) => s.measure.id);
const needs2 = [theme('klasseledelse', 50), theme('relasjonskompetanse', 50)];

describe('matchMeasures with the shipped catalogue', () => {
  const catalogue = loadCatalogue();
  const teacher = group('teacher', [theme('digitale-verktoy', 55), theme('elevenes-digitale-ferdigheter', 45), theme('underveisvurdering', 30)], [barrier('no-cover', 30)]);
  const bua = group('child_youth_worker', [theme('forebygge-mobbing', 35)], [need('acting_out', 58, 24), need('special_needs', 50, 24), barrier('no-cover', 61, 24), barrier('school-no-money', 57, 24)]);

  it('suggests different top measures for a teacher profile and a child-and-youth-worker profile', () => {
    const forTeachers = matchMeasures(teacher, 'teacher', catalogue, []);
    const forBua = matchMeasures(bua, 'child_youth_worker', catalogue, []);
    expect(forTeachers.suggestions[0]!.measure.id).toBe('udir-digitale-ferdigheter');
    expect(forBua.suggestions[0]!.measure.id).toBe('udir-inkluderende-praksis');
    // With the school level known, the SFO package (barnetrinn) fits the BUA group best.
    expect(matchMeasures(bua, 'child_youth_worker', catalogue, [], { schoolLevel: 'barnetrinn' }).suggestions[0]!.measure.id).toBe('udir-sfo-miljo');
    for (const s of forBua.suggestions) expect(s.measure.targetRoles).toContain('child_youth_worker');
    expect(forTeachers.suggestions).toHaveLength(3);
  });

  it('a high "no one to cover" barrier pushes individual further education below in-common-time packages', () => {
    const needs = [theme('digitale-verktoy', 40), theme('inkluderende-praksis', 40), theme('underveisvurdering', 40), theme('klasseledelse', 40)];
    expect(ids(group('teacher', needs), 'teacher', catalogue)[0]).toBe('videreutdanning-laerere');
    const blocked = matchMeasures(group('teacher', needs, [barrier('no-cover', 60)]), 'teacher', catalogue, [], { limit: 50 });
    const vu = blocked.suggestions.find((s) => s.measure.id === 'videreutdanning-laerere')!;
    expect(blocked.suggestions[0]!.measure.id).not.toBe('videreutdanning-laerere');
    expect(vu.cautions).toEqual([{ kind: 'barrier', rule: 'cover', barrierId: 'barrier-no-cover', share: 60, n: 20, fits: false }]);
  });

  it('never offers kindergarten schemes to schools, and level-limited ones only on a matching level', () => {
    const g = group('child_youth_worker', [theme('relasjonskompetanse', 60)]);
    expect(ids(g, 'child_youth_worker', catalogue)).not.toEqual(expect.arrayContaining(['ablu']));
    expect(ids(g, 'child_youth_worker', catalogue)).not.toContain('fagskole-oppvekst');
    const subject = group('teacher', [theme('dybdelaring-i-fagene', 50)]);
    expect(ids(subject, 'teacher', catalogue)).not.toContain('hospitering-yrkesfag');
    expect(ids(subject, 'teacher', catalogue, { schoolLevel: 'vgs_yrkesfag' })).toContain('hospitering-yrkesfag');
  });

  it('points to the national resources when negative social control is a top need, never as a package', () => {
    const g = group('all', [theme('negativ-sosial-kontroll', 48), theme('digitale-krenkelser', 45)]);
    const r = matchMeasures(g, 'all', catalogue, [], { limit: 50 });
    expect(r.pointers.map((p) => p.reference.id)).toEqual(['negativ-sosial-kontroll-ressurser']);
    expect(r.pointers[0]!.needs).toEqual([{ kind: 'need', source: 'theme', themeId: 'negativ-sosial-kontroll', share: 48, n: 20 }]);
    expect(r.suggestions.every((s) => s.measure.kind === 'measure')).toBe(true);
    expect(matchMeasures(group('all', [hiddenTheme('negativ-sosial-kontroll'), theme('digitale-krenkelser', 45)]), 'all', catalogue, []).pointers).toEqual([]);
  });
});

describe('scoring rules, each flipping a ranking', () => {
  it('coverage: a measure covering two needs beats one covering one; a measure covering none is left out', () => {
    const c = cat(measure('a-one'), measure('b-two', TWO), measure('c-none', { themes: ['elevsyn'] }));
    expect(ids(group('teacher', needs2), 'teacher', c)).toEqual(['b-two', 'a-one']);
  });

  it(`no cover for absence (≥ ${HIGH_BARRIER_SHARE} %): in common time without substitute first`, () => {
    const c = cat(measure('course', { ...TWO, format: 'course', runs: 'outside', needsSubstitute: true }), measure('package'));
    expect(ids(group('teacher', needs2, [barrier('no-cover', 39)]), 'teacher', c)).toEqual(['course', 'package']);
    const r = matchMeasures(group('teacher', needs2, [barrier('no-cover', 60)]), 'teacher', c, []);
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['package', 'course']);
    expect(r.suggestions[0]!.reasons).toContainEqual({ kind: 'barrier', rule: 'cover', barrierId: 'barrier-no-cover', share: 60, n: 20, fits: true });
    expect(r.suggestions[1]!.score.barriers).toBe(0.4);
  });

  it('no money: free first', () => {
    const c = cat(measure('paid', { ...TWO, cost: 'paid' }), measure('free'));
    expect(ids(group('teacher', needs2), 'teacher', c)).toEqual(['paid', 'free']);
    expect(ids(group('teacher', needs2, [barrier('school-no-money', 60)]), 'teacher', c)).toEqual(['free', 'paid']);
  });

  it('no leader support: leader-led first, and a note to the leader on every suggestion', () => {
    const c = cat(measure('external', { ...TWO, ledBy: 'external' }), measure('leader-led'));
    expect(ids(group('teacher', needs2), 'teacher', c)).toEqual(['external', 'leader-led']);
    const r = matchMeasures(group('teacher', needs2, [barrier('no-leader-support', 55)]), 'teacher', c, []);
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['leader-led', 'external']);
    for (const s of r.suggestions) expect(s.reasons).toContainEqual({ kind: 'leaderNote', barrierId: 'barrier-no-leader-support', share: 55, n: 20 });
  });

  it('collective school-based beats a course for the same need, unless the need is individual (unqualified teachers)', () => {
    const c = cat(measure('a-study', { format: 'individual', runs: 'outside' }), measure('b-package'));
    const g = (key: string) => group(key, [theme('klasseledelse', 50)]);
    expect(ids(g('teacher'), 'teacher', c)).toEqual(['b-package', 'a-study']);
    const r = matchMeasures(g('unqualified_teacher'), 'unqualified_teacher', c, []);
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['a-study', 'b-package']); // equal score → by id
    expect(r.suggestions[0]!.reasons).toContainEqual({ kind: 'fit', aspect: 'individual_need' });
  });

  it('role fit: a role only gets measures aimed at it; the whole school weighs by how many roles a measure reaches', () => {
    const c = cat(measure('a-teachers-only', { ...TWO, targetRoles: ['teacher'] }), measure('b-everyone'));
    expect(ids(group('child_youth_worker', needs2), 'child_youth_worker', c)).toEqual(['b-everyone']);
    expect(ids(group('teacher', needs2), 'teacher', c)).toEqual(['a-teachers-only', 'b-everyone']);
    expect(ids(group('all', needs2), 'all', c)).toEqual(['b-everyone', 'a-teachers-only']);
  });

  it('open formats count half of the top need only, so a matching package wins', () => {
    const c = cat(measure('a-open', { themes: [], openThemes: true }), measure('b-package'));
    const r = matchMeasures(group('teacher', needs2), 'teacher', c, []);
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['b-package', 'a-open']);
    expect(r.suggestions[1]!.reasons.filter((x) => x.kind === 'need')).toHaveLength(1);
  });

  it('ties are broken by id, whatever the catalogue order, and the same input gives the same output', () => {
    const g = group('teacher', [theme('klasseledelse', 50)]);
    expect(ids(g, 'teacher', cat(measure('zeta'), measure('alpha'), measure('mid')))).toEqual(['alpha', 'mid', 'zeta']);
    expect(matchMeasures(g, 'teacher', cat(measure('zeta'), measure('alpha')), [])).toEqual(matchMeasures(g, 'teacher', cat(measure('alpha'), measure('zeta')), []));
  });

  it('weights a share by how many answered it (a 60 % of 6 counts less than a 50 % of 40)', () => {
    const c = cat(measure('a-small', { themes: ['elevsyn'] }), measure('b-large'));
    expect(ids(group('teacher', [theme('elevsyn', 60, 6), theme('klasseledelse', 50, 40)]), 'teacher', c)).toEqual(['b-large', 'a-small']);
  });
});

describe('anonymity: suppressed data never scores or appears in reasons', () => {
  /** Everything the result says about the group (not the catalogue entries themselves). */
  const visibleOutput = (r: ReturnType<typeof matchMeasures>) => JSON.stringify([r.highBarriers, r.pointers.map((p) => p.needs), r.suggestions.map((s) => [s.reasons, s.cautions, s.score])]);
  const c = cat(measure('a-hidden-theme', { themes: ['klasseledelse'] }), measure('b-visible', { themes: ['relasjonskompetanse'], pupilGroups: ['acting_out'] }), measure('c-course', { themes: ['relasjonskompetanse'], format: 'course', runs: 'outside', needsSubstitute: true }));

  it('hidden themes, need items and barrier items are ignored', () => {
    const g = group('child_youth_worker', [hiddenTheme('klasseledelse'), theme('relasjonskompetanse', 40)], [hiddenItem('need-acting-out', 'need', 'acting_out'), hiddenItem('barrier-no-cover', 'barrier')]);
    const r = matchMeasures(g, 'child_youth_worker', c, [], { limit: 50 });
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['b-visible', 'c-course']);
    expect(visibleOutput(r)).not.toMatch(/klasseledelse"|acting_out"|barrier-no-cover/);
    expect(r.highBarriers).toEqual([]);
    for (const s of r.suggestions) expect([s.cautions, s.score.barriers]).toEqual([[], 1]);
  });

  it('a hidden group gets no suggestions; through aggregate a small group and a thinly answered item stay out', () => {
    const items: PulseItem[] = [
      ['competence-relasjonskompetanse', 'competence', { themeId: 'relasjonskompetanse' }],
      ['importance-relasjonskompetanse', 'importance', { themeId: 'relasjonskompetanse' }],
      ['need-acting-out', 'need', { pupilGroup: 'acting_out' }],
      ['barrier-no-cover', 'barrier', { barrierCategory: 'facilitation' }],
    ].map(([id, kind, extra]) => ({ id: id as string, kind: kind as PulseItem['kind'], scale: SCALE_FOR_KIND[kind as PulseItem['kind']], text: L(id as string), labels: null, required: false, ...(extra as object) }));
    const rows: AnswerRow[] = [];
    const person = (key: string, role: string, answers: Record<string, number>) => {
      for (const [itemId, value] of Object.entries(answers)) rows.push({ personKey: key, itemId, value, staffRole: role, schoolLevel: null, schoolId: null });
    };
    for (let i = 0; i < 20; i++) person(`t${i}`, 'teacher', { 'competence-relasjonskompetanse': 4, 'importance-relasjonskompetanse': 4, 'barrier-no-cover': 2 });
    // 8 BUAs: 5 with a need on the theme; only 3 answer the pupil-group item (hidden: fewer than k).
    for (let i = 0; i < 8; i++) person(`b${i}`, 'child_youth_worker', { 'competence-relasjonskompetanse': i < 5 ? 1 : 4, 'importance-relasjonskompetanse': 5, 'barrier-no-cover': 2, ...(i < 3 ? { 'need-acting-out': 5 } : {}) });
    // Two groups of 3 (hidden as «færre enn k»), all agreeing strongly that no one can cover for them.
    for (const role of ['sfo_leader', 'special_support']) for (let i = 0; i < 3; i++) person(`${role}${i}`, role, { 'competence-relasjonskompetanse': 1, 'importance-relasjonskompetanse': 5, 'need-acting-out': 5, 'barrier-no-cover': 5 });
    const groups = aggregate(rows, items, 'staffRole', 5);
    const sfo = groups.find((g) => g.key === 'sfo_leader')!;
    const bua = groups.find((g) => g.key === 'child_youth_worker')!;
    expect([sfo.suppressed, bua.suppressed]).toEqual([true, false]);
    expect(bua.items.find((i) => i.itemId === 'need-acting-out')!.suppressed).toBe(true);
    expect(matchMeasures(sfo, 'sfo_leader', c, [])).toEqual({ status: 'group_hidden', groupKey: 'sfo_leader', suggestions: [], pointers: [], highBarriers: [] });
    const r = matchMeasures(bua, 'child_youth_worker', c, items, { limit: 50 });
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['b-visible', 'c-course']);
    expect(visibleOutput(r)).not.toMatch(/acting_out"|barrier-no-cover/);
    expect(r.suggestions[0]!.reasons[0]).toEqual({ kind: 'need', source: 'theme', themeId: 'relasjonskompetanse', share: 63, n: 8 });
  });

  it('a group with nothing visible to act on gets no suggestions', () => {
    expect(matchMeasures(group('teacher', [theme('klasseledelse', 0)]), 'teacher', c, []).status).toBe('no_needs');
  });
});

describe('explanation text in bokmål, nynorsk and English', () => {
  const c = cat(measure('pakke', { pupilGroups: ['acting_out'], themes: ['relasjonskompetanse'] }), measure('kurs', { themes: ['relasjonskompetanse'], format: 'course', runs: 'outside', needsSubstitute: true, cost: 'paid', uncertain: ['cost'] }));
  const g = group('child_youth_worker', [theme('relasjonskompetanse', 35)], [need('acting_out', 58, 24), barrier('no-cover', 61, 24), barrier('no-leader-support', 44, 24)]);
  const r = matchMeasures(g, 'child_youth_worker', c, [], { limit: 50 });
  const ctx = (lang: (typeof LANGUAGES)[number]) => ({ lang, t: translator(lang), items: [] });

  it('words the strongest need and barrier as one sentence', () => {
    expect(r.suggestions.map((s) => s.measure.id)).toEqual(['pakke', 'kurs']);
    const [nb, nn, en] = LANGUAGES.map((lang) => explainSuggestion(r.suggestions[0]!, 'child_youth_worker', ctx(lang)).summary);
    expect(nb).toBe('Fordi 58 % av barne- og ungdomsarbeiderne oppgir stort behov for mer kompetanse om elever med utagerende eller truende atferd, og 61 % sier at mangel på vikar hindrer dem.');
    expect(nn).toBe('Fordi 58 % av barne- og ungdomsarbeidarane oppgir stort behov for meir kompetanse om elevar med utagerande eller trugande åtferd, og 61 % seier at mangel på vikar hindrar dei.');
    expect(en).toBe('Because 58 % of the child and youth workers say they greatly need more competence for working with pupils with acting-out or threatening behaviour, and 61 % say having no one to cover for them stops them.');
  });

  it('gives one line per reason (theme titles from the bank), a leader note, cautions, facts and what is uncertain', () => {
    const nb = explainSuggestion(r.suggestions[1]!, 'child_youth_worker', ctx('nb'));
    expect(nb.lines[0]).toBe('35 % av barne- og ungdomsarbeiderne har lav kompetanse og stort utviklingsbehov i «Relasjonskompetanse» (20 svar).');
    expect(nb.lines).toContain('Til deg som leder: 44 % av barne- og ungdomsarbeiderne sier at manglende støtte fra skolelederen hindrer dem. Vis at dette er prioritert, og sett av tid til det.');
    expect(nb.cautions).toEqual(['Merk: 61 % sier at mangel på vikar hindrer dem, og dette tiltaket tar folk bort fra jobben eller krever vikar.']);
    expect(nb.facts).toBe('kurs · utenfor fellestiden · koster penger · krever vikar');
    expect(nb.uncertain).toBe('Ikke bekreftet i kildene: kostnad.');
    for (const lang of LANGUAGES) {
      for (const s of r.suggestions) {
        const text = explainSuggestion(s, 'child_youth_worker', ctx(lang));
        expect(JSON.stringify(text)).not.toMatch(/[{}]\w|measures\./);
        expect(text.title).toBe(s.measure.name[lang]);
      }
    }
  });

  it('words a pointer to the national resources for a theme with no package', () => {
    const p = matchMeasures(group('all', [theme('negativ-sosial-kontroll', 48)]), 'all', loadCatalogue(), []).pointers[0]!;
    const nb = explainPointer(p, 'all', ctx('nb'));
    expect(nb.text).toMatch(/^48 % av alle ansatte har lav kompetanse og stort utviklingsbehov i «Negativ sosial kontroll»\. Det finnes ingen kompetansepakke fra Udir/);
    expect(nb.text).toMatch(/Kompetanseteamet/);
    expect(explainPointer(p, 'all', ctx('en')).text).toMatch(/Udir has no competence package on “Negative social control”/);
    expect(nb.links.every((l) => l.url.startsWith('https://'))).toBe(true);
  });
});
