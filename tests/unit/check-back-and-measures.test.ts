import { describe, expect, it } from 'vitest';
import type { GroupResult } from '../../src/domain/aggregate-results.ts';
import { CHECK_BACK_PATTERN, checkBackTargets, parseCheckBackForm } from '../../src/domain/check-back.ts';
import { ancestorsOf, followUpAction, nearestLeaders, parseFollowUpForm, type MeasureDueInput } from '../../src/domain/measure-due.ts';
import { EFFECT_PATTERN, effectState, measureEffect, shareInterval95 } from '../../src/domain/measure-effect.ts';
import { RESULTS_PATTERN } from '../../src/domain/results-query.ts';
import type { UnitNode } from '../../src/domain/unit-scope.ts';
import { makeItem } from '../helpers/pulse-items.ts';

const A = '3f0a9c2e-1d4b-4c8e-9a7f-2b6c5d4e3f21';
const B = '9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e';

describe('check-back decisions', () => {
  it('understands the command in nb/nn/en, and the results pattern does not swallow it', () => {
    for (const text of ['sjekk tilbake', 'Sjekk  tilbake', 'tilbakemelding', 'check back', 'check-back']) {
      expect(CHECK_BACK_PATTERN.test(text), text).toBe(true);
      expect(RESULTS_PATTERN.test(text), text).toBe(false);
    }
    expect(CHECK_BACK_PATTERN.test('resultater')).toBe(false);
  });

  it('accepts only what our card sends: pulse ids and a known answer window (default one week)', () => {
    expect(parseCheckBackForm({ pulseIds: `${A},${B.toUpperCase()},${A}`, window: '2h' })).toEqual({ pulseIds: [A, B], window: '2h' });
    expect(parseCheckBackForm({ pulseIds: A })).toEqual({ pulseIds: [A], window: '1w' });
    expect(parseCheckBackForm({ pulseIds: `${A},x`, window: '1w' })).toBeNull();
    expect(parseCheckBackForm({ pulseIds: A, window: '1y' })).toBeNull();
    expect(parseCheckBackForm({ pulseIds: [A] })).toBeNull();
    expect(parseCheckBackForm(null)).toBeNull();
  });

  it('asks about each pulse once, never about a check-back, and only in the actor’s units', () => {
    const round = [
      { id: 'p1', unitId: 'nordby', checkBackOfId: null, checkBackId: null },
      { id: 'p2', unitId: 'sorby', checkBackOfId: null, checkBackId: null },
      { id: 'p3', unitId: 'nordby', checkBackOfId: null, checkBackId: 'cb3' },
      { id: 'cb9', unitId: 'nordby', checkBackOfId: 'p9', checkBackId: null },
    ];
    expect(checkBackTargets(round, (u) => u === 'nordby')).toEqual({ ask: ['p1'], already: ['p3'], origins: ['p9'] });
    expect(checkBackTargets(round, () => false)).toEqual({ ask: [], already: [], origins: [] });
  });
});

describe('when a measure is due', () => {
  const m = (over: Partial<MeasureDueInput> = {}): MeasureDueInput => ({ status: 'running', evaluateOn: new Date('2031-03-01'), hasBase: true, followUp: 'none', proposed: false, ...over });

  it('proposes on or after the evaluation date, once, and only with a base round to repeat', () => {
    expect(followUpAction(m(), '2031-02-28')).toBe('none');
    expect(followUpAction(m(), '2031-03-01')).toBe('propose');
    expect(followUpAction(m(), '2031-09-01')).toBe('propose');
    expect(followUpAction(m({ proposed: true }), '2031-03-01')).toBe('none');
    expect(followUpAction(m({ hasBase: false }), '2031-03-01')).toBe('none');
    expect(followUpAction(m({ followUp: 'open' }), '2031-03-01')).toBe('none');
    expect(followUpAction(m({ status: 'evaluated' }), '2031-03-01')).toBe('none');
    expect(followUpAction(m({ status: 'cancelled', followUp: 'closed' }), '2031-03-01')).toBe('none');
  });

  it('marks a running measure evaluated once its follow-up has closed, whatever the date', () => {
    expect(followUpAction(m({ followUp: 'closed', proposed: true }), '2031-01-01')).toBe('markEvaluated');
  });

  it('asks the nearest leaders: the school’s own, not the municipality’s', () => {
    const units: UnitNode[] = [
      { id: 'root', parentId: null, kind: 'organisation', name: 'Kommune' },
      { id: 'school', parentId: 'root', kind: 'school', name: 'Nordby' },
      { id: 'team', parentId: 'school', kind: 'team', name: '5A' },
    ];
    const grants = [
      { personId: 'rita', unitId: 'school' },
      { personId: 'sjef', unitId: 'root' },
    ];
    expect(ancestorsOf(units, 'team')).toEqual(['team', 'school', 'root']);
    expect(nearestLeaders(units, 'team', grants)).toEqual(['rita']);
    expect(nearestLeaders(units, 'team', [grants[1]!])).toEqual(['sjef']);
    expect(nearestLeaders(units, 'team', [])).toEqual([]);
  });

  it('accepts only a measure id and a known window from the button', () => {
    expect(parseFollowUpForm({ measureId: A.toUpperCase(), window: '2w' })).toEqual({ measureId: A, window: '2w' });
    expect(parseFollowUpForm({ measureId: A })).toEqual({ measureId: A, window: '1w' });
    expect(parseFollowUpForm({ measureId: 'x' })).toBeNull();
    expect(parseFollowUpForm({ measureId: A, window: '5d' })).toBeNull();
  });
});

