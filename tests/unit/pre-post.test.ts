import { describe, expect, it } from 'vitest';
import type { GroupResult, ItemResult, ThemeGap } from '../../src/domain/aggregate-results.ts';
import { POLARITY_BY_KIND, prePost, prePostForItem, prePostForTheme, tQuantile975, welchInterval } from '../../src/domain/pre-post.ts';

const need = { k: 5, polarity: 'higher_is_more_need' } as const;

describe('tQuantile975 (two-sided 95 % critical value of Student’s t)', () => {
  it('matches the tables', () => {
    // Standard t tables: df 1 → 12.706, 2 → 4.303, 5 → 2.571, 10 → 2.228, 30 → 2.042, ∞ → 1.960.
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(2)).toBeCloseTo(4.303, 3);
    expect(tQuantile975(5)).toBeCloseTo(2.571, 3);
    expect(tQuantile975(10)).toBeCloseTo(2.228, 3);
    expect(tQuantile975(30)).toBeCloseTo(2.042, 3);
    expect(tQuantile975(1e7)).toBeCloseTo(1.96, 3);
  });
});

describe('prePost against hand-computed values', () => {
  // Before: counts [2, 3, 5, 6, 4] on points 1–5, n = 20.
  //   mean = (2·1 + 3·2 + 5·3 + 6·4 + 4·5)/20 = 67/20 = 3.35
  //   Σc(x − 3.35)² = 2·5.5225 + 3·1.8225 + 5·0.1225 + 6·0.4225 + 4·2.7225 = 30.55 → s² = 30.55/19 = 1.6079
  // After: counts [7, 6, 4, 2, 1], n = 20.
  //   mean = (7 + 12 + 12 + 8 + 5)/20 = 44/20 = 2.20
  //   Σc(x − 2.2)² = 7·1.44 + 6·0.04 + 4·0.64 + 2·3.24 + 1·7.84 = 27.2 → s² = 27.2/19 = 1.4316
  // Welch: se² = 1.6079/20 + 1.4316/20 = 0.08039 + 0.07158 = 0.15197 → se = 0.38984
  //   df = 0.15197² / (0.08039²/19 + 0.07158²/19) = 0.023095 / 0.00060985 = 37.87
  //   t(0.975; 37.87) = 2.0246 → half-width 2.0246 · 0.38984 = 0.7893
  //   difference 2.20 − 3.35 = −1.15 → [−1.939, −0.361]: excludes 0, need went down → improved.
  // Share in need (4–5): 10/20 = 50 % → 3/20 = 15 %, difference −35 points.
  //   Agresti–Caffo: p̃1 = 11/22 = .5, p̃2 = 4/22 = .1818; se = √(.5·.5/22 + .1818·.8182/22) = √(.011364 + .006762) = .13463
  //   1.96 · .13463 = .2639 → 26.4 points, rounded up to 30 (n < 30); [−.582, −.054] excludes 0 → decreased.
  const before = { distribution: [2, 3, 5, 6, 4] as [number, number, number, number, number] };
  const after = { distribution: [7, 6, 4, 2, 1] as [number, number, number, number, number] };

  it('a need item that went down is improved, with Welch and Agresti–Caffo intervals', () => {
    const r = prePost(before, after, need);
    expect(r.verdict).toBe('improved');
    expect(r.basis).toBe('mean');
    expect(r.before).toEqual({ n: 20, mean: 3.35, shareNeed: 50 });
    expect(r.after).toEqual({ n: 20, mean: 2.2, shareNeed: 15 });
    expect(r.mean!.difference).toBeCloseTo(-1.15, 10);
    expect(r.mean!.df).toBeCloseTo(37.87, 2);
    expect(r.mean!.low).toBeCloseTo(-1.939, 3);
    expect(r.mean!.high).toBeCloseTo(-0.361, 3);
    expect(r.share).toEqual({ difference: -35, margin: 30, direction: 'decreased' });
  });

  it('the same change the other way is worsened; on a competence item a higher mean is improved', () => {
    expect(prePost(after, before, need).verdict).toBe('worsened');
    expect(prePost(before, after, { k: 5, polarity: 'higher_is_better' }).verdict).toBe('worsened');
    expect(prePost(after, before, { k: 5, polarity: 'higher_is_better' }).verdict).toBe('improved');
    // Competence "in need" is points 1–2: 5/20 = 25 % before, 13/20 = 65 % after (the reversed example).
    expect(prePost(before, after, { k: 5, polarity: 'higher_is_better' }).after!.shareNeed).toBe(65);
  });

  it('a small shift is within the noise', () => {
    // [2,4,6,5,3] → [3,4,6,4,3]: means 63/20 = 3.15 → 60/20 = 3.00, difference −0.15;
    // Σc(x − 3.15)² = 2·4.6225 + 4·1.3225 + 6·0.0225 + 5·0.7225 + 3·3.4225 = 28.55 → s² = 1.5026;
    // Σc(x − 3)² = 3·4 + 4·1 + 0 + 4·1 + 3·4 = 32 → s² = 1.6842;
    // se = √(0.07513 + 0.08421) = 0.39918, df = 0.15934² / ((0.07513² + 0.08421²)/19) = 37.88,
    // half-width 2.0246 · 0.39918 = 0.8082 → [−0.958, 0.658] contains 0.
    const r = prePost({ distribution: [2, 4, 6, 5, 3] }, { distribution: [3, 4, 6, 4, 3] }, need);
    expect(r.verdict).toBe('within_noise');
    expect(r.mean!.low).toBeCloseTo(-0.958, 3);
    expect(r.mean!.high).toBeCloseTo(0.658, 3);
  });

  it('is too small when either side has fewer than k answers, and then shows nothing for that side', () => {
    const r = prePost(before, { distribution: [1, 1, 1, 1, 0] }, need);
    expect(r).toEqual({ verdict: 'too_small', basis: null, before: { n: 20, mean: 3.35, shareNeed: 50 }, after: null, mean: null, share: null });
  });

  it('from counts only (a theme), the share interval decides', () => {
    // 12/30 = 40 % → 4/30 ≈ 13 %: p̃1 = 13/32 = .40625, p̃2 = 5/32 = .15625;
    // se = √(.40625·.59375/32 + .15625·.84375/32) = √(.007538 + .004120) = .10797 → ±21.2 → 22 (n ≥ 30)
    // centre −.25 → [−.462, −.038] excludes 0 → improved; shown difference −27 (13.3 − 40.0).
    const r = prePost({ n: 30, needCount: 12 }, { n: 30, needCount: 4 }, need);
    expect(r).toEqual({ verdict: 'improved', basis: 'share', before: { n: 30, mean: null, shareNeed: 40 }, after: { n: 30, mean: null, shareNeed: 13 }, mean: null, share: { difference: -27, margin: 22, direction: 'decreased' } });
    expect(prePost({ n: 30, needCount: 12 }, { n: 30, needCount: 9 }, need).verdict).toBe('within_noise');
  });

  it('with no spread on either side the Welch interval is undefined and the share decides', () => {
    expect(welchInterval({ n: 5, mean: 2, variance: 0 }, { n: 5, mean: 2, variance: 0 })).toBeNull();
    const r = prePost({ distribution: [0, 0, 0, 0, 10] }, { distribution: [10, 0, 0, 0, 0] }, need);
    expect([r.basis, r.verdict]).toEqual(['share', 'improved']);
  });
});

