// Comparing an op's output with the PyTorch fixture: one tolerance table per dtype, scaled to the
// magnitude of the numbers involved, with exact agreement on NaN and infinities.

import type { DType, Tensor } from '../../src/tensor/Tensor.ts';

/** Tolerance of one dtype: |got - want| <= atol · scale + rtol · |want|. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/**
 * Per dtype. float32: the fixtures are float64 results rounded once to float32, while canopy
 * computes in float32 through several primitive passes (gelu, softmax, norms are compositions) and
 * gpu.js webasm accumulates sums in float32, so a few hundred ulps are allowed (rtol 1e-4 ≈ 840
 * ulps). `atol` is multiplied by `scale`, the largest finite magnitude among the case's float
 * inputs and expected outputs (at least 1): the absolute error of a sum or a dot product grows
 * with its terms, not with its (possibly cancelling) result. int32 (argmax, indices): exact.
 */
export const tolerances: Readonly<Record<DType, Tolerance>> = {
  float32: { atol: 1e-5, rtol: 1e-4 },
  int32: { atol: 0, rtol: 0 },
};

/** What went wrong in a comparison (undefined when none). */
export interface Mismatch {
  readonly reason: string;
}

const maxFiniteAbs = (ts: readonly Tensor[]): number => {
  let m = 0;
  for (const t of ts) {
    if (t.dtype !== 'float32') continue;
    for (const v of t.data) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  }
  return m;
};

const show = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(7));

/** Multi-index of flat index `i` in `shape`, for messages. */
const unravel = (i: number, shape: readonly number[]): number[] => {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k] ?? 1;
    idx.unshift(d === 0 ? 0 : i % d);
    i = d === 0 ? 0 : Math.floor(i / d);
  }
  return idx;
};

/**
 * Compares `got` with `want`: same shape, dtype (int32 indices may come back as float32: compared
 * as numbers), NaN exactly where `want` has NaN, equal infinities, finite values within the
 * tolerance of `want`'s dtype. `context` are the case's inputs (for the scale).
 */
export function compareTensor(got: Tensor, want: Tensor, context: readonly Tensor[]): Mismatch | undefined {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return { reason: `shape [${got.shape.join(',')}] vs expected [${want.shape.join(',')}]` };
  }
  const tol = tolerances[want.dtype];
  const scale = Math.max(1, maxFiniteAbs([want, ...context]));
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  let special = -1;
  for (let i = 0; i < want.size; i++) {
    const g = got.data[i] ?? NaN;
    const w = want.data[i] ?? NaN;
    if (Number.isNaN(w) || !Number.isFinite(w) || Number.isNaN(g) || !Number.isFinite(g)) {
      if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) {
        bad++;
        if (special < 0) special = i;
      }
      continue;
    }
    const err = Math.abs(g - w);
    const allowed = tol.atol * scale + tol.rtol * Math.abs(w);
    if (err > allowed) {
      bad++;
      if (err / Math.max(allowed, Number.MIN_VALUE) > worstExcess) {
        worstExcess = err / Math.max(allowed, Number.MIN_VALUE);
        worst = i;
      }
    }
  }
  if (bad === 0) return undefined;
  const at = (i: number): string =>
    `[${unravel(i, want.shape).join(',')}] got ${show(got.data[i] ?? NaN)} want ${show(want.data[i] ?? NaN)}`;
  const parts = [`${bad}/${want.size} elements differ`];
  if (special >= 0) parts.push(`NaN/Inf mismatch at ${at(special)}`);
  if (worst >= 0) {
    const err = Math.abs((got.data[worst] ?? 0) - (want.data[worst] ?? 0));
    parts.push(`worst at ${at(worst)} (|err| ${err.toExponential(2)}, ${worstExcess.toFixed(1)}× the tolerance; scale ${show(scale)})`);
  }
  return { reason: parts.join('; ') };
}
