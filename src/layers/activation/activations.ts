// Elementwise activations (Refiners' fl.ReLU, fl.SiLU, fl.GeLU, ... plus LeakyReLU, Tanh,
// HardSwish, HardSigmoid): shape in = shape out, no weights.
import type { Layer } from '../../core/Layer.ts';
import type { Kind } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { type GeluApproximation, gelu, hardSigmoid, hardSwish, leakyRelu, relu, silu } from '../../ops/activation.ts';
import { sigmoid, tanh } from '../../ops/elementwise.ts';
import type { Backend } from '../../backend/Backend.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { leaf, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

// --- model

function unaryKind(name: string, f: (b: Backend, x: Tensor) => Promise<Tensor>): Kind {
  return tensorKind({ name, forward: (b, args) => f(b, tensorArg(name, args)) });
}

/** The ReLU kind. */
export const ReLUKind = unaryKind('ReLU', relu);
/** The SiLU kind. */
export const SiLUKind = unaryKind('SiLU', silu);
/** The Sigmoid kind. */
export const SigmoidKind = unaryKind('Sigmoid', sigmoid);
/** The Tanh kind. */
export const TanhKind = unaryKind('Tanh', tanh);
/** The HardSwish kind. */
export const HardSwishKind = unaryKind('HardSwish', hardSwish);
/** The HardSigmoid kind. */
export const HardSigmoidKind = unaryKind('HardSigmoid', hardSigmoid);

/** The LeakyReLU kind. */
export const LeakyReLUKind = tensorKind<{ negativeSlope: number }>({
  name: 'LeakyReLU',
  defaults: { negativeSlope: 0.01 },
  forward: (b, args, { negativeSlope }) => leakyRelu(b, tensorArg('LeakyReLU', args), negativeSlope),
});

/** The GeLU kind. */
export const GeLUKind = tensorKind<{ approximation: GeluApproximation }>({
  name: 'GeLU',
  defaults: { approximation: 'none' },
  forward: (b, args, { approximation }) => gelu(b, tensorArg('GeLU', args), approximation),
});

// --- constructors

/**
 * `max(x, 0)`.
 *
 * @example
 * ```ts
 * import { ReLU, fromArray, toNested, run } from 'canopy';
 * toNested((await run(ReLU(), [fromArray([-1, 2])])).output); // [0, 2]
 * ```
 */
export function ReLU(): Layer<[Tensor], Tensor> {
  return leaf(ReLUKind, {});
}
ReLU.kind = ReLUKind;

/**
 * `x · σ(x)` (swish).
 *
 * @example
 * ```ts
 * import { SiLU, fromArray, toNested, run } from 'canopy';
 * toNested((await run(SiLU(), [fromArray([0])])).output); // [0]
 * ```
 */
export function SiLU(): Layer<[Tensor], Tensor> {
  return leaf(SiLUKind, {});
}
SiLU.kind = SiLUKind;

/**
 * The logistic function `1 / (1 + e⁻ˣ)`.
 *
 * @example
 * ```ts
 * import { Sigmoid, fromArray, toNested, run } from 'canopy';
 * toNested((await run(Sigmoid(), [fromArray([0])])).output); // [0.5]
 * ```
 */
export function Sigmoid(): Layer<[Tensor], Tensor> {
  return leaf(SigmoidKind, {});
}
Sigmoid.kind = SigmoidKind;

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { Tanh, fromArray, toNested, run } from 'canopy';
 * toNested((await run(Tanh(), [fromArray([0])])).output); // [0]
 * ```
 */
export function Tanh(): Layer<[Tensor], Tensor> {
  return leaf(TanhKind, {});
}
Tanh.kind = TanhKind;

/**
 * `x · clamp(x/6 + 1/2, 0, 1)`.
 *
 * @example
 * ```ts
 * import { HardSwish, fromArray, toNested, run } from 'canopy';
 * toNested((await run(HardSwish(), [fromArray([3])])).output); // [3]
 * ```
 */
export function HardSwish(): Layer<[Tensor], Tensor> {
  return leaf(HardSwishKind, {});
}
HardSwish.kind = HardSwishKind;

/**
 * `clamp(x/6 + 1/2, 0, 1)`.
 *
 * @example
 * ```ts
 * import { HardSigmoid, fromArray, toNested, run } from 'canopy';
 * toNested((await run(HardSigmoid(), [fromArray([0])])).output); // [0.5]
 * ```
 */
export function HardSigmoid(): Layer<[Tensor], Tensor> {
  return leaf(HardSigmoidKind, {});
}
HardSigmoid.kind = HardSigmoidKind;

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
 * import { LeakyReLU, fromArray, toNested, run } from 'canopy';
 * toNested((await run(LeakyReLU({ negativeSlope: 0.5 }), [fromArray([-2])])).output); // [-1]
 * ```
 */
export function LeakyReLU(options: LeakyReLUOptions = {}): Layer<[Tensor], Tensor> {
  const { negativeSlope = 0.01 } = options;
  if (!Number.isFinite(negativeSlope)) throw new CanopyError('argument', `LeakyReLU: negativeSlope must be finite, got ${negativeSlope}`);
  return leaf(LeakyReLUKind, { negativeSlope });
}
LeakyReLU.kind = LeakyReLUKind;

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
 * import { GeLU, fromArray, toNested, run } from 'canopy';
 * toNested((await run(GeLU({ approximation: 'tanh' }), [fromArray([0])])).output); // [0]
 * ```
 */
export function GeLU(options: GeLUOptions = {}): Layer<[Tensor], Tensor> {
  const { approximation = 'none' } = options;
  if (!['none', 'tanh', 'sigmoid'].includes(approximation)) {
    throw new CanopyError('argument', `GeLU: approximation must be 'none', 'tanh' or 'sigmoid', got ${String(approximation)}`);
  }
  return leaf(GeLUKind, { approximation });
}
GeLU.kind = GeLUKind;
