// Normalisation layers (Refiners' fl.LayerNorm, fl.GroupNorm, fl.LayerNorm2d, fl.InstanceNorm2d,
// and an inference-mode BatchNorm2d that real converted models need). Weights start at ones,
// biases at zeros, running statistics at mean 0 / variance 1, as PyTorch.
import type { Backend } from '../../backend/Backend.ts';
import type { Step } from '../../core/step.ts';
import { CanopyError } from '../../errors.ts';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.ts';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../../ops/norm.ts';
import { mean } from '../../ops/reduce.ts';
import { reshape } from '../../ops/shape.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import { ones, zeros } from '../../tensor/create.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

// --- utils

function checkEps(op: string, eps: number): void {
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new CanopyError('argument', `${op}: eps must be a non-negative number, got ${eps}`);
}

/** Throws unless `x` is `[N, channels, H, W]` (or `[N, channels, ...]` when `anyRank`). */
function channelsInput(op: string, x: Tensor, channels: number, anyRank = false): void {
  if ((anyRank ? x.shape.length < 2 : x.shape.length !== 4) || x.shape[1] !== channels) {
    throw new CanopyError('shape', `${op}: input must be [N, ${channels}, ${anyRank ? '...' : 'H, W'}], got ${showShape(x.shape)}`);
  }
}

/** The affine params of a norm over `shape`: weight ones, bias zeros. */
const affine = (shape: readonly number[]) => ({ weight: ones(shape), bias: zeros(shape) });

// --- constructors

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** The trailing axes normalised together (a number for one axis). */
  readonly normalizedShape: number | readonly number[];
  /** Default `1e-5`. */
  readonly eps?: number;
}

/**
 * Normalises over the trailing `normalizedShape` axes, then scales and shifts (always affine, as
 * Refiners): `[..., *normalizedShape]` → same shape. Params `weight`, `bias` of shape `normalizedShape`.
 *
 * @example
 * ```ts
 * import { LayerNorm, randn, run } from 'canopy-nn';
 * (await run(LayerNorm({ normalizedShape: 8 }), [randn([2, 5, 8], 0)])).output.shape; // [2, 5, 8]
 * ```
 */
export const LayerNorm = defineLayer({
  name: 'LayerNorm',
  options: { normalizedShape: true, eps: true },
  defaults: { eps: 1e-5 },
  inputs: ['tensor'],
  init: ({ normalizedShape, eps = 1e-5 }: LayerNormOptions) => {
    const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (ns.length === 0) throw new CanopyError('argument', 'LayerNorm: normalizedShape must name at least one axis, got []');
    ns.forEach((d) => checkPositiveInt('LayerNorm', d, 'normalizedShape'));
    checkEps('LayerNorm', eps);
    return { attrs: { normalizedShape: Object.freeze(ns), eps }, params: affine(ns) };
  },
  forward: ([x]: [Tensor], { attrs: { normalizedShape: ns, eps }, params }, env) => {
    const tail = x.shape.slice(x.shape.length - ns.length);
    if (x.shape.length < ns.length || tail.some((d, i) => d !== ns[i])) {
      throw new CanopyError('shape', `LayerNorm: input must be [..., ${ns.join(', ')}], got ${showShape(x.shape)}`);
    }
    return layerNorm(backendOf(env), x, ns, { ...params, eps });
  },
});

/** Options of {@link GroupNorm}. */
export interface GroupNormOptions {
  readonly channels: number;
  /** Groups of channels normalised together (divides `channels`). */
  readonly numGroups: number;
  /** Default `1e-5`. */
  readonly eps?: number;
}

/**
 * Normalises each group of channels over the group and all positions: `[N, channels, ...]` →
 * same shape. Params `weight`, `bias` `[channels]`.
 *
 * @example
 * ```ts
 * import { GroupNorm, randn, run } from 'canopy-nn';
 * (await run(GroupNorm({ channels: 8, numGroups: 4 }), [randn([1, 8, 4, 4], 0)])).output.shape; // [1, 8, 4, 4]
 * ```
 */
export const GroupNorm = defineLayer({
  name: 'GroupNorm',
  options: { channels: true, numGroups: true, eps: true },
  defaults: { eps: 1e-5 },
  inputs: ['tensor'],
  init: ({ channels, numGroups, eps = 1e-5 }: GroupNormOptions) => {
    checkPositiveInt('GroupNorm', channels, 'channels');
    checkPositiveInt('GroupNorm', numGroups, 'numGroups');
    if (channels % numGroups !== 0) throw new CanopyError('argument', `GroupNorm: channels must be divisible by numGroups, got ${channels} and ${numGroups}`);
    checkEps('GroupNorm', eps);
    return { attrs: { channels, numGroups, eps }, params: affine([channels]) };
  },
  forward: ([x]: [Tensor], { attrs: { channels, numGroups, eps }, params }, env) => {
    channelsInput('GroupNorm', x, channels, true);
    return groupNorm(backendOf(env), x, numGroups, { ...params, eps });
  },
});