describe('prePostForItem / prePostForTheme from GroupResults', () => {
  const item = (distribution: [number, number, number, number, number]): ItemResult => ({
    itemId: 'need-acting-out', kind: 'need', pupilGroup: 'acting_out', suppressed: false, reason: null,
    n: distribution.reduce((a, b) => a + b, 0), mean: 0, distribution, shareHigh: 0, shareLow: 0,
  });
  const hidden: ItemResult = { itemId: 'need-acting-out', kind: 'need', suppressed: true, reason: 'small', n: null, mean: null, distribution: null, shareHigh: null, shareLow: null };
  const group = (items: ItemResult[], themes: ThemeGap[] = []): GroupResult => ({ key: 'child_youth_worker', suppressed: false, reason: null, respondents: 20, items, themes });

  it('uses the item’s kind for the direction of need', () => {
    expect(POLARITY_BY_KIND.need).toBe('higher_is_more_need');
    expect(POLARITY_BY_KIND.competence).toBe('higher_is_better');
    expect(prePostForItem(group([item([2, 3, 5, 6, 4])]), group([item([7, 6, 4, 2, 1])]), 'need-acting-out', 5).verdict).toBe('improved');
  });

  it('a hidden item or group on either side is too small, with nothing shown', () => {
    const tooSmall = { verdict: 'too_small', basis: null, before: null, after: null, mean: null, share: null };
    expect(prePostForItem(group([hidden]), group([item([7, 6, 4, 2, 1])]), 'need-acting-out', 5)).toEqual(tooSmall);
    const hiddenGroup: GroupResult = { key: 'sfo_leader', suppressed: true, reason: 'small', respondents: null, items: [], themes: [] };
    expect(prePostForItem(hiddenGroup, group([item([7, 6, 4, 2, 1])]), 'need-acting-out', 5)).toEqual(tooSmall);
    expect(prePostForTheme(undefined, group([]), 'elevsyn', 5)).toEqual(tooSmall);
  });

  it('a theme uses its need share, with the count recovered from the whole percent', () => {
    const t = (shareNeed: number): ThemeGap => ({ themeId: 'elevsyn', suppressed: false, reason: null, n: 30, gap: 1, shareNeed });
    const r = prePostForTheme(group([], [t(40)]), group([], [t(13)]), 'elevsyn', 5);
    expect([r.verdict, r.basis, r.share]).toEqual(['improved', 'share', { difference: -27, margin: 22, direction: 'decreased' }]);
  });
});
