// Reference gather: index one axis of `x` with an int32 tensor of indices.

import type { Tensor } from '../../tensor/Tensor.ts';
import { alloc, check, showShape, sizeOf, wrap } from './util.ts';

export function gather(x: Tensor, indices: Tensor, axis: number): Tensor {
  check(indices.dtype === 'int32', 'gather', () => `indices must be int32, got ${indices.dtype}`);
  check(axis >= 0 && axis < x.shape.length, 'gather', () => `axis must be in [0, ${x.shape.length - 1}], got ${axis}`);
  const dim = x.shape[axis] ?? 0;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = alloc(x.dtype, sizeOf(shape));
  const m = indices.size;
  for (let j = 0; j < m; j++) {
    const k = indices.data[j] ?? 0;
    check(k >= 0 && k < dim, 'gather', () => `index ${k} out of range [0, ${dim}) for axis ${axis} of ${showShape(x.shape)}`);
  }
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const k = indices.data[j] ?? 0;
      const src = (o * dim + k) * inner;
      out.set(x.data.subarray(src, src + inner), (o * m + j) * inner);
    }
  return wrap(out, shape);
}
