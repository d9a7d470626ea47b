// Reference reductions: sum (float64 accumulation, rounded once), max/min (NaN propagates), argmax.

import type { ReduceOp } from '../Backend.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { check, checkFloat, coordsOf, sizeOf, wrap } from './util.ts';

/** Output shape and, per input element, its output index. */
function reducedIndex(shape: readonly number[], axes: readonly number[], keepdims: boolean) {
  const reduced = new Set(axes);
  const keptShape = shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outShape = keepdims ? keptShape : shape.filter((_, i) => !reduced.has(i));
  const coords = new Array<number>(shape.length).fill(0);
  const outIndex = (flat: number): number => {
    coordsOf(flat, shape, coords);
    let o = 0;
    for (let i = 0; i < shape.length; i++) o = o * (keptShape[i] ?? 1) + (reduced.has(i) ? 0 : (coords[i] ?? 0));
    return o;
  };
  return { outShape, outIndex };
}

export function reduce(op: ReduceOp, x: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  checkFloat(x, 'reduce');
  check(
    axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < x.shape.length && (i === 0 || a > (axes[i - 1] ?? -1))),
    'reduce',
    () => `axes must be sorted distinct axes of rank ${x.shape.length}, got [${axes.join(',')}]`,
  );
  const { outShape, outIndex } = reducedIndex(x.shape, axes, keepdims);
  const acc = new Float64Array(sizeOf(outShape)).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
  for (let i = 0; i < x.size; i++) {
    const o = outIndex(i);
    const v = x.data[i] ?? 0;
    const a = acc[o] ?? 0;
    if (op === 'sum') acc[o] = a + v;
    else if (Number.isNaN(v) || Number.isNaN(a)) acc[o] = NaN;
    else acc[o] = op === 'max' ? Math.max(a, v) : Math.min(a, v);
  }
  return wrap(Float32Array.from(acc), outShape);
}

export function argmax(x: Tensor, axis: number, keepdims: boolean): Tensor {
  checkFloat(x, 'argmax');
  check(Number.isInteger(axis) && axis >= 0 && axis < x.shape.length, 'argmax', () => `axis must be in [0, ${x.shape.length - 1}], got ${axis}`);
  const { outShape, outIndex } = reducedIndex(x.shape, [axis], keepdims);
  const n = sizeOf(outShape);
  const best = new Float64Array(n).fill(-Infinity);
  const arg = new Int32Array(n).fill(-1);
  const stride = sizeOf(x.shape.slice(axis + 1));
  const dim = x.shape[axis] ?? 1;
  for (let i = 0; i < x.size; i++) {
    const o = outIndex(i);
    const v = x.data[i] ?? 0;
    const k = Math.floor(i / stride) % dim;
    const b = best[o] ?? 0;
    if (Number.isNaN(b)) continue; // the first NaN wins
    if ((arg[o] ?? -1) < 0 || Number.isNaN(v) || v > b) {
      best[o] = v;
      arg[o] = k;
    }
  }
  return wrap(arg, outShape);
}
