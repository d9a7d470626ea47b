// torch.gather: pick one entry of `axis` per output element, the index tensor giving which.

import type { Backend } from '../backend/Backend.ts';
import { normalizeAxis, stridesOf } from '../tensor/shape.ts';
import { zeros } from '../tensor/create.ts';
import { makeTensor, sizeOf, type Tensor } from '../tensor/Tensor.ts';
import { checkTensor, fail, showShape } from './util.ts';

/**
 * `torch.gather(x, axis, index)`: the output has `index`'s shape and, for a rank-3 `x` and axis 0,
 * `out[i][j][k] = x[index[i][j][k]][j][k]` (axis 1: `x[i][index[i][j][k]][k]`, and so on).
 * `index` is int32 with `x`'s rank; along every other axis its size may be smaller than `x`'s,
 * as PyTorch allows. Indices must lie in `[0, x.shape[axis])` (no negative wrap-around, as torch).
 * This is not {@link gather}, which is NumPy's `take`.
 *
 * @example
 * ```ts
 * import { gatherAlong, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * const x = fromArray([[1, 2], [3, 4]]);
 * toNested(await gatherAlong(b, x, 1, fromArray([[0, 0], [1, 0]], 'int32'))); // [[1, 1], [4, 3]]
 * ```
 */
export async function gatherAlong(b: Backend, x: Tensor, axis: number, index: Tensor): Promise<Tensor> {
  const op = 'gatherAlong';
  checkTensor(op, x);
  checkTensor(op, index, 'index');
  if (index.dtype !== 'int32') fail('dtype', op, `index must be int32, got ${index.dtype}`);
  const rank = x.shape.length;
  if (index.shape.length !== rank) {
    fail('shape', op, `index must have the input's rank ${rank}, got index ${showShape(index.shape)} for input ${showShape(x.shape)}`);
  }
  const a = normalizeAxis(axis, rank, op);
  index.shape.forEach((d, k) => {
    if (k !== a && d > (x.shape[k] ?? 0)) {
      fail('shape', op, `index dims must not exceed the input's except on axis ${a}, got index ${showShape(index.shape)} for input ${showShape(x.shape)}`);
    }
  });
  const n = x.shape[a] ?? 0;
  // The flat offsets are built here in int32, exactly, rather than with float32 arange arithmetic
  // on the backend (exact only below 2^24 elements): the indices are host data that must be read
  // anyway to check their range, so this costs one pass over `index` and no kernel call.
  const xStrides = stridesOf(x.shape);
  const iShape = index.shape;
  const flat = new Int32Array(index.size);
  const coords = iShape.map(() => 0);
  for (let e = 0; e < index.size; e++) {
    const v = index.data[e] ?? 0;
    if (v < 0 || v >= n) fail('argument', op, `index must be in [0, ${n}) for axis ${a} of ${showShape(x.shape)}, got ${v}`);
    let offset = 0;
    for (let k = 0; k < rank; k++) offset += (k === a ? v : (coords[k] ?? 0)) * (xStrides[k] ?? 0);
    flat[e] = offset;
    // advance the row-major counter over index's shape
    for (let k = rank - 1; k >= 0; k--) {
      const c = (coords[k] ?? 0) + 1;
      if (c < (iShape[k] ?? 1)) {
        coords[k] = c;
        break;
      }
      coords[k] = 0;
    }
  }
  if (index.size === 0) return zeros(iShape, x.dtype);
  const flatX = await b.reshape(x, [sizeOf(x.shape)]);
  return b.gather(flatX, makeTensor(flat, iShape, 'int32'), 0);
}
