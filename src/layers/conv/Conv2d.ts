// Conv2d: 2-D convolution with PyTorch's options (Refiners' fl.Conv2d, note `useBias`).
import type { Layer, Params } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { conv2d } from '../../ops/conv.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { kaimingUniform, subSeed, type SeedOptions } from '../init.ts';
import { padAny } from '../misc/Pad.ts';
import { checkPositive, leaf, param, tensorArg, tensorKind, toPair } from '../misc/tensorLayer.ts';

// --- model

/** Padding modes of {@link Conv2d}, as `torch.nn.Conv2d`'s `padding_mode`. */
export type Conv2dPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options of {@link Conv2d}. */
export interface Conv2dLayerOptions extends SeedOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  /** Kernel size, number or `[kh, kw]`. */
  readonly kernelSize: number | readonly [number, number];
  /** Default `1`. */
  readonly stride?: number | readonly [number, number];
  /** Number, `[h, w]`, `'same'` (stride 1; extra pixel bottom/right as PyTorch) or `'valid'`. Default `0`. */
  readonly padding?: number | readonly [number, number] | 'same' | 'valid';
  /** Channel groups (`inChannels` and `outChannels` divisible by it). Default `1`. */
  readonly groups?: number;
  /** Learn a per-channel bias. Default `true`. */
  readonly useBias?: boolean;
  /** Default `1`. */
  readonly dilation?: number | readonly [number, number];
  /** How padded cells are filled. Default `'zeros'`. */
  readonly paddingMode?: Conv2dPaddingMode;
}

type Conv2dAttrs = {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number] | 'same' | 'valid';
  readonly groups: number;
  readonly useBias: boolean;
  readonly dilation: readonly [number, number];
  readonly paddingMode: Conv2dPaddingMode;
};

/** `[top, bottom, left, right]` amounts of a conv's padding. @internal */
export function convPadding(attrs: Pick<Conv2dAttrs, 'kernelSize' | 'padding' | 'dilation'>): [number, number, number, number] {
  const { padding: p, kernelSize: k, dilation: d } = attrs;
  if (p === 'valid') return [0, 0, 0, 0];
  if (p === 'same') {
    const th = d[0] * (k[0] - 1);
    const tw = d[1] * (k[1] - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  return [p[0], p[0], p[1], p[1]];
}

/** The Conv2d kind. */
export const Conv2dKind = tensorKind<Conv2dAttrs>({
  name: 'Conv2d',
  defaults: { stride: [1, 1], padding: [0, 0], groups: 1, useBias: true, dilation: [1, 1], paddingMode: 'zeros' },
  forward: async (b, args, a, params) => {
    let x = tensorArg('Conv2d', args);
    if ((x.shape.length !== 4 && x.shape.length !== 3) || x.shape.at(-3) !== a.inChannels) {
      throw new CanopyError('shape', `Conv2d: input must be [N, ${a.inChannels}, H, W], got ${showShape(x.shape)}`);
    }
    let padding: readonly [number, number, number, number] = convPadding(a);
    if (a.paddingMode !== 'zeros' && padding.some((v) => v > 0)) {
      const [t, bo, l, r] = padding;
      x = await padAny(b, x, [l, r, t, bo], a.paddingMode, 0, 'Conv2d');
      padding = [0, 0, 0, 0];
    }
    const [kh, kw] = a.kernelSize;
    const [H, W] = [x.shape.at(-2)! + padding[0] + padding[1], x.shape.at(-1)! + padding[2] + padding[3]];
    if (H < a.dilation[0] * (kh - 1) + 1 || W < a.dilation[1] * (kw - 1) + 1) {
      throw new CanopyError('shape', `Conv2d: padded input must be at least the dilated kernel ${a.dilation[0] * (kh - 1) + 1}x${a.dilation[1] * (kw - 1) + 1}, got input ${showShape(x.shape)}`);
    }
    return conv2d(b, x, param('Conv2d', params, 'weight'), {
      bias: params['bias'],
      stride: a.stride,
      padding,
      dilation: a.dilation,
      groups: a.groups,
    });
  },
});

// --- constructors

/**
 * 2-D convolution: `[N, inChannels, H, W]` → `[N, outChannels, OH, OW]`. Params `weight`
 * `[outChannels, inChannels / groups, kh, kw]` and `bias` `[outChannels]` (when `useBias`),
 * initialised as PyTorch (U(±1/√fanIn), fanIn = inChannels / groups · kh · kw).
 *
 * @example
 * ```ts
 * import { Conv2d, zeros, run } from 'canopy';
 * const conv = Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1 });
 * (await run(conv, [zeros([1, 3, 16, 16])])).output.shape; // [1, 8, 16, 16]
 * ```
 */
export function Conv2d(options: Conv2dLayerOptions): Layer<[Tensor], Tensor> {
  const { inChannels, outChannels, groups = 1, useBias = true, paddingMode = 'zeros', seed = 0 } = options;
  for (const [k, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) checkPositive('Conv2d', k, v);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new CanopyError('argument', `Conv2d: inChannels and outChannels must be divisible by groups ${groups}, got ${inChannels} and ${outChannels}`);
  }
  const kernelSize = toPair(options.kernelSize);
  const stride = toPair(options.stride ?? 1);
  const dilation = toPair(options.dilation ?? 1);
  [...kernelSize, ...stride, ...dilation].forEach((v) => checkPositive('Conv2d', 'kernelSize, stride and dilation', v));
  const p = options.padding ?? 0;
  const padding = p === 'same' || p === 'valid' ? p : toPair(p);
  if (typeof padding !== 'string' && padding.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new CanopyError('argument', `Conv2d: padding must be non-negative integers, 'same' or 'valid', got ${JSON.stringify(p)}`);
  }
  if (padding === 'same' && (stride[0] !== 1 || stride[1] !== 1)) {
    throw new CanopyError('argument', `Conv2d: padding 'same' needs stride 1, got stride (${stride.join(', ')})`);
  }
  if (!['zeros', 'reflect', 'replicate', 'circular'].includes(paddingMode)) {
    throw new CanopyError('argument', `Conv2d: paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got ${String(paddingMode)}`);
  }
  const fanIn = (inChannels / groups) * kernelSize[0] * kernelSize[1];
  const weight = kaimingUniform([outChannels, inChannels / groups, ...kernelSize], fanIn, subSeed(seed, 0));
  const params: Params = useBias ? { weight, bias: kaimingUniform([outChannels], fanIn, subSeed(seed, 1)) } : { weight };
  const attrs: Conv2dAttrs = { inChannels, outChannels, kernelSize, stride, padding, groups, useBias, dilation, paddingMode };
  return leaf(Conv2dKind, attrs, params);
}
Conv2d.kind = Conv2dKind;
