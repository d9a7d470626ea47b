// Comparing tensors: exact equality and tolerance-based closeness.

import { shapesEqual } from './shape.ts';
import type { Tensor } from './Tensor.ts';

// --- model

/** Tolerances of {@link allClose}: `|a - b| <= atol + rtol * |b|`, as `torch.allclose`. */
export interface AllCloseOptions {
  /** Relative tolerance. Default `1e-5`. */
  readonly rtol?: number;
  /** Absolute tolerance. Default `1e-8`. */
  readonly atol?: number;
  /** Whether NaN equals NaN. Default `false` (as PyTorch). */
  readonly equalNan?: boolean;
}

// --- destructors

/**
 * Same shape, dtype and values (NaN equals NaN here, so a tensor always equals itself; 0 equals -0).
 *
 * @example
 * ```ts
 * import { fromArray, tensorEquals } from 'canopy-nn';
 * tensorEquals(fromArray([1, NaN]), fromArray([1, NaN])); // true
 * ```
 */
export function tensorEquals(a: Tensor, b: Tensor): boolean {
  if (a === b) return true;
  if (a.dtype !== b.dtype || !shapesEqual(a.shape, b.shape)) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i] ?? 0;
    const y = b.data[i] ?? 0;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

/**
 * Same shape and every element within `atol + rtol * |b|` (infinities must match exactly).
 * Shapes do not broadcast: different shapes are never close. Dtypes may differ.
 *
 * @example
 * ```ts
 * import { allClose, fromArray } from 'canopy-nn';
 * allClose(fromArray([1, 2]), fromArray([1, 2.000001])); // true
 * allClose(fromArray([1]), fromArray([1.1]), { atol: 0.01 }); // false
 * ```
 */
export function allClose(a: Tensor, b: Tensor, options: AllCloseOptions = {}): boolean {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options;
  if (!shapesEqual(a.shape, b.shape)) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i] ?? 0;
    const y = b.data[i] ?? 0;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (equalNan && Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (x === y) continue; // covers matching infinities
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
  }
  return true;
}
