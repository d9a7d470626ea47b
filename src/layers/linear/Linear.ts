// Linear: `x Wᵀ + b` over the last axis (Refiners' fl.Linear, wrapping torch.nn.Linear).
import type { Layer, Params } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { linear } from '../../ops/linalg.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { kaimingUniform, subSeed, type SeedOptions } from '../init.ts';
import { checkPositive, leaf, param, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

// --- model

/** Options of {@link Linear}. */
export interface LinearOptions extends SeedOptions {
  /** Size of the last input axis. */
  readonly inFeatures: number;
  /** Size of the last output axis. */
  readonly outFeatures: number;
  /** Learn an additive bias. Default `true`. */
  readonly bias?: boolean;
}

/** The Linear kind. */
export const LinearKind = tensorKind<{ inFeatures: number; outFeatures: number; bias: boolean }>({
  name: 'Linear',
  defaults: { bias: true },
  forward: (b, args, attrs, params) => {
    const x = tensorArg('Linear', args);
    if (x.shape.length === 0 || x.shape.at(-1) !== attrs.inFeatures) {
      throw new CanopyError('shape', `Linear: input must be [..., ${attrs.inFeatures}], got ${showShape(x.shape)}`);
    }
    return linear(b, x, param('Linear', params, 'weight'), params['bias']);
  },
});

// --- constructors

/**
 * A fully connected layer: `[..., inFeatures]` → `[..., outFeatures]`. Params `weight`
 * `[outFeatures, inFeatures]` and `bias` `[outFeatures]`, initialised as PyTorch does
 * (U(-1/√inFeatures, 1/√inFeatures)) from `seed`.
 *
 * @example
 * ```ts
 * import { Linear, zeros, run } from 'canopy';
 * const { output } = await run(Linear({ inFeatures: 4, outFeatures: 2 }), [zeros([3, 4])]);
 * output.shape; // [3, 2]
 * ```
 */
export function Linear(options: LinearOptions): Layer<[Tensor], Tensor> {
  const { inFeatures, outFeatures, bias = true, seed = 0 } = options;
  checkPositive('Linear', 'inFeatures', inFeatures);
  checkPositive('Linear', 'outFeatures', outFeatures);
  const weight = kaimingUniform([outFeatures, inFeatures], inFeatures, subSeed(seed, 0));
  const params: Params = bias ? { weight, bias: kaimingUniform([outFeatures], inFeatures, subSeed(seed, 1)) } : { weight };
  return leaf(LinearKind, { inFeatures, outFeatures, bias }, params);
}
Linear.kind = LinearKind;
