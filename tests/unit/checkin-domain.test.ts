import { describe, expect, it } from 'vitest';
import { decideAcceptance, parseTextAnswer, validateAnswers } from '../../src/domain/answer-validation.ts';
import { parseProfileSubmission, shouldOfferProfile } from '../../src/domain/profile.ts';
import { buildPulseContent, itemsForPerson, type PulseItem } from '../../src/domain/pulse-content.ts';
import { acceptsAnswers, InvalidTransitionError, transition } from '../../src/domain/pulse-lifecycle.ts';
import { closesAtFor, findTemplate, parseStartCommand, parseStartForm, selectRecipients } from '../../src/domain/pulse-start.ts';
import { parseRoleCommand } from '../../src/domain/role-command.ts';
import { canStartPulseFor, schoolOf, unitsInScope, type UnitNode } from '../../src/domain/unit-scope.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';

const text = { nb: 'x', nn: 'x', en: 'x' };
const labels = [1, 2, 3, 4, 5].map(() => text);
const scaleItem = (id: string, over: Partial<PulseItem> = {}): PulseItem => ({ id, kind: 'competence', scale: 'competence', text, labels, required: true, ...over });
const comment: PulseItem = { id: 'comment', kind: 'comment', scale: null, text, labels: null, required: false, maxLength: 1000 };
const items = [scaleItem('a'), scaleItem('b'), comment];

describe('validateAnswers', () => {
  it('accepts 1–5 for every required item and an optional comment', () => {
    expect(validateAnswers(items, { a: '1', b: 5, comment: '  hei  ' })).toEqual({
      ok: true,
      answers: [
        { itemId: 'a', value: 1, comment: null },
        { itemId: 'b', value: 5, comment: null },
        { itemId: 'comment', value: null, comment: 'hei' },
      ],
    });
  });
  it('reports every problem at once, per item', () => {
    const r = validateAnswers(items, { a: '', b: '6', comment: 'x'.repeat(1001) });
    expect(r).toEqual({ ok: false, problems: [{ itemId: 'a', code: 'missing' }, { itemId: 'b', code: 'outOfRange' }, { itemId: 'comment', code: 'tooLong' }] });
    expect(validateAnswers(items, { a: '3.5', b: '0' })).toEqual({ ok: false, problems: [{ itemId: 'a', code: 'notANumber' }, { itemId: 'b', code: 'outOfRange' }] });
    expect(validateAnswers(items, { a: { evil: true }, b: '2' })).toMatchObject({ ok: false, problems: [{ itemId: 'a', code: 'missing' }] });
  });
  it('skips an empty optional item and ignores keys that are not items', () => {
    const r = validateAnswers([scaleItem('a', { required: false }), scaleItem('b')], { b: '2', injected: '5' });
    expect(r).toEqual({ ok: true, answers: [{ itemId: 'b', value: 2, comment: null }] });
  });
});

describe('decideAcceptance', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const open = { status: 'open' as const, closesAt: new Date('2026-11-23T12:00:00Z') };
  it('accepts only recipients of an open pulse before it closes', () => {
    expect(decideAcceptance(open, true, now)).toBe('accept');
    expect(decideAcceptance(open, false, now)).toBe('notRecipient');
    expect(decideAcceptance({ ...open, closesAt: now }, true, now)).toBe('closed');
    expect(decideAcceptance({ ...open, status: 'closed' }, true, now)).toBe('closed');
    expect(decideAcceptance({ ...open, status: 'scheduled' }, true, now)).toBe('notOpenYet');
    expect(decideAcceptance({ ...open, status: 'cancelled' }, true, now)).toBe('cancelled');
  });
});

