// Indexing ops: gather (NumPy `take` along an axis), indexSelect, embedding lookup.

import type { Backend } from '../backend/Backend.ts';
import { normalizeAxis } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { checkRank, checkTensor, fail, showShape } from './util.ts';

/**
 * Picks entries of `axis` by int32 `indices` of any shape: the output shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]` (NumPy `take`, tfjs `gather`; this is NOT
 * `torch.gather`, see `gatherAlong`). Every index must be in `[0, x.shape[axis])`. PyTorch's
 * names of the same op: `indexSelect` (`torch.index_select`, a 1-D `index`) and `embedding`
 * (`F.embedding(ids, weight)`: `weight [num, dim]`, output `[...ids.shape, dim]`).
 *
 * @example
 * ```ts
 * import { gather, indexSelect, embedding, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await gather(b, fromArray([10, 20, 30]), fromArray([[2, 0]], 'int32'))); // [[30, 10]]
 * toNested(await indexSelect(b, fromArray([[1, 2], [3, 4]]), 1, fromArray([1], 'int32'))); // [[2], [4]]
 * toNested(await embedding(b, fromArray([2, 1], 'int32'), fromArray([[0, 0], [1, 1], [2, 2]]))); // [[2, 2], [1, 1]]
 * ```
 */
export async function gather(b: Backend, x: Tensor, indices: Tensor, axis = 0): Promise<Tensor> {
  return take(b, 'gather', x, indices, axis);
}

async function take(b: Backend, op: string, x: Tensor, indices: Tensor, axis: number): Promise<Tensor> {
  checkTensor(op, x);
  checkTensor(op, indices, 'indices');
  if (indices.dtype !== 'int32') fail('dtype', op, `indices must be int32, got ${indices.dtype}`);
  const a = normalizeAxis(axis, x.shape.length, op);
  const n = x.shape[a] ?? 0;
  for (const i of indices.data) {
    if (i < 0 || i >= n) fail('argument', op, `indices must be in [0, ${n}) for axis ${a} of ${showShape(x.shape)}, got ${i}`);
  }
  return b.gather(x, indices, a);
}

/** `torch.index_select`: entries of `axis` picked by a 1-D int32 `index`; see {@link gather}. */
export async function indexSelect(b: Backend, x: Tensor, axis: number, index: Tensor): Promise<Tensor> {
  checkTensor('indexSelect', index, 'index');
  checkRank('indexSelect', index, [1], 'index');
  return take(b, 'indexSelect', x, index, axis);
}

/** Embedding lookup (`F.embedding(ids, weight)`): `[...ids.shape, dim]`; see {@link gather}. */
export async function embedding(b: Backend, ids: Tensor, weight: Tensor): Promise<Tensor> {
  checkTensor('embedding', weight, 'weight');
  checkRank('embedding', weight, [2], 'weight');
  return take(b, 'embedding', weight, ids, 0);
}
