/**
 * Which cells of a table may be published so that no small set of people can
 * be worked out from them — the one place where anonymity across views is
 * decided. Pure; no I/O.
 *
 * The model (README, "Results and anonymity"):
 * - The people behind a round are split into *atoms*: people who are
 *   indistinguishable by every breakdown the product offers (same staff
 *   role, school level and school; with two rounds, also which rounds they
 *   answered). Each atom has a weight: how many people are in it.
 * - A *cell* is a union of atoms: «lærere», «barnetrinnet», «Nordby skole»,
 *   the whole unit, the same group in the round before. Every figure a
 *   viewer sees for a cell (people, answers per scale point, shares, means)
 *   is a sum over the cell's people.
 * - A viewer who sees the exact figures of several cells can add and subtract
 *   them: any vector in the linear span of the published cells' indicator
 *   vectors has derivable figures. A *set* of people is derivable when its
 *   0/1 indicator lies in that span; its counts, shares and per-scale-point
 *   counts then are derivable too. The promise is that no set of 1..k−1
 *   people is ever derivable.
 * - So: hide cells under k, then, while some small set is derivable, hide
 *   one more of the cells that the derivation uses (the smallest, never the
 *   whole unit while another will do). Cells already shown earlier (`fixed`:
 *   the round before, which a leader may have kept) can't be taken back, so
 *   only the new round's cells are hidden.
 *
 * How a small derivable set is found, exactly: put the published cells in
 * reduced row echelon form over the atoms (integer arithmetic, no rounding),
 * with the heaviest atoms first so that they become pivots. Any vector x in
 * the span equals Σ x[pⱼ]·rowⱼ over the pivot columns pⱼ, so a set is fixed
 * by which pivots it contains. A set of fewer than k people contains only
 * pivot atoms lighter than k, of total weight under k: those few subsets
 * are all that has to be tried. Each is checked to be a 0/1 vector of
 * weight 1..k−1. If the search would take too long (very many small
 * atoms), the answer is «maybe», and the caller hides more: unsure never
 * means shown.
 */

export type DisclosureCell = {
  id: string;
  /** Indices into the weights of the atoms this cell is made of. */
  atoms: readonly number[];
  /** Published before (an earlier round): never hidden here, but counted as known. */
  fixed?: boolean;
  /** Hidden last when several cells would do (the whole unit). */
  keep?: boolean;
};

export type HideReason = 'small' | 'derivable';

/** A derivable small set: the atoms in it, and which published cells its derivation adds and subtracts. */
export type Witness = { atoms: number[]; cells: string[] };

/** Work limit for one search, in subsets tried; beyond it the answer is «maybe». */
const SEARCH_BUDGET = 200_000;
/** Integer entries stay far below 2^53, or the search answers «maybe». */
const SAFE = 2 ** 50;

const gcd = (a: number, b: number): number => {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

type Echelon = { rows: number[][]; pivots: number[]; width: number } | 'overflow';

/**
 * Gauss–Jordan over the integers (fraction-free, each row divided by the
 * gcd of its entries). Rows are the cells, followed by an identity block
 * that records how each result row is made of the original cells.
 */
function echelon(matrix: readonly number[][], width: number): Echelon {
  const n = matrix.length;
  const rows = matrix.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const pivots: number[] = [];
  let top = 0;
  for (let col = 0; col < width && top < n; col++) {
    const p = rows.findIndex((r, i) => i >= top && r[col] !== 0);
    if (p < 0) continue;
    [rows[top], rows[p]] = [rows[p]!, rows[top]!];
    const pivot = rows[top]!;
    const maxP = Math.max(...pivot.map(Math.abs));
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const b = r[col]!;
      if (i === top || b === 0) continue;
      const a = pivot[col]!;
      if (Math.abs(a) * Math.max(...r.map(Math.abs)) + Math.abs(b) * maxP > SAFE) return 'overflow';
      let g = 0;
      for (let j = 0; j < r.length; j++) {
        r[j] = a * r[j]! - b * pivot[j]!;
        g = gcd(g, r[j]!);
      }
      if (g > 1) for (let j = 0; j < r.length; j++) r[j]! /= g;
    }
    pivots.push(col);
    top++;
  }
  return { rows: rows.slice(0, top), pivots, width };
}