describe('parseTextAnswer', () => {
  it('maps one number per scale question in card order, the rest to the comment', () => {
    expect(parseTextAnswer('svar 4 5', items)).toEqual({ ok: true, input: { a: '4', b: '5' } });
    expect(parseTextAnswer('Answer: 4,5 mer tid,  takk', items)).toEqual({ ok: true, input: { a: '4', b: '5', comment: 'mer tid,  takk' } });
  });
  it('says how many numbers were expected', () => {
    expect(parseTextAnswer('svar 4', items)).toMatchObject({ ok: false, code: 'tooFew', expected: 2, got: 1 });
    expect(parseTextAnswer('svar 4 5 3', items)).toMatchObject({ ok: false, code: 'tooMany', expected: 2, got: 3 });
    expect(parseTextAnswer('svar', items)).toMatchObject({ ok: false, code: 'noNumbers' });
    expect(parseTextAnswer('svar fire fem', items)).toMatchObject({ ok: false, code: 'notANumber' });
    expect(parseTextAnswer('svar 4 5 hei', [scaleItem('a'), scaleItem('b')])).toMatchObject({ ok: false, code: 'tooMany' });
  });
  it('leaves range checks to validateAnswers (same rules as the card)', () => {
    const parsed = parseTextAnswer('svar 9 0', items);
    expect(parsed.ok && validateAnswers(items, parsed.input)).toMatchObject({ ok: false, problems: [{ code: 'outOfRange' }, { code: 'outOfRange' }] });
  });
});

describe('pulse content', () => {
  const bank = loadQuestionBank();
  it('snapshots the template with scale labels and caps comments at 1000 characters', () => {
    const content = buildPulseContent(bank, 'laringsmiljo-1');
    expect(content.bankVersion).toBe(bank.version);
    expect(content.items.filter((i) => i.scale)).toHaveLength(6);
    expect(content.items.every((i) => i.scale === null || i.labels?.length === 5)).toBe(true);
    expect(content.items.find((i) => i.kind === 'comment')!.maxLength).toBeLessThanOrEqual(1000);
  });
  it('asks need items only for the pupil groups a person works with', () => {
    const content = buildPulseContent(bank, 'elevgrupper-1');
    const needs = content.items.filter((i) => i.kind === 'need');
    const one = needs[0]!.pupilGroup!;
    expect(itemsForPerson(content, [one]).filter((i) => i.kind === 'need').map((i) => i.pupilGroup)).toEqual([one]);
    expect(itemsForPerson(content, [])).toEqual([]);
  });
});

describe('pulse lifecycle', () => {
  it('allows only the documented transitions', () => {
    expect(transition('draft', 'open')).toBe('open');
    expect(transition('scheduled', 'open')).toBe('open');
    expect(transition('open', 'close')).toBe('closed');
    expect(transition('closed', 'publish')).toBe('published');
    expect(transition('open', 'cancel')).toBe('cancelled');
    expect(() => transition('closed', 'open')).toThrow(InvalidTransitionError);
    expect(() => transition('published', 'cancel')).toThrow(InvalidTransitionError);
  });
  it('an open pulse past its window accepts nothing', () => {
    expect(acceptsAnswers({ status: 'open', closesAt: new Date(1000) }, new Date(999))).toBe(true);
    expect(acceptsAnswers({ status: 'open', closesAt: new Date(1000) }, new Date(1000))).toBe(false);
  });
});

describe('profile', () => {
  it('validates role, level, pupil groups and language from card strings', () => {
    expect(parseProfileSubmission({ staffRole: 'school_assistant', schoolLevel: '', pupilGroups: 'bullied,acting_out,bullied', language: 'nn' })).toEqual({
      ok: true,
      profile: { staffRole: 'school_assistant', schoolLevel: null, pupilGroups: ['bullied', 'acting_out'], language: 'nn' },
    });
    expect(parseProfileSubmission({})).toEqual({ ok: false, problems: ['staffRole.missing'] });
    expect(parseProfileSubmission({ staffRole: 'pilot', schoolLevel: 'x', pupilGroups: 'aliens', language: 'sv' })).toEqual({
      ok: false,
      problems: ['staffRole.invalid', 'schoolLevel.invalid', 'pupilGroups.invalid', 'language.invalid'],
    });
  });
  it('offers the profile card once', () => {
    expect(shouldOfferProfile({ profileSavedAt: null, profilePromptedAt: null })).toBe(true);
    expect(shouldOfferProfile({ profileSavedAt: null, profilePromptedAt: new Date() })).toBe(false);
    expect(shouldOfferProfile({ profileSavedAt: new Date(), profilePromptedAt: null })).toBe(false);
  });
});

