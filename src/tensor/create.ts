// Creating tensors: from nested arrays and typed arrays, constants, ranges.

import { MAX_TENSOR_SIZE, allocate, checkDType, checkInt32 } from './limits.ts';
import { CanopyError } from '../errors.ts';
import { halfToFloat32 } from './convert.ts';
import { makeTensor, showShape, sizeOf, type DType, type Tensor } from './Tensor.ts';

// --- model

/** A number or arbitrarily nested arrays of numbers, as `fromArray` takes and `toNested` returns. */
export type NestedArray = number | readonly NestedArray[];

/** Dtypes accepted on load; `float16`, `bfloat16` and `float64` are converted to `float32`. */
export type LoadDType = DType | 'float64' | 'float16' | 'bfloat16';

// --- constructors

/**
 * Tensor from a number or nested arrays (shape inferred; ragged arrays are an error).
 * Values are copied; `dtype` defaults to `float32` (int32 truncates toward zero).
 *
 * @example
 * ```ts
 * import { fromArray } from 'canopy-nn';
 * fromArray([[1, 2], [3, 4]]).shape; // [2, 2]
 * fromArray(7).shape; // []
 * fromArray([0, 2], 'int32').dtype; // 'int32'
 * ```
 */
export function fromArray(values: NestedArray, dtype: DType = 'float32'): Tensor {
  const shape: number[] = [];
  let probe: NestedArray = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = (probe as readonly NestedArray[])[0] ?? 0;
    if ((shape.at(-1) ?? 0) === 0) break;
  }
  checkDType('fromArray', dtype);
  const data = allocate('fromArray', dtype, sizeOf(shape), shape);
  const int = dtype === 'int32';
  let k = 0;
  const walk = (v: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new CanopyError('shape', `fromArray: nested arrays must be rectangular of shape ${showShape(shape)}, got an array at depth ${depth}`);
      }
      if (int) checkInt32('fromArray', v);
      data[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `length ${v.length}` : 'a number';
      throw new CanopyError('shape', `fromArray: nested arrays must be rectangular of shape ${showShape(shape)}, got ${got} at depth ${depth}`);
    }
    for (const c of v as readonly NestedArray[]) walk(c, depth + 1);
  };
  walk(values, 0);
  return makeTensor(data, shape, dtype);
}

/**
 * Tensor from a typed array and a shape, copying the data. `dtype` says how to read it:
 * `float16`/`bfloat16` take a Uint16Array of bit patterns, `float64` a Float64Array; all three
 * become float32. Without `dtype`, Int32Array gives int32 and every other array float32.
 *
 * @example
 * ```ts
 * import { fromTypedArray } from 'canopy-nn';
 * fromTypedArray(new Float64Array([1, 2, 3]), [3]).dtype; // 'float32'
 * fromTypedArray(new Uint16Array([0x3c00]), [1], 'float16').data[0]; // 1
 * ```
 */
export function fromTypedArray(
  data: ArrayLike<number> & { readonly length: number },
  shape: readonly number[],
  dtype?: LoadDType,
): Tensor {
  const kind = dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
  if (kind === 'float16' || kind === 'bfloat16') {
    if (!(data instanceof Uint16Array)) {
      throw new CanopyError('dtype', `fromTypedArray: ${kind} data must be a Uint16Array of bit patterns, got ${data.constructor.name}`);
    }
    return makeTensor(halfToFloat32(data, kind), shape, 'float32');
  }
  if (kind === 'int32') return makeTensor(Int32Array.from(data), shape, 'int32');
  return makeTensor(Float32Array.from(data), shape, 'float32');
}

/**
 * Tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * import { full } from 'canopy-nn';
 * full([2], 3).data; // Float32Array [3, 3]
 * ```
 */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  return fullAs('full', shape, value, dtype);
}

// full, with the name of the function the user called in its errors.
function fullAs(op: string, shape: readonly number[], value: number, dtype: DType): Tensor {
  if (!Array.isArray(shape)) throw new CanopyError('shape', `${op}: the shape must be an array of dimensions, got ${typeof shape}`);
  checkShape(shape, op);
  checkDType(op, dtype);
  if (dtype === 'int32') checkInt32(op, value);
  const data = allocate(op, dtype, sizeOf(shape), shape);
  if (value !== 0) data.fill(value);
  return makeTensor(data, shape, dtype);
}

/**
 * Tensor of zeros.
 *
 * @example
 * ```ts
 * import { zeros } from 'canopy-nn';
 * zeros([2, 3]).size; // 6
 * ```
 */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fullAs('zeros', shape, 0, dtype);
}

/**
 * Tensor of ones.
 *
 * @example
 * ```ts
 * import { ones } from 'canopy-nn';
 * ones([2]).data; // Float32Array [1, 1]
 * ```
 */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fullAs('ones', shape, 1, dtype);
}

/**
 * A rank-0 tensor holding `value`.
 *
 * @example
 * ```ts
 * import { scalar } from 'canopy-nn';
 * scalar(2).shape; // []
 * ```
 */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return fullAs('scalar', [], value, dtype);
}

/**
 * `[start, start + step, ...)` up to `end` exclusive, like `torch.arange`; one argument is `end`.
 *
 * @example
 * ```ts
 * import { arange } from 'canopy-nn';
 * arange(4).data; // Float32Array [0, 1, 2, 3]
 * arange(1, 2, 0.5).data; // Float32Array [1, 1.5]
 * ```
 */
export function arange(start: number, end?: number, step = 1, dtype: DType = 'float32'): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new CanopyError('argument', `arange: start, end and a non-zero step must be finite, got start ${lo}, end ${hi}, step ${step}`);
  }
  checkDType('arange', dtype);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  if (dtype === 'int32') {
    checkInt32('arange', lo);
    checkInt32('arange', lo + (n - 1) * step);
  }
  const data = allocate('arange', dtype, n, [n]);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return makeTensor(data, [n], dtype);
}

// --- utils

/** Throws unless `shape` is a list of non-negative integers. @internal */
export function checkShape(shape: readonly number[], op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new CanopyError('shape', `${op}: dimensions must be non-negative integers, got ${showShape(shape)}`);
    }
  }
  const n = sizeOf(shape);
  if (n > MAX_TENSOR_SIZE) {
    throw new CanopyError('shape', `${op}: a tensor must hold at most ${MAX_TENSOR_SIZE} elements, got ${showShape(shape)} = ${n} elements`);
  }
}
