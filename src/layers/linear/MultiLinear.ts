// MultiLinear: an MLP of Linear layers with ReLU between them (Refiners' fl.MultiLinear).
import type { AnyLayer } from '../../core/Layer.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { ReLU } from '../activation/activations.ts';
import { type Body, defineContainer } from '../define.ts';
import type { SeedOptions } from '../init.ts';
import { deriveSeed } from '../../tensor/random.ts';
import { Chain } from '../structural/Chain.ts';
import { Linear } from './Linear.ts';

/** Options of {@link MultiLinear}. */
export interface MultiLinearOptions extends SeedOptions {
  readonly inputDim: number;
  readonly outputDim: number;
  /** Width of the hidden layers. */
  readonly innerDim: number;
  /** Number of Linear layers (at least 1). */
  readonly numLayers: number;
}

/**
 * `numLayers - 1` times [Linear, ReLU], then a Linear: `[..., inputDim]` → `[..., outputDim]`.
 * A Chain; state-dict keys `Linear_1.weight`, ... as in Refiners.
 *
 * @example
 * ```ts
 * import { MultiLinear, zeros, run } from 'canopy-nn';
 * const mlp = MultiLinear({ inputDim: 4, outputDim: 2, innerDim: 8, numLayers: 3 });
 * (await run(mlp, [zeros([1, 4])])).output.shape; // [1, 2]
 * ```
 */
export const MultiLinear = defineContainer({
  name: 'MultiLinear',
  options: { inputDim: true, outputDim: true, innerDim: true, numLayers: true, seed: true },
  extends: Chain,
  init: ({ inputDim, outputDim, innerDim, numLayers, seed = 0 }: MultiLinearOptions): Body<[Tensor], Tensor> => {
    checkPositiveInt('MultiLinear', numLayers, 'numLayers');
    const children: AnyLayer[] = [];
    for (let i = 0; i < numLayers; i++) {
      const inFeatures = i === 0 ? inputDim : innerDim;
      const outFeatures = i === numLayers - 1 ? outputDim : innerDim;
      children.push(Linear({ inFeatures, outFeatures, seed: deriveSeed(seed, i) }));
      if (i < numLayers - 1) children.push(ReLU());
    }
    return { attrs: { inputDim, outputDim, innerDim, numLayers }, children };
  },
});
