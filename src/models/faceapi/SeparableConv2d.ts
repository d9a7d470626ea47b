// TensorFlow's separableConv2d as a canopy chain: a depthwise Conv2d (groups = channels, no bias)
// then a pointwise 1×1 Conv2d with the bias, so that adapters (LoRA) can target the pointwise
// convolutions by kind and size like any other Conv2d.
import { Conv2d } from '../../layers/conv/Conv2d.ts';
import { type Body, defineContainer } from '../../layers/define.ts';
import { Chain } from '../../layers/structural/Chain.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { SamePad } from './SamePad.ts';

// --- model

/** Options of {@link SeparableConv2d}. */
export interface SeparableConv2dOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  /** Stride of the depthwise 3×3 convolution. Default `1`. */
  readonly stride?: number;
}

// --- constructors

/**
 * `[N, in, H, W]` → `[N, out, ceil(H/s), ceil(W/s)]`: 3×3 depthwise convolution with TensorFlow
 * "SAME" padding (symmetric 1 at stride 1; a {@link SamePad} before it at stride 2), then a 1×1
 * convolution with bias. Keys: `Conv2d_1.weight` (depthwise `[in, 1, 3, 3]`), `Conv2d_2.weight`
 * `[out, in, 1, 1]` and `Conv2d_2.bias`.
 *
 * @example
 * ```ts
 * import { SeparableConv2d, zeros, run } from 'canopy-nn';
 * (await run(SeparableConv2d({ inChannels: 4, outChannels: 8, stride: 2 }), [zeros([1, 4, 7, 7])])).output.shape; // [1, 8, 4, 4]
 * ```
 */
export const SeparableConv2d = defineContainer({
  name: 'SeparableConv2d',
  extends: Chain,
  defaults: { stride: 1 },
  init: ({ inChannels, outChannels, stride = 1 }: SeparableConv2dOptions): Body<[Tensor], Tensor> => {
    const depthwise = Conv2d({ inChannels, outChannels: inChannels, kernelSize: 3, groups: inChannels, useBias: false, stride, padding: stride === 1 ? 1 : 0 });
    const pointwise = Conv2d({ inChannels, outChannels, kernelSize: 1 });
    const children = stride === 1 ? [depthwise, pointwise] : [SamePad({ kernelSize: 3, stride }), depthwise, pointwise];
    return { attrs: { inChannels, outChannels, stride }, children };
  },
});