describe('the effect of a measure', () => {
  const items = [makeItem('competence-dk', 'competence', { themeId: 'dk' }), makeItem('importance-dk', 'importance', { themeId: 'dk' }), makeItem('need-x', 'need', { pupilGroup: 'bullied' })];
  const group = (shareNeed: number, n: number, distribution: [number, number, number, number, number]): GroupResult => ({
    key: 'teacher',
    suppressed: false,
    reason: null,
    respondents: n,
    themes: [{ themeId: 'dk', suppressed: false, reason: null, n, gap: 1, shareNeed }],
    items: [{ itemId: 'need-x', kind: 'need', pupilGroup: 'bullied', suppressed: false, reason: null, n: distribution.reduce((a, b) => a + b, 0), mean: 3, distribution, shareHigh: 0, shareLow: 0 }],
  });
  const hidden: GroupResult = { key: 'teacher', suppressed: true, reason: 'small', respondents: null, items: [], themes: [] };

  it('understands the command in nb/nn/en, and neither results nor trend patterns take it', () => {
    for (const text of ['effekt av tiltak', 'Effekten av tiltaka', 'effekt', 'measure effect', 'effect', 'effects of measures']) {
      expect(EFFECT_PATTERN.test(text), text).toBe(true);
      expect(RESULTS_PATTERN.test(text), text).toBe(false);
    }
  });

  it('the share interval is Agresti–Caffo, rounded outwards, and agrees with the verdict', () => {
    // p1 = 11/15, p2 = 3/14: centre −0.519, half-width 0.310.
    expect(shareInterval95(10, 13, 2, 12)).toEqual({ low: -83, high: -20 });
    expect(shareInterval95(4, 7, 3, 6)).toEqual({ low: -54, high: 42 });
  });

  it('compares themes and items the base asked; reduced need is «improved», noise is noise', () => {
    const effect = measureEffect({ before: group(77, 13, [1, 1, 1, 4, 6]), after: group(17, 12, [6, 4, 1, 1, 0]), themeIds: ['dk', 'not-asked'], itemIds: ['need-x'], items, k: 5 });
    expect(effect.status).toBe('ok');
    expect(effect.lines.map((l) => [l.kind, l.id, l.result.verdict])).toEqual([
      ['theme', 'dk', 'improved'],
      ['item', 'need-x', 'improved'],
    ]);
    expect(effect.lines[0]!.shareInterval).toEqual({ low: -83, high: -20 });
    const noise = measureEffect({ before: group(57, 7, [2, 2, 0, 1, 2]), after: group(50, 6, [2, 1, 0, 1, 2]), themeIds: ['dk'], itemIds: [], items, k: 5 });
    expect(noise.lines[0]!.result.verdict).toBe('within_noise');
  });

  it('says «too small» for a hidden group or a theme under k, and «not asked» when the base never asked', () => {
    expect(measureEffect({ before: hidden, after: group(17, 12, [6, 4, 1, 1, 0]), themeIds: ['dk'], itemIds: [], items, k: 5 })).toEqual({ status: 'group_too_small', lines: [] });
    expect(measureEffect({ before: undefined, after: undefined, themeIds: ['dk'], itemIds: [], items, k: 5 }).status).toBe('group_too_small');
    const small = measureEffect({ before: group(50, 4, [1, 1, 0, 1, 1]), after: group(17, 12, [6, 4, 1, 1, 0]), themeIds: ['dk'], itemIds: [], items, k: 5 });
    expect(small.lines[0]).toMatchObject({ result: { verdict: 'too_small' }, shareInterval: null });
    expect(measureEffect({ before: group(1, 9, [1, 1, 1, 1, 1]), after: group(1, 9, [1, 1, 1, 1, 1]), themeIds: ['other'], itemIds: ['nope'], items, k: 5 }).status).toBe('not_asked');
  });

  it('knows where an evaluation stands', () => {
    expect(effectState({ hasBase: false, followUp: 'closed' })).toBe('noBase');
    expect(effectState({ hasBase: true, followUp: 'none' })).toBe('waiting');
    expect(effectState({ hasBase: true, followUp: 'open' })).toBe('followUpOpen');
    expect(effectState({ hasBase: true, followUp: 'closed' })).toBe('ready');
  });
});