/**
 * A norm of `[N, C, H, W]` whose options are a channel count (under `key`, named as in PyTorch)
 * and `eps`: LayerNorm2d, InstanceNorm2d and BatchNorm2d differ only in weights and formula.
 */
function channelNorm<K extends string, P extends Record<string, Tensor>>(
  name: string,
  key: K,
  defaultEps: number,
  weights: (c: number) => P,
  apply: (b: Backend, x: Tensor, p: P, eps: number, c: number) => Step<Tensor>,
) {
  type Attrs = { readonly [k in K]: number } & { readonly eps: number };
  type Options = { readonly [k in K]: number } & { readonly eps?: number };
  return defineLayer<[Options], Attrs, P, [Tensor], Tensor>({
    name,
    options: { [key]: true, eps: true } as { readonly [k in keyof Options]-?: true },
    defaults: { eps: defaultEps } as Partial<Attrs>,
    inputs: ['tensor'],
    init: (options) => {
      const { [key]: c, eps = defaultEps } = options as Record<string, number>;
      checkPositiveInt(name, c!, key);
      checkEps(name, eps);
      return { attrs: { [key]: c, eps } as Attrs, params: weights(c!) };
    },
    forward: ([x], { attrs, params }, env) => {
      const c = (attrs as Record<string, number>)[key]!;
      channelsInput(name, x, c);
      return apply(backendOf(env), x, params, attrs.eps, c);
    },
  });
}

/** Options of {@link LayerNorm2d}. */
export interface LayerNorm2dOptions {
  readonly channels: number;
  /** Default `1e-6` (Refiners' default for this layer). */
  readonly eps?: number;
}

/**
 * Normalises each pixel over its channels (ConvNeXt / SAM style): `[N, channels, H, W]` → same
 * shape. Params `weight`, `bias` `[channels]`.
 *
 * @example
 * ```ts
 * import { LayerNorm2d, randn, run } from 'canopy-nn';
 * (await run(LayerNorm2d({ channels: 4 }), [randn([1, 4, 3, 3], 0)])).output.shape; // [1, 4, 3, 3]
 * ```
 */
export const LayerNorm2d = channelNorm('LayerNorm2d', 'channels', 1e-6, (c) => affine([c]), async (b, x, p, eps, c) => {
  // Refiners' formula: normalise over the channel axis only, then a per-channel affine.
  const d = await sub(b, x, await mean(b, x, 1, { keepdims: true }));
  const v = await mean(b, await mul(b, d, d), 1, { keepdims: true });
  const y = await mul(b, d, await rsqrt(b, await add(b, v, eps)));
  return add(b, await mul(b, y, await reshape(b, p.weight, [c, 1, 1])), await reshape(b, p.bias, [c, 1, 1]));
});

/** Options of {@link InstanceNorm2d} and {@link BatchNorm2d}. */
export interface InstanceNorm2dOptions {
  readonly numFeatures: number;
  /** Default `1e-5`. */
  readonly eps?: number;
}

/**
 * Normalises each channel of each sample over its positions, without weights (as Refiners'
 * InstanceNorm2d, `affine=False`): `[N, numFeatures, H, W]` → same shape.
 *
 * @example
 * ```ts
 * import { InstanceNorm2d, randn, run } from 'canopy-nn';
 * (await run(InstanceNorm2d({ numFeatures: 3 }), [randn([2, 3, 4, 4], 0)])).output.shape; // [2, 3, 4, 4]
 * ```
 */
export const InstanceNorm2d = channelNorm('InstanceNorm2d', 'numFeatures', 1e-5, () => ({}), (b, x, _p, eps) => instanceNorm(b, x, { eps }));

/** Options of {@link BatchNorm2d}. */
export type BatchNorm2dOptions = InstanceNorm2dOptions;

/**
 * Batch norm in inference mode, with running statistics held as params (state-dict keys
 * `weight`, `bias`, `running_mean`, `running_var` as PyTorch): `[N, numFeatures, H, W]` → same shape.
 *
 * @example
 * ```ts
 * import { BatchNorm2d, randn, run } from 'canopy-nn';
 * (await run(BatchNorm2d({ numFeatures: 3 }), [randn([2, 3, 4, 4], 0)])).output.shape; // [2, 3, 4, 4]
 * ```
 */
export const BatchNorm2d = channelNorm(
  'BatchNorm2d',
  'numFeatures',
  1e-5,
  (c) => ({ ...affine([c]), running_mean: zeros([c]), running_var: ones([c]) }),
  (b, x, p, eps) => batchNorm(b, x, p.running_mean, p.running_var, { weight: p.weight, bias: p.bias, eps }),
);
