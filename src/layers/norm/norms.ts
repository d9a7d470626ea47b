// Normalisation layers (Refiners' fl.LayerNorm, fl.GroupNorm, fl.LayerNorm2d, fl.InstanceNorm2d,
// and an inference-mode BatchNorm2d that real converted models need). Weights start at ones,
// biases at zeros, running statistics at mean 0 / variance 1, as PyTorch.
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.ts';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../../ops/norm.ts';
import { mean } from '../../ops/reduce.ts';
import { reshape } from '../../ops/shape.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { onesInit, zerosInit } from '../init.ts';
import { checkPositive, leaf, param, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

// --- utils

function checkEps(op: string, eps: number): void {
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new CanopyError('argument', `${op}: eps must be a non-negative number, got ${eps}`);
}

function channelsInput(op: string, x: Tensor, channels: number, layout: string, ranks: readonly number[]): void {
  if (!ranks.includes(x.shape.length) || x.shape[1] !== channels) {
    throw new CanopyError('shape', `${op}: input must be ${layout}, got ${showShape(x.shape)}`);
  }
}

// --- kinds

/** The LayerNorm kind. */
export const LayerNormKind = tensorKind<{ normalizedShape: readonly number[]; eps: number }>({
  name: 'LayerNorm',
  defaults: { eps: 1e-5 },
  forward: (b, args, { normalizedShape: ns, eps }, params) => {
    const x = tensorArg('LayerNorm', args);
    const tail = x.shape.slice(x.shape.length - ns.length);
    if (x.shape.length < ns.length || tail.some((d, i) => d !== ns[i])) {
      throw new CanopyError('shape', `LayerNorm: input must be [..., ${ns.join(', ')}], got ${showShape(x.shape)}`);
    }
    return layerNorm(b, x, ns, { weight: param('LayerNorm', params, 'weight'), bias: param('LayerNorm', params, 'bias'), eps });
  },
});

/** The GroupNorm kind. */
export const GroupNormKind = tensorKind<{ channels: number; numGroups: number; eps: number }>({
  name: 'GroupNorm',
  defaults: { eps: 1e-5 },
  forward: (b, args, { channels, numGroups, eps }, params) => {
    const x = tensorArg('GroupNorm', args);
    if (x.shape.length < 2 || x.shape[1] !== channels) {
      throw new CanopyError('shape', `GroupNorm: input must be [N, ${channels}, ...], got ${showShape(x.shape)}`);
    }
    return groupNorm(b, x, numGroups, { weight: param('GroupNorm', params, 'weight'), bias: param('GroupNorm', params, 'bias'), eps });
  },
});

/** The LayerNorm2d kind. */
export const LayerNorm2dKind = tensorKind<{ channels: number; eps: number }>({
  name: 'LayerNorm2d',
  defaults: { eps: 1e-6 },
  forward: async (b, args, { channels, eps }, params) => {
    const x = tensorArg('LayerNorm2d', args);
    channelsInput('LayerNorm2d', x, channels, `[N, ${channels}, H, W]`, [4]);
    // Refiners' formula: normalise over the channel axis only, then a per-channel affine.
    const d = await sub(b, x, await mean(b, x, 1, { keepdims: true }));
    const v = await mean(b, await mul(b, d, d), 1, { keepdims: true });
    const y = await mul(b, d, await rsqrt(b, await add(b, v, eps)));
    const w = await reshape(b, param('LayerNorm2d', params, 'weight'), [channels, 1, 1]);
    const bias = await reshape(b, param('LayerNorm2d', params, 'bias'), [channels, 1, 1]);
    return add(b, await mul(b, y, w), bias);
  },
});

/** The InstanceNorm2d kind. */
export const InstanceNorm2dKind = tensorKind<{ numFeatures: number; eps: number }>({
  name: 'InstanceNorm2d',
  defaults: { eps: 1e-5 },
  forward: (b, args, { numFeatures, eps }) => {
    const x = tensorArg('InstanceNorm2d', args);
    channelsInput('InstanceNorm2d', x, numFeatures, `[N, ${numFeatures}, H, W]`, [4]);
    return instanceNorm(b, x, { eps });
  },
});

/** The BatchNorm2d kind. */
export const BatchNorm2dKind = tensorKind<{ numFeatures: number; eps: number }>({
  name: 'BatchNorm2d',
  defaults: { eps: 1e-5 },
  forward: (b, args, { numFeatures, eps }, params) => {
    const x = tensorArg('BatchNorm2d', args);
    channelsInput('BatchNorm2d', x, numFeatures, `[N, ${numFeatures}, H, W]`, [4]);
    const p = (n: string): Tensor => param('BatchNorm2d', params, n);
    return batchNorm(b, x, p('running_mean'), p('running_var'), { weight: p('weight'), bias: p('bias'), eps });
  },
});

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
 * import { LayerNorm, randn, run } from 'canopy';
 * (await run(LayerNorm({ normalizedShape: 8 }), [randn([2, 5, 8], 0)])).output.shape; // [2, 5, 8]
 * ```
 */
export function LayerNorm(options: LayerNormOptions): Layer<[Tensor], Tensor> {
  const { eps = 1e-5 } = options;
  const ns = typeof options.normalizedShape === 'number' ? [options.normalizedShape] : [...options.normalizedShape];
  if (ns.length === 0) throw new CanopyError('argument', 'LayerNorm: normalizedShape must name at least one axis, got []');
  ns.forEach((d) => checkPositive('LayerNorm', 'normalizedShape', d));
  checkEps('LayerNorm', eps);
  return leaf(LayerNormKind, { normalizedShape: Object.freeze(ns), eps }, { weight: onesInit(ns), bias: zerosInit(ns) });
}
LayerNorm.kind = LayerNormKind;

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
 * import { GroupNorm, randn, run } from 'canopy';
 * (await run(GroupNorm({ channels: 8, numGroups: 4 }), [randn([1, 8, 4, 4], 0)])).output.shape; // [1, 8, 4, 4]
 * ```
 */
export function GroupNorm(options: GroupNormOptions): Layer<[Tensor], Tensor> {
  const { channels, numGroups, eps = 1e-5 } = options;
  checkPositive('GroupNorm', 'channels', channels);
  checkPositive('GroupNorm', 'numGroups', numGroups);
  if (channels % numGroups !== 0) throw new CanopyError('argument', `GroupNorm: channels must be divisible by numGroups, got ${channels} and ${numGroups}`);
  checkEps('GroupNorm', eps);
  return leaf(GroupNormKind, { channels, numGroups, eps }, { weight: onesInit([channels]), bias: zerosInit([channels]) });
}
GroupNorm.kind = GroupNormKind;

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
 * import { LayerNorm2d, randn, run } from 'canopy';
 * (await run(LayerNorm2d({ channels: 4 }), [randn([1, 4, 3, 3], 0)])).output.shape; // [1, 4, 3, 3]
 * ```
 */
export function LayerNorm2d(options: LayerNorm2dOptions): Layer<[Tensor], Tensor> {
  const { channels, eps = 1e-6 } = options;
  checkPositive('LayerNorm2d', 'channels', channels);
  checkEps('LayerNorm2d', eps);
  return leaf(LayerNorm2dKind, { channels, eps }, { weight: onesInit([channels]), bias: zerosInit([channels]) });
}
LayerNorm2d.kind = LayerNorm2dKind;

/** Options of {@link InstanceNorm2d}. */
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
 * import { InstanceNorm2d, randn, run } from 'canopy';
 * (await run(InstanceNorm2d({ numFeatures: 3 }), [randn([2, 3, 4, 4], 0)])).output.shape; // [2, 3, 4, 4]
 * ```
 */
export function InstanceNorm2d(options: InstanceNorm2dOptions): Layer<[Tensor], Tensor> {
  const { numFeatures, eps = 1e-5 } = options;
  checkPositive('InstanceNorm2d', 'numFeatures', numFeatures);
  checkEps('InstanceNorm2d', eps);
  return leaf(InstanceNorm2dKind, { numFeatures, eps });
}
InstanceNorm2d.kind = InstanceNorm2dKind;

/** Options of {@link BatchNorm2d}. */
export interface BatchNorm2dOptions {
  readonly numFeatures: number;
  /** Default `1e-5`. */
  readonly eps?: number;
}

/**
 * Batch norm in inference mode, with running statistics held as params (state-dict keys
 * `weight`, `bias`, `running_mean`, `running_var` as PyTorch): `[N, numFeatures, H, W]` → same shape.
 *
 * @example
 * ```ts
 * import { BatchNorm2d, randn, run } from 'canopy';
 * (await run(BatchNorm2d({ numFeatures: 3 }), [randn([2, 3, 4, 4], 0)])).output.shape; // [2, 3, 4, 4]
 * ```
 */
export function BatchNorm2d(options: BatchNorm2dOptions): Layer<[Tensor], Tensor> {
  const { numFeatures: c, eps = 1e-5 } = options;
  checkPositive('BatchNorm2d', 'numFeatures', c);
  checkEps('BatchNorm2d', eps);
  return leaf(BatchNorm2dKind, { numFeatures: c, eps }, {
    weight: onesInit([c]),
    bias: zerosInit([c]),
    running_mean: zerosInit([c]),
    running_var: onesInit([c]),
  });
}
BatchNorm2d.kind = BatchNorm2dKind;
