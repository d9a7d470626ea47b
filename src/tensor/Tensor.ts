// The Tensor value: an immutable, row-major block of numbers with a shape and a dtype.
// Everything numeric in canopy passes these around; backends create them, ops compose them.

import { CanopyError } from '../errors.ts';

// --- model

/**
 * The dtypes a tensor holds while computing: `float32` for values, `int32` for indices.
 * Other dtypes (`float16`, `bfloat16`, `float64`) are accepted on load and converted to `float32`
 * (see `fromTypedArray` and `src/tensor/convert.ts`).
 */
export type DType = 'float32' | 'int32';

/** The typed array behind a dtype. */
export type TypedArrayFor<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;

/**
 * An immutable tensor: `shape` (row-major), `dtype`, and `data` of length `size`.
 *
 * Immutability: the tensor object and its `shape` are frozen. Typed arrays cannot be frozen by
 * JavaScript, so `data` is immutable by convention: canopy never writes to a tensor's data after
 * creating it, and neither may callers (copy it first: `Float32Array.from(t.data)`).
 *
 * Device tensors: a GPU backend (gpu.js WebGPU, WebGL2) leaves its results on the device, where
 * they feed the next kernel; `await readTensor(t)` copies them to the host once, after which
 * `data` returns that copy. Reading `data` first is a counted synchronous readback on WebGL and a
 * CanopyError on WebGPU (see src/tensor/device.ts and docs/browser.md).
 *
 * @example
 * ```ts
 * import { fromArray } from 'canopy-nn';
 * const t = fromArray([[1, 2, 3], [4, 5, 6]]);
 * t.shape; // [2, 3]
 * t.dtype; // 'float32'
 * ```
 */
export interface Tensor<D extends DType = DType> {
  readonly _tag: 'Tensor';
  readonly shape: readonly number[];
  readonly dtype: D;
  readonly data: TypedArrayFor<D>;
  /** Number of elements, the product of `shape` (1 for a scalar of shape `[]`). */
  readonly size: number;
}

// --- constructors

/** Product of a shape's dimensions (1 for `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Wraps a typed array as a tensor without copying. The caller hands `data` over: it must not be
 * written afterwards. Checks that the shape is made of non-negative integers and fits the data.
 *
 * @example
 * ```ts
 * import { makeTensor } from 'canopy-nn';
 * const t = makeTensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * t.size; // 4
 * ```
 */
export function makeTensor<D extends DType>(
  data: TypedArrayFor<D>,
  shape: readonly number[],
  dtype?: D,
): Tensor<D> {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new CanopyError('shape', `tensor: dimensions must be non-negative integers, got [${shape.join(',')}]`);
    }
  }
  const size = sizeOf(shape);
  if (data.length !== size) {
    throw new CanopyError(
      'shape',
      `tensor: data length must equal the product of shape [${shape.join(',')}] = ${size}, got ${data.length}`,
    );
  }
  const dt = (dtype ?? (data instanceof Int32Array ? 'int32' : 'float32')) as D;
  if ((dt === 'int32') !== data instanceof Int32Array) {
    throw new CanopyError('dtype', `tensor: dtype ${dt} needs ${dt === 'int32' ? 'an Int32Array' : 'a Float32Array'}, got ${data.constructor.name}`);
  }
  return Object.freeze({ _tag: 'Tensor', shape: Object.freeze([...shape]), dtype: dt, data, size });
}

/**
 * A frozen tensor whose `data` is computed on first access by `read` (device tensors: see
 * src/tensor/device.ts). `shape` must already be valid.
 * @internal
 */
export function makeTensorObject<D extends DType>(shape: readonly number[], dtype: D, read: () => TypedArrayFor<D>): Tensor<D> {
  return Object.freeze({
    _tag: 'Tensor' as const,
    shape: Object.freeze([...shape]),
    dtype,
    get data(): TypedArrayFor<D> {
      return read();
    },
    size: sizeOf(shape),
  });
}

// --- utils

/**
 * True when `v` is a canopy tensor.
 *
 * @example
 * ```ts
 * import { isTensor, zeros } from 'canopy-nn';
 * isTensor(zeros([2])); // true
 * isTensor([1, 2]); // false
 * ```
 */
export function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && (v as { _tag?: unknown })._tag === 'Tensor';
}

/** Formats a shape as `[2,3]` for messages. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
