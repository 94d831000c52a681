import { describe, expect, it } from 'vitest';
import { findSmallDerivable, protectCells } from '../../src/domain/disclosure.ts';
import { shownShare } from '../../src/domain/share-display.ts';

// Atoms: 0 = 6 teachers at barnetrinn, 1 = the SFO leader at barnetrinn, 2 = 10 BUA at ungdomstrinn.
const W = [6, 1, 10];
const cells = [
  { id: 'all', atoms: [0, 1, 2], keep: true },
  { id: 'teacher', atoms: [0] },
  { id: 'sfo', atoms: [1] },
  { id: 'bua', atoms: [2] },
  { id: 'barnetrinn', atoms: [0, 1] },
  { id: 'ungdomstrinn', atoms: [2] },
];

describe('which cells may be published (disclosure.ts)', () => {
  it('finds the SFO leader as barnetrinn minus teachers, with the cells that give her away', () => {
    const found = findSmallDerivable(W, cells.filter((c) => c.id !== 'sfo'), 5);
    expect(found).not.toBe('maybe');
    expect(found).toMatchObject({ atoms: [1] });
    expect(found && found !== 'maybe' ? found.cells.length : 0).toBeGreaterThan(1);
  });

  it('hides the SFO leader as too few and then the smallest cell that breaks the subtraction — never the whole unit', () => {
    const hidden = protectCells(W, cells, 5);
    expect(hidden.get('sfo')).toBe('small');
    expect(hidden.get('teacher')).toBe('derivable');
    expect(hidden.has('all')).toBe(false);
    expect(hidden.has('barnetrinn')).toBe(false);
    expect(hidden.has('bua')).toBe(false);
    expect(findSmallDerivable(W, cells.filter((c) => !hidden.has(c.id)), 5)).toBeNull();
  });

  it('an earlier round’s cells are known: a group that grew by one is hidden now, one that stayed the same is not', () => {
    // Joint atoms: 0 = 6 teachers in both rounds, 1 = one teacher only now, 2 = 6 BUA in both.
    const w = [6, 1, 6];
    const hidden = protectCells(
      w,
      [
        { id: 'before:all', atoms: [0, 2], fixed: true },
        { id: 'before:teacher', atoms: [0], fixed: true },
        { id: 'before:bua', atoms: [2], fixed: true },
        { id: 'all', atoms: [0, 1, 2], keep: true },
        { id: 'teacher', atoms: [0, 1] },
        { id: 'bua', atoms: [2] },
      ],
      5,
    );
    expect([...hidden.keys()].sort()).toEqual(['all', 'teacher']);
    expect(hidden.has('before:teacher')).toBe(false);
  });

  it('gives up as «maybe» past its budget, and answers exactly within it', () => {
    // Four atoms of 3 people in a ring of pairs: no single atom follows (even cycle), pairs are 6 ≥ k.
    const w = [3, 3, 3, 3];
    const ring = w.map((_, i) => ({ id: `c${i}`, atoms: [i, (i + 1) % w.length] }));
    expect(findSmallDerivable(w, ring, 5, 1)).toBe('maybe');
    expect(findSmallDerivable(w, ring, 5)).toBeNull();
    expect(protectCells(w, ring, 5).size).toBe(0);
    // Three in a ring: each atom is (a+b − b+c + a+c)/2 — derivable.
    const odd = ring.slice(0, 2).concat([{ id: 'c2', atoms: [2, 0] }]);
    expect(findSmallDerivable([3, 3, 3], odd, 5)).toMatchObject({ atoms: [expect.any(Number)] });
  });
});

describe('small groups and extreme shares (share-display.ts)', () => {
  it('reads all and all but one the same under 2k, and none and one the same', () => {
    expect(shownShare(100, 6, 5)).toEqual({ value: 83, bound: 'atLeast' });
    expect(shownShare(83, 6, 5)).toEqual({ value: 83, bound: 'atLeast' });
    expect(shownShare(67, 6, 5)).toEqual({ value: 67, bound: null });
    expect(shownShare(0, 6, 5)).toEqual({ value: 17, bound: 'atMost' });
    expect(shownShare(17, 6, 5)).toEqual({ value: 17, bound: 'atMost' });
    expect(shownShare(33, 6, 5)).toEqual({ value: 33, bound: null });
    expect(shownShare(100, 9, 5)).toEqual({ value: 88, bound: 'atLeast' });
  });

  it('shows the exact share from 2k answers on', () => {
    expect(shownShare(100, 10, 5)).toEqual({ value: 100, bound: null });
    expect(shownShare(0, 10, 5)).toEqual({ value: 0, bound: null });
    expect(shownShare(100, 6, 3)).toEqual({ value: 100, bound: null });
  });
});
