// Small helpers of the reference backend: index arithmetic and assertions. @internal

import { CanopyError } from '../../errors.ts';
import { makeTensor, showShape, sizeOf, type DType, type Tensor } from '../../tensor/Tensor.ts';

/** Throws a backend CanopyError naming the primitive when `cond` fails. */
export function check(cond: boolean, primitive: string, message: () => string): asserts cond {
  if (!cond) throw new CanopyError('backend', `reference.${primitive}: ${message()}`);
}

/** A fresh zeroed array for `dtype`. */
export function alloc(dtype: DType, n: number): Float32Array | Int32Array {
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/** Wraps data of a known dtype (shape and length already consistent). */
export function wrap(data: Float32Array | Int32Array, shape: readonly number[]): Tensor {
  return makeTensor(data, shape, data instanceof Int32Array ? 'int32' : 'float32');
}

/** Coordinates of flat index `flat` in `shape` (row-major). */
export function coordsOf(flat: number, shape: readonly number[], out: number[]): number[] {
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] ?? 1;
    out[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return out;
}

/** Dot product of coordinates and strides. */
export function offsetOf(coords: readonly number[], strides: readonly number[]): number {
  let o = 0;
  for (let i = 0; i < coords.length; i++) o += (coords[i] ?? 0) * (strides[i] ?? 0);
  return o;
}

/** Asserts a float32 input. */
export function checkFloat(x: Tensor, primitive: string): void {
  check(x.dtype === 'float32', primitive, () => `needs float32, got ${x.dtype} ${showShape(x.shape)}`);
}

export { sizeOf, showShape };
