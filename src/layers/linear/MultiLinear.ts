// MultiLinear: an MLP of Linear layers with ReLU between them (Refiners' fl.MultiLinear).
import type { AnyLayer, Layer } from '../../core/Layer.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { ReLU } from '../activation/activations.ts';
import { subSeed, type SeedOptions } from '../init.ts';
import { chainKind, chainOf, checkPositive } from '../misc/tensorLayer.ts';
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

/** The MultiLinear kind (a Chain). */
export const MultiLinearKind = chainKind('MultiLinear');

/**
 * `numLayers - 1` times [Linear, ReLU], then a Linear: `[..., inputDim]` → `[..., outputDim]`.
 * State-dict keys `Linear_1.weight`, ... as in Refiners.
 *
 * @example
 * ```ts
 * import { MultiLinear, zeros, run } from 'canopy';
 * const mlp = MultiLinear({ inputDim: 4, outputDim: 2, innerDim: 8, numLayers: 3 });
 * (await run(mlp, [zeros([1, 4])])).output.shape; // [1, 2]
 * ```
 */
export function MultiLinear(options: MultiLinearOptions): Layer<[Tensor], Tensor> {
  const { inputDim, outputDim, innerDim, numLayers, seed = 0 } = options;
  checkPositive('MultiLinear', 'numLayers', numLayers);
  const children: AnyLayer[] = [];
  for (let i = 0; i < numLayers; i++) {
    const inF = i === 0 ? inputDim : innerDim;
    const outF = i === numLayers - 1 ? outputDim : innerDim;
    children.push(Linear({ inFeatures: inF, outFeatures: outF, seed: subSeed(seed, i) }));
    if (i < numLayers - 1) children.push(ReLU());
  }
  return chainOf(MultiLinearKind, { inputDim, outputDim, innerDim, numLayers }, children);
}
MultiLinear.kind = MultiLinearKind;
