// Numerically stable softmax and log-softmax: subtract the maximum before exponentiating.

import type { Backend } from '../backend/Backend.ts';
import { reductionAxes } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { asFloat, fail, showShape, type Operand } from './util.ts';

// The axis as a list: empty for a 0-d tensor (axis 0 or -1, as PyTorch: its softmax is 1).
async function shifted(b: Backend, name: string, x: Operand, axis: number): Promise<[Tensor, number[]]> {
  const t = await asFloat(b, name, x);
  const ax = reductionAxes(axis, t.shape.length, name);
  if (ax.some((a) => t.shape[a] === 0)) fail('shape', name, `axis must be non-empty, got axis ${ax[0]} of ${showShape(t.shape)}`);
  return [await b.binary('sub', t, await b.reduce('max', t, ax, true)), ax];
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default last), computed as `exp(x - max)` so large inputs
 * do not overflow. A row of all `-Infinity` gives NaN, as PyTorch.
 *
 * @example
 * ```ts
 * import { softmax, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await softmax(b, fromArray([0, 0]))); // [0.5, 0.5]
 * toNested(await softmax(b, fromArray([1000, 1000]))); // [0.5, 0.5]
 * ```
 */
export async function softmax(b: Backend, x: Operand, axis = -1): Promise<Tensor> {
  const [s, ax] = await shifted(b, 'softmax', x, axis);
  const e = await b.unary('exp', s);
  return b.binary('div', e, await b.reduce('sum', e, ax, true));
}

/**
 * `x - logsumexp(x)` along `axis` (default last), stable for large inputs.
 *
 * @example
 * ```ts
 * import { logSoftmax, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await logSoftmax(b, fromArray([0, 0]))); // [-0.6931471824645996, -0.6931471824645996]
 * ```
 */
export async function logSoftmax(b: Backend, x: Operand, axis = -1): Promise<Tensor> {
  const [s, ax] = await shifted(b, 'logSoftmax', x, axis);
  const lse = await b.unary('log', await b.reduce('sum', await b.unary('exp', s), ax, true));
  return b.binary('sub', s, lse);
}
