// Activation functions, composed from elementwise primitives.

import type { Backend } from '../backend/Backend.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { add, clamp, erf, maximum, mul, sigmoid, tanh } from './elementwise.ts';
import { asFloat, fail, type Operand } from './util.ts';

/** GELU variants: `'none'` is exact (erf), `'tanh'` PyTorch's tanh form, `'sigmoid'` `x·σ(1.702x)`. */
export type GeluApproximation = 'none' | 'tanh' | 'sigmoid';

/**
 * `max(x, 0)` (NaN propagates, as `torch.relu`).
 *
 * @example
 * ```ts
 * import { relu, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await relu(b, fromArray([-1, 2]))); // [0, 2]
 * ```
 */
export async function relu(b: Backend, x: Operand): Promise<Tensor> {
  return maximum(b, x, 0);
}

/**
 * `x > 0 ? x : negativeSlope * x` (`F.leaky_relu`, default slope 0.01).
 *
 * @example
 * ```ts
 * import { leakyRelu, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await leakyRelu(b, fromArray([-10, 2]), 0.1)); // [-1, 2]
 * ```
 */
export async function leakyRelu(b: Backend, x: Operand, negativeSlope = 0.01): Promise<Tensor> {
  const t = await asFloat(b, 'leakyRelu', x);
  return b.binary('prelu', t, await asFloat(b, 'leakyRelu', negativeSlope));
}

/**
 * `x · σ(x)` (also called swish).
 *
 * @example
 * ```ts
 * import { silu, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await silu(b, fromArray([0]))); // [0]
 * ```
 */
export async function silu(b: Backend, x: Operand): Promise<Tensor> {
  const t = await asFloat(b, 'silu', x);
  return mul(b, t, await sigmoid(b, t));
}

/**
 * Gaussian error linear unit. `approximate`: `'none'` (default, exact `x·Φ(x)`), `'tanh'`
 * (`F.gelu(approximate='tanh')`), `'sigmoid'` (`x·σ(1.702x)`, Refiners' `ApproximateGeLU`).
 *
 * @example
 * ```ts
 * import { gelu, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await gelu(b, fromArray([0]))); // [0]
 * ```
 */
export async function gelu(b: Backend, x: Operand, approximate: GeluApproximation = 'none'): Promise<Tensor> {
  const t = await asFloat(b, 'gelu', x);
  if (approximate === 'none') {
    const phi = await mul(b, await add(b, await erf(b, await mul(b, t, Math.SQRT1_2)), 1), 0.5);
    return mul(b, t, phi);
  }
  if (approximate === 'tanh') {
    const cube = await mul(b, await mul(b, await mul(b, t, t), t), 0.044715);
    const inner = await mul(b, await add(b, t, cube), Math.sqrt(2 / Math.PI));
    return mul(b, await mul(b, t, 0.5), await add(b, await tanh(b, inner), 1));
  }
  if (approximate === 'sigmoid') return mul(b, t, await sigmoid(b, await mul(b, t, 1.702)));
  return fail('argument', 'gelu', `approximate must be 'none', 'tanh' or 'sigmoid', got ${String(approximate)}`);
}

/**
 * `clamp(x / 6 + 1/2, 0, 1)` (`F.hardsigmoid`).
 *
 * @example
 * ```ts
 * import { hardSigmoid, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await hardSigmoid(b, fromArray([-3, 0, 3]))); // [0, 0.5, 1]
 * ```
 */
export async function hardSigmoid(b: Backend, x: Operand): Promise<Tensor> {
  const t = await asFloat(b, 'hardSigmoid', x);
  return clamp(b, await add(b, await mul(b, t, 1 / 6), 0.5), 0, 1);
}

/**
 * `x · hardSigmoid(x)` (`F.hardswish`).
 *
 * @example
 * ```ts
 * import { hardSwish, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await hardSwish(b, fromArray([-3, 3]))); // [-0, 3]
 * ```
 */
export async function hardSwish(b: Backend, x: Operand): Promise<Tensor> {
  const t = await asFloat(b, 'hardSwish', x);
  return mul(b, t, await hardSigmoid(b, t));
}
