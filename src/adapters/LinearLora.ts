// LinearLora: a LoRA for a Linear target, two bias-free Linears (in → rank → out) and a scale.
import { Linear } from '../layers/linear/Linear.ts';
import { checkPositiveInt } from '../ops/util.ts';
import { checkScale, LinearLoraKind, makeLora, type Lora, type LoraOptions } from './Lora.ts';

// --- model

/** Options of {@link LinearLora}. */
export interface LinearLoraOptions extends LoraOptions {
  /** The target's input features. */
  readonly inFeatures: number;
  /** The target's output features. */
  readonly outFeatures: number;
}

// --- constructors

/**
 * A LoRA for a Linear: `[..., inFeatures]` → `[..., outFeatures]`, `scale · up(down(x))`. Fresh,
 * it outputs zeros (up = 0); `down` ~ N(0, (1/rank)²) from `seed`.
 *
 * @example
 * ```ts
 * import { LinearLora, zeros, run, referenceBackend } from 'canopy';
 * const l = LinearLora('style', { inFeatures: 4, outFeatures: 2, rank: 2 });
 * (await run(l, [zeros([3, 4])], { backend: referenceBackend })).output.shape; // [3, 2]
 * ```
 */
export function LinearLora(name: string, options: LinearLoraOptions): Lora {
  const { inFeatures, outFeatures, rank = 16, scale = 1, seed = 0 } = options;
  checkPositiveInt('LinearLora', rank, 'rank');
  checkScale('LinearLora', scale);
  const down = Linear({ inFeatures, outFeatures: rank, bias: false });
  const up = Linear({ inFeatures: rank, outFeatures, bias: false });
  return makeLora(LinearLoraKind, { inFeatures, outFeatures, name }, down, up, scale, rank, seed);
}
LinearLora.kind = LinearLoraKind;
