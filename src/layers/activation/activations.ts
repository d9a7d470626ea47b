// Elementwise layers without weights (Refiners' fl.ReLU, fl.SiLU, fl.GeLU, ... plus LeakyReLU,
// Tanh, HardSwish, HardSigmoid, Sin, Cos): shape in = shape out. Those without options are
// generated from one table over the ops.
import type { Backend } from '../../backend/Backend.ts';
import { CanopyError } from '../../errors.ts';
import { type GeluApproximation, gelu, hardSigmoid, hardSwish, leakyRelu, relu, silu } from '../../ops/activation.ts';
import { cos, sigmoid, sin, tanh } from '../../ops/elementwise.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

// --- constructors

/** A layer applying `op` to its one tensor input. */
const unary = (name: string, op: (b: Backend, x: Tensor) => Promise<Tensor>) =>
  defineLayer({ name, inputs: ['tensor'], forward: ([x]: [Tensor], _self, env) => op(backendOf(env), x) });

/**
 * The activations without options, by kind name. Each is a constructor taking nothing.
 *
 * @example
 * ```ts
 * import { ReLU, Sigmoid, fromArray, toNested, run } from 'canopy-nn';
 * toNested((await run(ReLU(), [fromArray([-1, 2])])).output); // [0, 2]
 * toNested((await run(Sigmoid(), [fromArray([0])])).output); // [0.5]
 * ```
 */
export const activations = {
  /** `max(x, 0)`. */
  ReLU: unary('ReLU', relu),
  /** `x · σ(x)` (swish). */
  SiLU: unary('SiLU', silu),
  /** The logistic function `1 / (1 + e⁻ˣ)`. */
  Sigmoid: unary('Sigmoid', sigmoid),
  /** Hyperbolic tangent. */
  Tanh: unary('Tanh', tanh),
  /** `x · clamp(x/6 + 1/2, 0, 1)`. */
  HardSwish: unary('HardSwish', hardSwish),
  /** `clamp(x/6 + 1/2, 0, 1)`. */
  HardSigmoid: unary('HardSigmoid', hardSigmoid),
  /** Elementwise sine. */
  Sin: unary('Sin', sin),
  /** Elementwise cosine. */
  Cos: unary('Cos', cos),
};

export const { ReLU, SiLU, Sigmoid, Tanh, HardSwish, HardSigmoid, Sin, Cos } = activations;

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions {
  /** Slope for negative inputs. Default `0.01`. */
  readonly negativeSlope?: number;
}

/**
 * `x > 0 ? x : negativeSlope · x`.
 *
 * @example
 * ```ts
 * import { LeakyReLU, fromArray, toNested, run } from 'canopy-nn';
 * toNested((await run(LeakyReLU({ negativeSlope: 0.5 }), [fromArray([-2])])).output); // [-1]
 * ```
 */
export const LeakyReLU = defineLayer({
  name: 'LeakyReLU',
  defaults: { negativeSlope: 0.01 },
  inputs: ['tensor'],
  init: ({ negativeSlope = 0.01 }: LeakyReLUOptions = {}) => {
    if (!Number.isFinite(negativeSlope)) throw new CanopyError('argument', `LeakyReLU: negativeSlope must be finite, got ${negativeSlope}`);
    return { attrs: { negativeSlope } };
  },
  forward: ([x]: [Tensor], { attrs }, env) => leakyRelu(backendOf(env), x, attrs.negativeSlope),
});

/** Options of {@link GeLU}. */
export interface GeLUOptions {
  /** `'none'` (exact, default), `'tanh'`, or `'sigmoid'` (`x·σ(1.702x)`, CLIP's quick GeLU). */
  readonly approximation?: GeluApproximation;
}

/**
 * Gaussian error linear unit.
 *
 * @example
 * ```ts
 * import { GeLU, fromArray, toNested, run } from 'canopy-nn';
 * toNested((await run(GeLU({ approximation: 'tanh' }), [fromArray([0])])).output); // [0]
 * ```
 */
export const GeLU = defineLayer({
  name: 'GeLU',
  defaults: { approximation: 'none' },
  inputs: ['tensor'],
  init: ({ approximation = 'none' }: GeLUOptions = {}) => {
    if (!['none', 'tanh', 'sigmoid'].includes(approximation)) {
      throw new CanopyError('argument', `GeLU: approximation must be 'none', 'tanh' or 'sigmoid', got ${String(approximation)}`);
    }
    return { attrs: { approximation } };
  },
  forward: ([x]: [Tensor], { attrs }, env) => gelu(backendOf(env), x, attrs.approximation),
});
