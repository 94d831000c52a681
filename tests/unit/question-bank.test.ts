import { describe, expect, it } from 'vitest';
import rawBank from '../../src/question-bank/bank.nb-nn-en.json' with { type: 'json' };
import { expandTemplate, loadQuestionBank, parseQuestionBank, themeItemId } from '../../src/question-bank/load-question-bank.ts';
import {
  BARRIER_CATEGORIES,
  LANGUAGES,
  MAX_QUESTIONS_PER_TEMPLATE,
  PUPIL_GROUPS,
  isAnswerable,
  validateQuestionBank,
  type LocalizedText,
  type QuestionBank,
} from '../../src/question-bank/schema.ts';

const bank = loadQuestionBank();
/** A mutable copy for the negative cases; the loaded bank is frozen. */
const copy = (): QuestionBank => structuredClone(bank) as QuestionBank;
const SNELD_AREAS = ['digital-kompetanse', 'skole-og-klasseledelse', 'sosial-emosjonell-kompetanse', 'dybdelaring', 'tilpasset-opplaering-vurdering'];

function allTexts(b: QuestionBank): LocalizedText[] {
  return [
    b.themeItemStems.competence,
    b.themeItemStems.importance,
    ...b.scales.flatMap((s) => s.labels),
    ...b.areas.map((a) => a.title),
    ...b.themes.map((t) => t.title),
    ...b.items.map((i) => i.text),
    ...b.templates.flatMap((t) => [t.title, t.purpose]),
  ];
}

