// Reading tensors back: nested arrays and a one-line statistical summary for messages.

import type { NestedArray } from './create.ts';
import { showShape, type DType, type Tensor } from './Tensor.ts';

// --- model

/** Statistics of a tensor, for error messages and debugging. */
export interface TensorSummary {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Smallest non-NaN value (NaN when there is none). */
  readonly min: number;
  /** Largest non-NaN value (NaN when there is none). */
  readonly max: number;
  /** Mean of the non-NaN values, accumulated in float64. */
  readonly mean: number;
  /** Population standard deviation (ddof 0) of the non-NaN values. */
  readonly std: number;
  /** How many elements are NaN. */
  readonly nanCount: number;
}

// --- destructors

/**
 * Shape, dtype, min, max, mean, std and NaN count of `t` (NaNs are counted, not averaged).
 *
 * @example
 * ```ts
 * import { fromArray, summary } from 'canopy-nn';
 * const s = summary(fromArray([1, 2, 3, NaN]));
 * [s.min, s.max, s.mean, s.nanCount]; // [1, 3, 2, 1]
 * ```
 */
export function summary(t: Tensor): TensorSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  let nanCount = 0;
  for (const v of t.data) {
    if (Number.isNaN(v)) {
      nanCount++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  const mean = n === 0 ? NaN : sum / n;
  let sq = 0;
  for (const v of t.data) if (!Number.isNaN(v)) sq += (v - mean) * (v - mean);
  return {
    shape: t.shape,
    dtype: t.dtype,
    min: n === 0 ? NaN : min,
    max: n === 0 ? NaN : max,
    mean,
    std: n === 0 ? NaN : Math.sqrt(sq / n),
    nanCount,
  };
}

/**
 * One-line summary: `[2,3] float32 min=-1 max=2.5 mean=0.25 std=1.1 nan=0`.
 *
 * @example
 * ```ts
 * import { formatSummary, fromArray } from 'canopy-nn';
 * formatSummary(fromArray([1, 3])); // '[2] float32 min=1 max=3 mean=2 std=1 nan=0'
 * ```
 */
export function formatSummary(t: Tensor): string {
  const s = summary(t);
  const f = (v: number): string => String(Number(v.toPrecision(4)));
  return `${showShape(s.shape)} ${s.dtype} min=${f(s.min)} max=${f(s.max)} mean=${f(s.mean)} std=${f(s.std)} nan=${s.nanCount}`;
}

/**
 * The tensor as nested arrays (a number for a rank-0 tensor).
 *
 * @example
 * ```ts
 * import { fromArray, toNested } from 'canopy-nn';
 * toNested(fromArray([[1, 2], [3, 4]])); // [[1, 2], [3, 4]]
 * ```
 */
export function toNested(t: Tensor): NestedArray {
  let k = 0;
  const build = (depth: number): NestedArray => {
    if (depth === t.shape.length) return t.data[k++] ?? NaN;
    const n = t.shape[depth] ?? 0;
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) out.push(build(depth + 1));
    return out;
  };
  return build(0);
}
