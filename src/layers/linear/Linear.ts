// Linear: `x Wᵀ + b` over the last axis (Refiners' fl.Linear, wrapping torch.nn.Linear).
import { CanopyError } from '../../errors.ts';
import { linear } from '../../ops/linalg.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';
import { kaimingUniform, type SeedOptions } from '../init.ts';
import { deriveSeed } from '../../tensor/random.ts';

/** Options of {@link Linear}. */
export interface LinearOptions extends SeedOptions {
  /** Size of the last input axis. */
  readonly inFeatures: number;
  /** Size of the last output axis. */
  readonly outFeatures: number;
  /** Learn an additive bias. Default `true`. */
  readonly bias?: boolean;
}

/**
 * A fully connected layer: `[..., inFeatures]` → `[..., outFeatures]`. Params `weight`
 * `[outFeatures, inFeatures]` and `bias` `[outFeatures]`, initialised as PyTorch does
 * (U(-1/√inFeatures, 1/√inFeatures)) from `seed`.
 *
 * @example
 * ```ts
 * import { Linear, zeros, run } from 'canopy-nn';
 * const { output } = await run(Linear({ inFeatures: 4, outFeatures: 2 }), [zeros([3, 4])]);
 * output.shape; // [3, 2]
 * ```
 */
export const Linear = defineLayer({
  name: 'Linear',
  defaults: { bias: true },
  inputs: ['tensor'],
  init: ({ inFeatures, outFeatures, bias = true, seed = 0 }: LinearOptions) => {
    checkPositiveInt('Linear', inFeatures, 'inFeatures');
    checkPositiveInt('Linear', outFeatures, 'outFeatures');
    const weight = kaimingUniform([outFeatures, inFeatures], inFeatures, deriveSeed(seed, 0));
    const params: { weight: Tensor; bias?: Tensor } = bias ? { weight, bias: kaimingUniform([outFeatures], inFeatures, deriveSeed(seed, 1)) } : { weight };
    return { attrs: { inFeatures, outFeatures, bias }, params };
  },
  options: { inFeatures: true, outFeatures: true, bias: true, seed: true },
  forward: ([x]: [Tensor], { attrs, params }, env) => {
    if (x.shape.length === 0 || x.shape.at(-1) !== attrs.inFeatures) {
      throw new CanopyError('shape', `Linear: input must be [..., ${attrs.inFeatures}], got ${showShape(x.shape)}`);
    }
    return linear(backendOf(env), x, params.weight, params.bias);
  },
});
