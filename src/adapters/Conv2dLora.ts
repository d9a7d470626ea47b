// Conv2dLora: a LoRA for a Conv2d target, two bias-free Conv2d (in → rank → out) and a scale.
// Refiners' defaults: kernel (1, 3), padding (0, 1), stride (1, 1): a 1×1 projection down, then a
// 3×3 up that keeps the spatial size. When attached, down takes the target's stride so that the
// LoRA's output has the target's spatial size.
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';
import { Conv2d } from '../layers/conv/Conv2d.ts';
import { checkPositiveInt } from '../ops/util.ts';
import { checkScale, Conv2dLoraKind, loraDown, makeLora, requireLora, type Lora, type LoraOptions } from './Lora.ts';
import { makeLayer } from '../core/Layer.ts';

// --- model

/** Options of {@link Conv2dLora}. */
export interface Conv2dLoraOptions extends LoraOptions {
  /** The target's input channels. */
  readonly inChannels: number;
  /** The target's output channels. */
  readonly outChannels: number;
  /** Kernel sizes of down and up. Default `[1, 3]`. */
  readonly kernelSize?: readonly [number, number];
  /** Strides of down and up. Default `[1, 1]` (down takes the target's stride when attached). */
  readonly stride?: readonly [number, number];
  /** Paddings of down and up. Default `[0, 1]`. */
  readonly padding?: readonly [number, number];
}

// --- constructors

/**
 * A LoRA for a Conv2d: `[N, inChannels, H, W]` → `[N, outChannels, H', W']`,
 * `scale · up(down(x))`; fresh, it outputs zeros.
 *
 * @example
 * ```ts
 * import { Conv2dLora, zeros, run, referenceBackend } from 'canopy';
 * const l = Conv2dLora('style', { inChannels: 3, outChannels: 4, rank: 2 });
 * (await run(l, [zeros([1, 3, 5, 5])], { backend: referenceBackend })).output.shape; // [1, 4, 5, 5]
 * ```
 */
export function Conv2dLora(name: string, options: Conv2dLoraOptions): Lora {
  const { inChannels, outChannels, rank = 16, scale = 1, seed = 0 } = options;
  const [k0, k1] = options.kernelSize ?? [1, 3];
  const [s0, s1] = options.stride ?? [1, 1];
  const [p0, p1] = options.padding ?? [0, 1];
  checkPositiveInt('Conv2dLora', rank, 'rank');
  checkScale('Conv2dLora', scale);
  const down = Conv2d({ inChannels, outChannels: rank, kernelSize: k0, stride: s0, padding: p0, useBias: false });
  const up = Conv2d({ inChannels: rank, outChannels, kernelSize: k1, stride: s1, padding: p1, useBias: false });
  const attrs = { inChannels, outChannels, kernelSize: [k0, k1], stride: [s0, s1], padding: [p0, p1], name };
  return makeLora(Conv2dLoraKind, attrs, down, up, scale, rank, seed);
}
Conv2dLora.kind = Conv2dLoraKind;

// --- combinators

/** The LoRA with `down`'s stride set to `target`'s (Refiners does this in `is_compatible`), so a LoRA on a strided conv produces the target's output size; Linear LoRAs are returned as they are. @internal */
export function withTargetStride<L extends AnyLayer>(lora: L, target: AnyLayer): L {
  requireLora('withTargetStride', lora);
  const stride = target.attrs['stride'];
  const down = loraDown(lora);
  if (!Array.isArray(stride) || !Array.isArray(down.attrs['stride'])) return lora;
  const cur = down.attrs['stride'] as readonly number[];
  if (cur[0] === stride[0] && cur[1] === stride[1]) return lora;
  const d = makeLayer(down.kind, { ...down.attrs, stride: [stride[0], stride[1]] }, down.children, { params: down.params });
  return withChildren(lora, [d, lora.children[1]!, lora.children[2]!]) as L;
}
