// Checks at the doors where tensors are allocated: a dtype canopy has, a size a typed array can
// hold, int32 values that fit. Without them a huge shape failed as "Invalid typed array length",
// `full(..., 'float64')` gave float32 data labelled float64, and 3e10 wrapped to an int32.
import { CanopyError } from '../errors.ts';
import type { DType } from './Tensor.ts';

// --- model

/**
 * Most elements one tensor holds (2^31 - 1: the largest typed array index JavaScript engines
 * promise; the memory may run out before).
 *
 * @example
 * ```ts
 * import { MAX_TENSOR_SIZE } from 'canopy-nn';
 * MAX_TENSOR_SIZE; // 2147483647
 * ```
 */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

// --- destructors

/** Throws unless `dtype` is a canopy dtype. @internal */
export function checkDType(op: string, dtype: unknown): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new CanopyError('dtype', `${op}: dtype must be 'float32' or 'int32', got ${typeof dtype === 'string' ? `'${dtype}'` : String(dtype)}`);
  }
}

/** Throws unless `v` converts to int32 without overflow (fractions truncate, as in PyTorch). @internal */
export function checkInt32(op: string, v: number): void {
  if (!(v > -2147483649 && v < 2147483648)) {
    throw new CanopyError('argument', `${op}: int32 values must be in [-2147483648, 2147483647], got ${v}`);
  }
}

// --- constructors

/** A zeroed typed array of `n` elements of `dtype`, or a CanopyError naming `op` and `shape`. @internal */
export function allocate(op: string, dtype: DType, n: number, shape: readonly number[]): Float32Array | Int32Array {
  if (n > MAX_TENSOR_SIZE) {
    throw new CanopyError('shape', `${op}: a tensor must hold at most ${MAX_TENSOR_SIZE} elements, got [${shape.join(',')}] = ${n} elements`);
  }
  try {
    return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  } catch (e) {
    throw new CanopyError('shape', `${op}: the memory for [${shape.join(',')}] (${n * 4} bytes) must be available, got ${(e as Error).message}`, { cause: e });
  }
}