describe('unit scope', () => {
  const units: UnitNode[] = [
    { id: 'root', parentId: null, kind: 'organisation', name: 'Kommunen' },
    { id: 'nordby', parentId: 'root', kind: 'school', name: 'Nordby skole' },
    { id: 'nordby-team', parentId: 'nordby', kind: 'team', name: 'Nordby – alle' },
    { id: 'sørby', parentId: 'root', kind: 'school', name: 'Sørby skole' },
  ];
  it('a role on a unit covers the units below it, not its siblings', () => {
    const grants = [{ unitId: 'nordby', role: 'leader' as const }];
    expect(unitsInScope(units, grants, ['leader']).map((u) => u.id)).toEqual(['nordby', 'nordby-team']);
    expect(canStartPulseFor(units, grants, 'nordby-team')).toBe(true);
    expect(canStartPulseFor(units, grants, 'sørby')).toBe(false);
    expect(canStartPulseFor(units, [{ unitId: 'root', role: 'admin' }], 'nordby')).toBe(false);
    expect(canStartPulseFor(units, [{ unitId: 'root', role: 'coordinator' }], 'sørby')).toBe(true);
  });
  it('finds the school of a team', () => {
    expect(schoolOf(units, 'nordby-team')?.id).toBe('nordby');
    expect(schoolOf(units, 'root')).toBeNull();
  });
});

describe('starting a pulse', () => {
  it('parses the command and finds templates by id or title', () => {
    expect(parseStartCommand('start puls')).toEqual({ templateQuery: null });
    expect(parseStartCommand('Start pulse Hindringer')).toEqual({ templateQuery: 'Hindringer' });
    expect(parseStartCommand('start')).toBeNull();
    const templates = [{ id: 'laringsmiljo-1', titles: ['Læringsmiljø – behov'] }, { id: 'hindringer-tilbud', titles: ['Hindringer – tilbud'] }];
    expect(findTemplate(templates, 'laringsmiljo-1')?.id).toBe('laringsmiljo-1');
    expect(findTemplate(templates, 'hindringer')?.id).toBe('hindringer-tilbud');
    expect(findTemplate(templates, 'ukjent')).toBeNull();
  });
  it('validates the form against known templates, units, roles and windows', () => {
    const known = { templateIds: ['t'], unitIds: ['u'] };
    expect(parseStartForm({ templateId: 't', unitId: 'u', roles: 'teacher,school_assistant', window: '2h' }, known)).toEqual({ templateId: 't', unitId: 'u', roleFilter: ['teacher', 'school_assistant'], window: '2h' });
    expect(parseStartForm({ templateId: 't', unitId: 'other' }, known)).toBeNull();
    expect(parseStartForm({ templateId: 't', unitId: 'u', roles: 'king' }, known)).toBeNull();
    expect(parseStartForm({ templateId: 't', unitId: 'u', window: '1y' }, known)).toBeNull();
  });
  it('filters recipients by staff role and computes the closing time', () => {
    const people = [{ staffRole: 'teacher' as const }, { staffRole: null }, { staffRole: 'school_assistant' as const }];
    expect(selectRecipients(people, []).included).toHaveLength(3);
    expect(selectRecipients(people, ['school_assistant'])).toEqual({ included: [people[2]], excluded: [people[0], people[1]] });
    expect(closesAtFor('2h', new Date('2026-11-25T13:00:00Z')).toISOString()).toBe('2026-11-25T15:00:00.000Z');
  });
});

describe('role command', () => {
  it('parses grant and revoke in Norwegian and English', () => {
    expect(parseRoleCommand('rolle kari@skole.no leder Nordby skole')).toEqual({ revoke: false, who: { email: 'kari@skole.no' }, role: 'leader', unitName: 'Nordby skole' });
    expect(parseRoleCommand('fjern rolle meg admin')).toEqual({ revoke: true, who: { self: true }, role: 'admin', unitName: null });
    expect(parseRoleCommand('role me coordinator')).toMatchObject({ role: 'coordinator', who: { self: true } });
    expect(parseRoleCommand('rolle kari leder')).toBeNull();
    expect(parseRoleCommand('rolle meg konge')).toBeNull();
  });
});
