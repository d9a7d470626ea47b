// Conv2d: 2-D convolution with PyTorch's options (Refiners' fl.Conv2d, note `useBias`).
import { hasConvEpilogue } from '../../backend/fused.ts';
import type { AnyLayer } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { conv2d } from '../../ops/conv.ts';
import { pad } from '../../ops/pad.ts';
import { checkPositiveInt, pair } from '../../ops/util.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { LeakyReLU, ReLU } from '../activation/activations.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';
import { kaimingUniform, type SeedOptions } from '../init.ts';
import { deriveSeed } from '../../tensor/random.ts';

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
  /**
   * Activation after the bias, fused into the convolution by backends that can (the values of a
   * `ReLU` / `LeakyReLU` layer after it). Default `'none'`.
   */
  readonly activation?: 'none' | 'relu' | 'leakyRelu';
  /** Slope of `'leakyRelu'` for negative inputs. Default `0.01` (as `LeakyReLU`). */
  readonly negativeSlope?: number;
}

/**
 * 2-D convolution: `[N, inChannels, H, W]` → `[N, outChannels, OH, OW]`. Params `weight`
 * `[outChannels, inChannels / groups, kh, kw]` and `bias` `[outChannels]` (when `useBias`),
 * initialised as PyTorch (U(±1/√fanIn), fanIn = inChannels / groups · kh · kw). With
 * `activation`, the output goes through ReLU or leaky ReLU in the same kernel (docs/design.md, "Fusion").
 *
 * @example
 * ```ts
 * import { Conv2d, zeros, run } from 'canopy-nn';
 * const conv = Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1 });
 * (await run(conv, [zeros([1, 3, 16, 16])])).output.shape; // [1, 8, 16, 16]
 * ```
 */
export const Conv2d = defineLayer({
  name: 'Conv2d',
  options: { inChannels: true, outChannels: true, kernelSize: true, stride: true, padding: true, groups: true, useBias: true, dilation: true, paddingMode: true, activation: true, negativeSlope: true, seed: true },
  defaults: { stride: [1, 1], padding: [0, 0], groups: 1, useBias: true, dilation: [1, 1], paddingMode: 'zeros', activation: 'none', negativeSlope: 0.01 },
  inputs: ['tensor'],
  init: (options: Conv2dLayerOptions) => {
    const { inChannels, outChannels, groups = 1, useBias = true, paddingMode = 'zeros', activation = 'none', negativeSlope = 0.01, seed = 0 } = options;
    if (!['none', 'relu', 'leakyRelu'].includes(activation)) throw new CanopyError('argument', `Conv2d: activation must be 'none', 'relu' or 'leakyRelu', got ${String(activation)}`);
    if (!Number.isFinite(negativeSlope)) throw new CanopyError('argument', `Conv2d: negativeSlope must be finite, got ${negativeSlope}`);
    const { kernelSize, stride, dilation } = convGeometry('Conv2d', options);
    const p = options.padding ?? 0;
    const padding = p === 'same' || p === 'valid' ? p : pair(p);
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
    const weight = kaimingUniform([outChannels, inChannels / groups, ...kernelSize], fanIn, deriveSeed(seed, 0));
    const params: { weight: Tensor; bias?: Tensor } = useBias ? { weight, bias: kaimingUniform([outChannels], fanIn, deriveSeed(seed, 1)) } : { weight };
    return { attrs: { inChannels, outChannels, kernelSize, stride, padding, groups, useBias, dilation, paddingMode, activation, negativeSlope }, params };
  },
  forward: async ([x]: [Tensor], { attrs: a, params }, env) => {
    if ((x.shape.length !== 4 && x.shape.length !== 3) || x.shape.at(-3) !== a.inChannels) {
      throw new CanopyError('shape', `Conv2d: input must be [N, ${a.inChannels}, H, W], got ${showShape(x.shape)}`);
    }
    const b = backendOf(env);
    const act = a.activation === 'none' ? {} : { activation: a.activation === 'relu' ? ({ op: 'relu' } as const) : ({ op: 'prelu', slope: a.negativeSlope } as const) };
    const conv = (input: Tensor, padding: typeof a.padding) =>
      conv2d(b, input, params.weight, { bias: params.bias, stride: a.stride, padding, dilation: a.dilation, groups: a.groups, ...act });
    if (a.paddingMode === 'zeros' || a.padding === 'valid') return conv(x, a.padding);
    // Other modes fill the border first (ops/pad), then convolve without padding.
    const [ph, pw] = a.padding === 'same' ? a.dilation.map((d, i) => (d * (a.kernelSize[i]! - 1)) / 2) : a.padding;
    const [t, l] = [Math.floor(ph!), Math.floor(pw!)];
    const [bo, r] = [Math.ceil(ph!), Math.ceil(pw!)];
    return conv(await pad(b, x, [l, r, t, bo], { mode: a.paddingMode }), 'valid');
  },
  // A plain Conv2d followed by ReLU or LeakyReLU in a sequence runs as one Conv2d with that
  // activation, on a backend that fuses it into the kernel (docs/design.md, "Fusion"). The tape's
  // recording backend has no fused forms, so under valueAndGrad both layers run as written.
  fuseNext: (node, next, _args, env) => {
    if (node.attrs.activation !== 'none' || (next.kind !== ReLU.kind && next.kind !== LeakyReLU.kind) || !hasConvEpilogue(backendOf(env))) return undefined;
    return withActivation(node, next);
  },
});

// --- utils

// The fused node of a (conv, activation) pair, made once per pair of nodes (trees are immutable).
const fusedNodes = new WeakMap<AnyLayer, WeakMap<AnyLayer, AnyLayer>>();
function withActivation(conv: AnyLayer, act: AnyLayer): AnyLayer {
  let byAct = fusedNodes.get(conv);
  if (byAct === undefined) fusedNodes.set(conv, (byAct = new WeakMap()));
  let fused = byAct.get(act);
  if (fused === undefined) {
    const activation = act.kind === ReLU.kind ? { activation: 'relu' } : { activation: 'leakyRelu', negativeSlope: act.attrs.negativeSlope };
    fused = makeLayer(conv.kind, { ...conv.attrs, ...activation }, [], { params: conv.params });
    byAct.set(act, fused);
  }
  return fused;
}

/**
 * The checks and pairs both convolution layers share: positive channels and groups that divide
 * them, positive kernel size, stride and dilation as pairs. @internal
 */
export function convGeometry(
  op: string,
  options: {
    readonly inChannels: number;
    readonly outChannels: number;
    readonly groups?: number;
    readonly kernelSize: number | readonly [number, number];
    readonly stride?: number | readonly [number, number];
    readonly dilation?: number | readonly [number, number];
  },
): { kernelSize: [number, number]; stride: [number, number]; dilation: [number, number] } {
  const { inChannels, outChannels, groups = 1 } = options;
  for (const [k, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) checkPositiveInt(op, v, k);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new CanopyError('argument', `${op}: inChannels and outChannels must be divisible by groups ${groups}, got ${inChannels} and ${outChannels}`);
  }
  const kernelSize = pair(options.kernelSize);
  const stride = pair(options.stride ?? 1);
  const dilation = pair(options.dilation ?? 1);
  [...kernelSize, ...stride, ...dilation].forEach((v) => checkPositiveInt(op, v, 'kernelSize, stride and dilation'));
  return { kernelSize, stride, dilation };
}
