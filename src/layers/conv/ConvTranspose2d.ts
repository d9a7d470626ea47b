// ConvTranspose2d: the transposed 2-D convolution (Refiners' fl.ConvTranspose2d).
import { CanopyError } from '../../errors.ts';
import { convTranspose2d } from '../../ops/conv.ts';
import { pair } from '../../ops/util.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';
import { convGeometry } from './Conv2d.ts';
import { kaimingUniform, type SeedOptions } from '../init.ts';
import { deriveSeed } from '../../tensor/random.ts';

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends SeedOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number | readonly [number, number];
  /** Default `1`. */
  readonly stride?: number | readonly [number, number];
  /** Removed from each side of the output. Default `0`. */
  readonly padding?: number | readonly [number, number];
  /** Added at the bottom/right (smaller than stride or dilation). Default `0`. */
  readonly outputPadding?: number | readonly [number, number];
  /** Default `1`. */
  readonly groups?: number;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Default `1`. */
  readonly dilation?: number | readonly [number, number];
}

/**
 * Transposed convolution: `[N, inChannels, H, W]` → `[N, outChannels, OH, OW]` with
 * `OH = (H - 1)·stride - 2·padding + dilation·(kh - 1) + outputPadding + 1`. Params `weight`
 * `[inChannels, outChannels / groups, kh, kw]` and `bias` `[outChannels]`, initialised as PyTorch
 * (whose fanIn for this layer is `outChannels / groups · kh · kw`).
 *
 * @example
 * ```ts
 * import { ConvTranspose2d, zeros, run } from 'canopy-nn';
 * const up = ConvTranspose2d({ inChannels: 4, outChannels: 2, kernelSize: 4, stride: 2, padding: 1 });
 * (await run(up, [zeros([1, 4, 8, 8])])).output.shape; // [1, 2, 16, 16]
 * ```
 */
export const ConvTranspose2d = defineLayer({
  name: 'ConvTranspose2d',
  options: { inChannels: true, outChannels: true, kernelSize: true, stride: true, padding: true, outputPadding: true, groups: true, useBias: true, dilation: true, seed: true },
  defaults: { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], groups: 1, useBias: true, dilation: [1, 1] },
  inputs: ['tensor'],
  init: (options: ConvTranspose2dLayerOptions) => {
    const { inChannels, outChannels, groups = 1, useBias = true, seed = 0 } = options;
    const { kernelSize, stride, dilation } = convGeometry('ConvTranspose2d', options);
    const padding = pair(options.padding ?? 0);
    const outputPadding = pair(options.outputPadding ?? 0);
    [...padding, ...outputPadding].forEach((v) => {
      if (!Number.isInteger(v) || v < 0) throw new CanopyError('argument', `ConvTranspose2d: padding and outputPadding must be non-negative integers, got ${v}`);
    });
    const fanIn = (outChannels / groups) * kernelSize[0] * kernelSize[1];
    const weight = kaimingUniform([inChannels, outChannels / groups, ...kernelSize], fanIn, deriveSeed(seed, 0));
    const params: { weight: Tensor; bias?: Tensor } = useBias ? { weight, bias: kaimingUniform([outChannels], fanIn, deriveSeed(seed, 1)) } : { weight };
    return { attrs: { inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, useBias, dilation }, params };
  },
  forward: ([x]: [Tensor], { attrs: a, params }, env) => {
    if ((x.shape.length !== 4 && x.shape.length !== 3) || x.shape.at(-3) !== a.inChannels) {
      throw new CanopyError('shape', `ConvTranspose2d: input must be [N, ${a.inChannels}, H, W], got ${showShape(x.shape)}`);
    }
    const { stride, padding, outputPadding, dilation, groups } = a;
    return convTranspose2d(backendOf(env), x, params.weight, { bias: params.bias, stride, padding, outputPadding, dilation, groups });
  },
});
