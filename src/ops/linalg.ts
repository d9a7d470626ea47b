// Matrix products: matmul (batched, broadcast batch dims, 1-D operands as torch) and linear.

import type { Backend } from '../backend/Backend.ts';
import { broadcastShapes } from '../tensor/shape.ts';
import { sizeOf, type Tensor } from '../tensor/Tensor.ts';
import { deviceMark, releaseDead } from '../tensor/device.ts';
import { add } from './elementwise.ts';
import { broadcastTo } from './shape.ts';
import { asFloat, checkRank, fail, showShape } from './util.ts';

/**
 * Matrix product with `torch.matmul` semantics: `[..., M, K] x [..., K, N] -> [..., M, N]`, batch
 * dims broadcast; a 1-D left operand is a row vector and a 1-D right operand a column vector
 * (their added axis is removed from the result).
 *
 * @example
 * ```ts
 * import { matmul, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await matmul(b, fromArray([[1, 2]]), fromArray([[3], [4]]))); // [[11]]
 * (await matmul(b, fromArray([[[1, 2]]]), fromArray([[1], [1]]))).shape; // [1, 1, 1]
 * ```
 */
export async function matmul(b: Backend, x: Tensor, y: Tensor): Promise<Tensor> {
  let a = await asFloat(b, 'matmul', x, 'left operand');
  let c = await asFloat(b, 'matmul', y, 'right operand');
  if (a.shape.length === 0 || c.shape.length === 0) {
    fail('shape', 'matmul', `operands must be at least 1-D, got ${showShape(a.shape)} and ${showShape(c.shape)}`);
  }
  const vecA = a.shape.length === 1;
  const vecC = c.shape.length === 1;
  if (vecA) a = await b.reshape(a, [1, a.shape[0] ?? 0]);
  if (vecC) c = await b.reshape(c, [c.shape[0] ?? 0, 1]);
  const [M = 0, K = 0] = a.shape.slice(-2);
  const [K2 = 0, N = 0] = c.shape.slice(-2);
  if (K !== K2) {
    fail('shape', 'matmul', `inner dimensions must match, got ${showShape(x.shape)} and ${showShape(y.shape)} (${K} vs ${K2})`);
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), c.shape.slice(0, -2), 'matmul');
  const B = sizeOf(batch);
  a = await b.reshape(await broadcastTo(b, a, [...batch, M, K]), [B, M, K]);
  c = await b.reshape(await broadcastTo(b, c, [...batch, K, N]), [B, K, N]);
  const out = await b.matmul(a, c);
  const shape = [...batch, ...(vecA ? [] : [M]), ...(vecC ? [] : [N])];
  return b.reshape(out, shape);
}

/**
 * `x Wᵀ + bias` (`F.linear`): `x [..., in]`, `weight [out, in]`, `bias [out]` → `[..., out]`.
 *
 * @example
 * ```ts
 * import { linear, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * const w = fromArray([[1, 0], [1, 1], [0, 2]]);
 * toNested(await linear(b, fromArray([[1, 2]]), w, fromArray([0, 0, 1]))); // [[1, 3, 5]]
 * ```
 */
export async function linear(b: Backend, x: Tensor, weight: Tensor, bias?: Tensor): Promise<Tensor> {
  const t = await asFloat(b, 'linear', x);
  const w = await asFloat(b, 'linear', weight, 'weight');
  checkRank('linear', w, [2], 'weight');
  if (t.shape.length === 0) fail('shape', 'linear', `input must be at least 1-D, got ${showShape(t.shape)}`);
  const [out = 0, inF = 0] = w.shape;
  if (t.shape.at(-1) !== inF) {
    fail('shape', 'linear', `input features must match weight [out, in], got input ${showShape(t.shape)} and weight ${showShape(w.shape)}`);
  }
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== out)) {
    fail('shape', 'linear', `bias must be [${out}] for weight ${showShape(w.shape)}, got ${showShape(bias.shape)}`);
  }
  const rows = sizeOf(t.shape.slice(0, -1));
  // On a device the transposed weight and the product before the bias are released once used.
  const mark = deviceMark();
  const wt = await b.permute(w, [1, 0]);
  const x3 = await b.reshape(t, [1, rows, inF]);
  const w3 = await b.reshape(wt, [1, inF, out]);
  const y = await b.matmul(x3, w3);
  const shaped = await b.reshape(y, [...t.shape.slice(0, -1), out]);
  if (bias === undefined) {
    releaseDead([wt, x3, w3, y], mark, shaped);
    return shaped;
  }
  const biased = await add(b, shaped, bias);
  releaseDead([wt, x3, w3, y, shaped], mark, biased);
  return biased;
}