describe('the shipped question bank', () => {
  it('parses and passes every cross-check', () => {
    expect(bank.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(validateQuestionBank(bank)).toEqual([]);
  });

  it('has the Rambøll themes, SNELD areas with 2–4 sub-themes, and the NIFU work themes', () => {
    const themesIn = (areaId: string) => bank.themes.filter((t) => t.areaId === areaId);
    expect(themesIn('laringsmiljo')).toHaveLength(8);
    for (const area of SNELD_AREAS) {
      expect(themesIn(area).length, area).toBeGreaterThanOrEqual(2);
      expect(themesIn(area).length, area).toBeLessThanOrEqual(4);
    }
    expect(themesIn('skolemiljoarbeid')).toHaveLength(8);
    expect(bank.themes).toHaveLength(31);
  });

  it('asks every theme as a competence + importance pair', () => {
    for (const theme of bank.themes) {
      const pair = bank.items.filter((i) => i.themeId === theme.id).map((i) => i.kind).sort();
      expect(pair, theme.id).toEqual(['competence', 'importance']);
    }
    const competence = bank.items.find((i) => i.id === themeItemId('competence', 'elevsyn'));
    expect(competence?.text.nb).toBe(`Elevsyn: ${bank.themeItemStems.competence.nb}`);
    expect(competence?.scale).toBe('competence');
  });

  it('counts items per kind as in the sources', () => {
    const count = (kind: string) => bank.items.filter((i) => i.kind === kind).length;
    expect(count('competence')).toBe(31);
    expect(count('importance')).toBe(31);
    expect(count('need')).toBe(7);
    expect(count('barrier')).toBe(15);
    expect(count('organisation')).toBe(3);
    expect(count('checkback')).toBe(2);
    expect(count('comment')).toBe(1);
  });

  it('has one need item per NIFU pupil group and the barrier battery in its three categories', () => {
    const groups = bank.items.filter((i) => i.kind === 'need').map((i) => i.pupilGroup);
    expect([...groups].sort()).toEqual([...PUPIL_GROUPS].sort());
    const perCategory = Object.fromEntries(
      BARRIER_CATEGORIES.map((c) => [c, bank.items.filter((i) => i.kind === 'barrier' && i.barrierCategory === c).length]),
    );
    expect(perCategory).toEqual({ practical: 8, offer: 3, facilitation: 4 });
  });

  it('has every text non-empty in nb, nn and en, and every scale point labelled', () => {
    const texts = allTexts(bank);
    for (const lang of LANGUAGES) {
      const filled = texts.filter((t) => t[lang].trim().length > 0).length;
      expect(filled, lang).toBe(texts.length);
    }
    for (const scale of bank.scales) expect(scale.labels, scale.id).toHaveLength(5);
  });

  it('has nynorsk that is not bokmål copied (most items differ)', () => {
    const differing = bank.items.filter((i) => i.text.nn !== i.text.nb).length;
    expect(differing / bank.items.length).toBeGreaterThan(0.9);
    const templateTexts = bank.templates.map((t) => t.purpose);
    expect(templateTexts.filter((t) => t.nn !== t.nb).length / templateTexts.length).toBeGreaterThan(0.9);
  });

  it(`keeps every template to at most ${MAX_QUESTIONS_PER_TEMPLATE} questions`, () => {
    for (const template of bank.templates) {
      const questions = expandTemplate(bank, template.id).filter(isAnswerable);
      expect(questions.length, template.id).toBeGreaterThan(0);
      expect(questions.length, template.id).toBeLessThanOrEqual(MAX_QUESTIONS_PER_TEMPLATE);
    }
  });

  it('words every template intro so it fits everyone it is sent to, whatever their school level', () => {
    // A pulse goes to a whole school or kommune; «Ansatte i videregående meldte …» read oddly at a barneskole (issue 14).
    const levelWords = /videregående|vidaregåande|upper secondary|barnetrinn|ungdomstrinn|ungdomssteget|barnesteget|primary|lower secondary/i;
    for (const template of bank.templates) for (const lang of ['nb', 'nn', 'en'] as const) expect(template.purpose[lang], `${template.id} ${lang}`).not.toMatch(levelWords);
  });

  it('puts every competence theme in at least one template, and every data item too', () => {
    const listed = new Set(bank.templates.flatMap((t) => t.itemIds));
    for (const theme of bank.themes) {
      expect(listed.has(themeItemId('competence', theme.id)), theme.id).toBe(true);
      expect(listed.has(themeItemId('importance', theme.id)), theme.id).toBe(true);
    }
    for (const item of bank.items) expect(listed.has(item.id), item.id).toBe(true);
  });

  it('names a seed file as source everywhere', () => {
    const sources = [...bank.areas, ...bank.themes, ...bank.items, ...bank.templates].map((x) => x.source);
    for (const source of sources) expect(source).toMatch(/^\d{3}_[0-9a-f]{16}\.txt$/);
  });
});

describe('validateQuestionBank', () => {
  it('rejects duplicate ids', () => {
    const b = copy();
    b.items.push({ ...b.items.find((i) => i.id === 'need-bullied')! });
    expect(validateQuestionBank(b)).toContainEqual(expect.stringContaining('duplicate id "need-bullied"'));
  });

  it('rejects a template with 7 questions', () => {
    const b = copy();
    const template = b.templates.find((t) => t.id === 'hindringer-praktiske')!;
    template.itemIds = [...template.itemIds, 'barrier-language'];
    expect(validateQuestionBank(b)).toContainEqual('template "hindringer-praktiske": 7 questions (max 6)');
  });

  it('does not count the optional comment towards the limit', () => {
    const b = copy();
    const template = b.templates.find((t) => t.id === 'hindringer-praktiske')!;
    expect(template.itemIds.filter((id) => id !== 'comment')).toHaveLength(6);
    expect(template.itemIds).toContain('comment');
    expect(validateQuestionBank(b)).toEqual([]);
  });

  it('rejects an unknown item id in a template', () => {
    const b = copy();
    b.templates[0]!.itemIds = [...b.templates[0]!.itemIds.slice(0, 2), 'no-such-item'];
    expect(validateQuestionBank(b)).toContainEqual(`template "${b.templates[0]!.id}": unknown item "no-such-item"`);
  });

  it('rejects kind-specific fields that are missing or misplaced', () => {
    const b = copy();
    const need = b.items.find((i) => i.id === 'need-bullied')!;
    delete need.pupilGroup;
    const barrier = b.items.find((i) => i.id === 'barrier-no-cover')!;
    delete barrier.barrierCategory;
    const org = b.items.find((i) => i.id === 'org-role-clarified')!;
    org.themeId = 'elevsyn';
    org.scale = 'agree';
    const competence = b.items.find((i) => i.kind === 'competence')!;
    competence.themeId = 'no-such-theme';
    expect(validateQuestionBank(b)).toEqual(
      expect.arrayContaining([
        'item "need-bullied": need items need a pupilGroup',
        'item "barrier-no-cover": barrier items need a barrierCategory',
        'item "org-role-clarified": only competence/importance items have a themeId',
        'item "org-role-clarified": organisation items use the "degree" scale, not "agree"',
        `item "${competence.id}": unknown theme "no-such-theme"`,
      ]),
    );
  });
});

describe('parseQuestionBank', () => {
  const raw = (): Record<string, unknown> & { items: Array<{ text: Partial<LocalizedText> }> } => structuredClone(rawBank) as never;

  it('accepts the shipped JSON', () => {
    expect(parseQuestionBank(raw()).items).toHaveLength(bank.items.length);
  });

  it('rejects a missing nynorsk text and says where', () => {
    const data = raw();
    delete data.items[0]!.text.nn;
    expect(() => parseQuestionBank(data)).toThrow(/items\.0\.text\.nn/);
  });

  it('rejects blank or untrimmed text', () => {
    const data = raw();
    data.items[0]!.text.en = '   ';
    data.items[1]!.text.nb = ' Ledende mellomrom';
    expect(() => parseQuestionBank(data)).toThrow(/items\.0\.text\.en[\s\S]*items\.1\.text\.nb/);
  });

  it('lists every cross-check problem in one error', () => {
    const data = raw() as unknown as QuestionBank;
    data.templates[0]!.itemIds = ['nope-1', 'nope-2'];
    expect(() => parseQuestionBank(data)).toThrow(/unknown item "nope-1"[\s\S]*unknown item "nope-2"/);
  });
});

describe('expandTemplate', () => {
  const ids = (items: { id: string }[]) => items.map((i) => i.id);

  it('returns the template items in order', () => {
    expect(ids(expandTemplate(bank, 'organisering'))).toEqual(['org-competence-plan', 'org-role-clarified', 'org-joint-development', 'comment']);
  });

  it('asks need items only for the pupil groups the person works with', () => {
    expect(ids(expandTemplate(bank, 'elevgrupper-1', { pupilGroups: ['bullied', 'high_absence', 'acting_out'] }))).toEqual([
      'need-high-absence',
      'need-bullied',
      'comment',
    ]);
  });

  it('drops need items (and the whole pulse) when the person works with no group', () => {
    expect(expandTemplate(bank, 'elevgrupper-2', { pupilGroups: [] })).toEqual([]);
  });

  it('keeps every need item when no pupil groups are given (preview)', () => {
    expect(ids(expandTemplate(bank, 'elevgrupper-2'))).toEqual(['need-mental-health', 'need-acting-out', 'need-special-needs', 'comment']);
  });

  it('does not filter other kinds by pupil group', () => {
    expect(expandTemplate(bank, 'laringsmiljo-1', { pupilGroups: [] })).toHaveLength(7);
  });

  it('throws on an unknown template', () => {
    expect(() => expandTemplate(bank, 'no-such-template')).toThrow(/Unknown question template/);
  });
});