/**
 * A set of 1..k−1 people derivable from the given cells, or null when there
 * is none, or 'maybe' when the search gave up. `weights[a]` is the number of
 * people in atom a (atoms with weight 0 must not be in any cell).
 */
export function findSmallDerivable(weights: readonly number[], cells: readonly DisclosureCell[], k: number, budget = SEARCH_BUDGET): Witness | null | 'maybe' {
  if (cells.length === 0) return null;
  // Heaviest atoms first: they become pivots where they can, leaving few light pivots to search.
  const order = weights.map((_, a) => a).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const column = new Map(order.map((a, c) => [a, c]));
  const width = order.length;
  const matrix = cells.map((cell) => {
    const row = new Array<number>(width).fill(0);
    for (const a of cell.atoms) row[column.get(a)!] = 1;
    return row;
  });
  const e = echelon(matrix, width);
  if (e === 'overflow') return 'maybe';
  const w = order.map((a) => weights[a]!);
  // Candidate pivots: atoms lighter than k, lightest first.
  const light = e.pivots.map((col, j) => ({ col, j })).filter((p) => w[p.col]! < k).sort((a, b) => w[a.col]! - w[b.col]! || a.col - b.col);
  const sum = new Float64Array(width);
  const chosen: number[] = [];
  let tried = 0;
  let gaveUp = false;

  const isSmallSet = (): boolean => {
    let weight = 0;
    for (let c = 0; c < width; c++) {
      const v = sum[c]!;
      if (Math.abs(v) < 1e-9) continue;
      if (Math.abs(v - 1) > 1e-9) return false;
      weight += w[c]!;
      if (weight >= k) return false;
    }
    return weight >= 1;
  };
  const add = (j: number, sign: 1 | -1) => {
    const row = e.rows[j]!;
    const p = row[e.pivots[j]!]!;
    for (let c = 0; c < width; c++) if (row[c] !== 0) sum[c]! += (sign * row[c]!) / p;
  };
  const search = (from: number, weight: number): boolean => {
    for (let i = from; i < light.length; i++) {
      const { col, j } = light[i]!;
      if (weight + w[col]! >= k) break; // lightest first: the rest are heavier
      if (++tried > budget) {
        gaveUp = true;
        return false;
      }
      add(j, 1);
      chosen.push(j);
      if (isSmallSet() && exactlySmallSet(e, chosen, w, k)) return true;
      if (search(i + 1, weight + w[col]!)) return true;
      chosen.pop();
      add(j, -1);
      if (gaveUp) return false;
    }
    return false;
  };
  if (!search(0, 0)) return gaveUp ? 'maybe' : null;
  const atoms: number[] = [];
  for (let c = 0; c < width; c++) if (Math.abs(sum[c]! - 1) < 1e-9) atoms.push(order[c]!);
  // Which original cells the derivation uses: the identity block of the chosen rows.
  const used = new Float64Array(cells.length);
  for (const j of chosen) {
    const row = e.rows[j]!;
    const p = row[e.pivots[j]!]!;
    for (let i = 0; i < cells.length; i++) used[i]! += row[width + i]! / p;
  }
  return { atoms: atoms.sort((a, b) => a - b), cells: cells.filter((_, i) => Math.abs(used[i]!) > 1e-9).map((c) => c.id) };
}

/** The float search said yes; confirm with exact rationals (common denominator) before acting on it. */
function exactlySmallSet(e: Exclude<Echelon, 'overflow'>, chosen: readonly number[], w: readonly number[], k: number): boolean {
  let den = 1n;
  for (const j of chosen) {
    const p = BigInt(Math.abs(e.rows[j]![e.pivots[j]!]!));
    den = (den * p) / bigGcd(den, p);
  }
  let weight = 0;
  for (let c = 0; c < e.width; c++) {
    let v = 0n;
    for (const j of chosen) {
      const row = e.rows[j]!;
      v += (BigInt(row[c]!) * den) / BigInt(row[e.pivots[j]!]!);
    }
    if (v === 0n) continue;
    if (v !== den) return false;
    weight += w[c]!;
  }
  return weight >= 1 && weight < k;
}

const bigGcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
};

/** Whether the atoms of `set` form a vector in the span of the cells (rank test; unsure counts as yes). */
function inSpan(width: number, cells: readonly DisclosureCell[], set: readonly number[]): boolean {
  const row = (atoms: readonly number[]) => {
    const r = new Array<number>(width).fill(0);
    for (const a of atoms) r[a] = 1;
    return r;
  };
  const rows = cells.map((c) => row(c.atoms));
  const without = echelon(rows, width);
  const withSet = echelon([...rows, row(set)], width);
  if (without === 'overflow' || withSet === 'overflow') return true;
  return without.pivots.length === withSet.pivots.length;
}

/** At most this many cells are tried one by one for the one whose hiding breaks a derivation. */
const REMOVAL_TRIES = 12;

/**
 * The cell to hide for a derivation found, in this order:
 * 1. among the cells the derivation used, the first (in hiding order) whose
 *    hiding alone makes the set underivable — e.g. the smallest visible group
 *    of a breakdown whose total minus the others gives a hidden group;
 * 2. else the first cell that holds someone of the set, so that a round that
 *    differs from the one before by a few people loses the groups those
 *    people are in, and not an unrelated one;
 * 3. else a cell the derivation uses; the whole unit only when nothing else
 *    is left.
 */
function nextToHide(width: number, published: readonly DisclosureCell[], open: readonly DisclosureCell[], found: Witness): DisclosureCell | undefined {
  const used = new Set(found.cells);
  const others = open.filter((c) => !c.keep);
  const tried = others.filter((c) => used.has(c.id)).slice(0, REMOVAL_TRIES);
  for (const c of tried) if (!inSpan(width, published.filter((p) => p !== c), found.atoms)) return c;
  const inSet = new Set(found.atoms);
  const holds = (c: DisclosureCell) => c.atoms.some((a) => inSet.has(a));
  return others.find(holds) ?? others.find((c) => used.has(c.id)) ?? open.find((c) => used.has(c.id)) ?? others[0] ?? open[0];
}

/**
 * Which cells to hide so that no set of 1..k−1 people is derivable from the
 * published ones (the fixed cells count as published). Cells under k are
 * hidden as 'small'; every further one as 'derivable'. Deterministic: the
 * smallest cell of a derivation goes first, ties by id.
 *
 * @example protectCells([6, 1], [{ id: 'all', atoms: [0, 1], keep: true }, { id: 'teacher', atoms: [0] }, { id: 'sfo_leader', atoms: [1] }], 5)
 *   // → Map { 'sfo_leader' => 'small', 'teacher' => 'derivable' }: 7 − 6 would give the SFO leader away
 */
export function protectCells(weights: readonly number[], cells: readonly DisclosureCell[], k: number): Map<string, HideReason> {
  const hidden = new Map<string, HideReason>();
  const size = (c: DisclosureCell) => c.atoms.reduce((n, a) => n + weights[a]!, 0);
  const present = cells.filter((c) => size(c) > 0);
  for (const c of present) if (!c.fixed && size(c) < k) hidden.set(c.id, 'small');
  const byHidingOrder = (a: DisclosureCell, b: DisclosureCell) => Number(!!a.keep) - Number(!!b.keep) || size(a) - size(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (;;) {
    const published = present.filter((c) => !hidden.has(c.id));
    const found = findSmallDerivable(weights, published, k);
    if (found === null) return hidden;
    const open = published.filter((c) => !c.fixed).sort(byHidingOrder);
    const next = found === 'maybe' ? open[0] : nextToHide(weights.length, published, open, found);
    if (!next) return hidden; // only earlier rounds' cells are left: nothing of this round is shown
    hidden.set(next.id, 'derivable');
  }
}
