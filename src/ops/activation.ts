// Activation functions, composed from the elementwise ops, except where a primitive saves passes
// (src/backend/Backend.ts): leakyRelu is the `prelu` primitive (one pass instead of compare,
// multiply and select), exact gelu and silu are the `gelu` and `silu` unary primitives.

import type { Backend } from '../backend/Backend.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { add, binaryOp, clamp, maximum, mul, sigmoid, tanh } from './elementwise.ts';
import { asFloat, fail, type Operand } from './util.ts';

/** GELU variants: `'none'` is exact (erf), `'tanh'` PyTorch's tanh form, `'sigmoid'` `x·σ(1.702x)`. */
export type GeluApproximation = 'none' | 'tanh' | 'sigmoid';

const prelu = binaryOp('prelu', 'leakyRelu');

/**
 * The activations, as PyTorch's `F.*`: `relu` is `max(x, 0)` (NaN propagates), `leakyRelu` is
 * `x > 0 ? x : negativeSlope · x` (slope 0.01 by default), `silu` is `x·σ(x)` (swish),
 * `hardSigmoid` is `clamp(x/6 + 1/2, 0, 1)` and `hardSwish` is `x · hardSigmoid(x)`.
 *
 * @example
 * ```ts
 * import { relu, leakyRelu, silu, hardSigmoid, hardSwish, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await relu(b, fromArray([-1, 2]))); // [0, 2]
 * toNested(await leakyRelu(b, fromArray([-10, 2]), 0.1)); // [-1, 2]
 * toNested(await silu(b, fromArray([0]))); // [0]
 * toNested(await hardSigmoid(b, fromArray([-3, 0, 3]))); // [0, 0.5, 1]
 * toNested(await hardSwish(b, fromArray([-3, 3]))); // [-0, 3]
 * ```
 */
export const relu = (b: Backend, x: Operand): Promise<Tensor> => maximum(b, x, 0);
/** `x > 0 ? x : negativeSlope · x` (`F.leaky_relu`), see {@link relu}. */
export const leakyRelu = (b: Backend, x: Operand, negativeSlope = 0.01): Promise<Tensor> => prelu(b, x, negativeSlope);
/** `x · σ(x)` (`F.silu`), see {@link relu}. */
export async function silu(b: Backend, x: Operand): Promise<Tensor> {
  return b.unary('silu', await asFloat(b, 'silu', x));
}
/** `clamp(x/6 + 1/2, 0, 1)` (`F.hardsigmoid`), see {@link relu}. */
export async function hardSigmoid(b: Backend, x: Operand): Promise<Tensor> {
  const t = await asFloat(b, 'hardSigmoid', x);
  return clamp(b, await add(b, await mul(b, t, 1 / 6), 0.5), 0, 1);
}
/** `x · hardSigmoid(x)` (`F.hardswish`), see {@link relu}. */
export async function hardSwish(b: Backend, x: Operand): Promise<Tensor> {
  const t = await asFloat(b, 'hardSwish', x);
  return mul(b, t, await hardSigmoid(b, t));
}

/**
 * Gaussian error linear unit. `approximate`: `'none'` (default, exact `x·Φ(x)`), `'tanh'`
 * (`F.gelu(approximate='tanh')`), `'sigmoid'` (`x·σ(1.702x)`, Refiners' `ApproximateGeLU`).
 *
 * @example
 * ```ts
 * import { gelu, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await gelu(b, fromArray([0]))); // [0]
 * ```
 */
export async function gelu(b: Backend, x: Operand, approximate: GeluApproximation = 'none'): Promise<Tensor> {
  const t = await asFloat(b, 'gelu', x);
  if (approximate === 'none') return b.unary('gelu', t);
  if (approximate === 'tanh') {
    const cube = await mul(b, await mul(b, await mul(b, t, t), t), 0.044715);
    const inner = await mul(b, await add(b, t, cube), Math.sqrt(2 / Math.PI));
    return mul(b, await mul(b, t, 0.5), await add(b, await tanh(b, inner), 1));
  }
  if (approximate === 'sigmoid') return mul(b, t, await sigmoid(b, await mul(b, t, 1.702)));
  return fail('argument', 'gelu', `approximate must be 'none', 'tanh' or 'sigmoid', got ${String(approximate)}`);
}
