// Seeded initialisation with PyTorch's default schemes, in distribution: the same seed gives the
// same weights on every run and machine (counter-based RNG, see src/tensor/random.ts).
//
// PyTorch's Linear and Conv use `kaiming_uniform_(a=√5)`, which works out to U(-1/√fan_in,
// 1/√fan_in) for the weight, and the same bound for the bias. Norms start at `ones` / `zeros`,
// Embedding and Refiners' Parameter at `randn` (N(0, 1)): the tensor constructors, no second door.
import { CanopyError } from '../errors.ts';
import { uniform } from '../tensor/random.ts';
import type { Tensor } from '../tensor/Tensor.ts';

// --- model

/** The seed option every parametric layer takes. */
export interface SeedOptions {
  /**
   * Seed of the layer's initial weights. Default `0`. Give sibling layers different seeds (or
   * build them with a composite layer, which derives one per child) so they do not start equal.
   */
  readonly seed?: number;
}

// --- constructors

/**
 * `U(-1/√fanIn, 1/√fanIn)`: PyTorch's default for Linear and Conv weights and biases.
 *
 * @example
 * ```ts
 * import { kaimingUniform } from 'canopy-nn';
 * const w = kaimingUniform([8, 4], 4, 0);
 * w.data.every((v) => Math.abs(v) <= 0.5); // true
 * ```
 */
export function kaimingUniform(shape: readonly number[], fanIn: number, seed: number): Tensor {
  if (!(fanIn > 0)) throw new CanopyError('argument', `kaimingUniform: fanIn must be positive, got ${fanIn}`);
  const bound = 1 / Math.sqrt(fanIn);
  return uniform(shape, seed, -bound, bound);
}
