// Pooling and resampling leaves: MaxPool1d, MaxPool2d, AvgPool2d, Interpolate, PixelUnshuffle.
import { CanopyError } from '../../errors.ts';
import { interpolate, pixelUnshuffle } from '../../ops/interpolate.ts';
import { avgPool2d, maxPool2d } from '../../ops/pool.ts';
import { squeeze, unsqueeze } from '../../ops/shape.ts';
import { checkPositiveInt, pair } from '../../ops/util.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

// --- utils

type Pair = readonly [number, number];

function checkWindow(op: string, x: Tensor, k: Pair, p: Pair): void {
  if (x.shape.length !== 4) throw new CanopyError('shape', `${op}: input must be [N, C, H, W], got ${showShape(x.shape)}`);
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) {
    throw new CanopyError('argument', `${op}: padding must be at most half the kernel, got padding (${p.join(', ')}) and kernel (${k.join(', ')})`);
  }
  if (x.shape[2]! + 2 * p[0] < k[0] || x.shape[3]! + 2 * p[1] < k[1]) {
    throw new CanopyError('shape', `${op}: padded input must be at least the kernel (${k.join(', ')}), got ${showShape(x.shape)}`);
  }
}

function nonNegativePair(op: string, what: string, v: number | Pair): [number, number] {
  const p = pair(v);
  if (p.some((n) => !Number.isInteger(n) || n < 0)) throw new CanopyError('argument', `${op}: ${what} must be non-negative integers, got ${JSON.stringify(v)}`);
  return p;
}

function positivePair(op: string, what: string, v: number | Pair): [number, number] {
  const p = pair(v);
  p.forEach((n) => checkPositiveInt(op, n, what));
  return p;
}

// --- constructors

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dOptions {
  readonly kernelSize: number | Pair;
  /** Default `kernelSize`. */
  readonly stride?: number | Pair;
  /** Implicit -∞ padding on each side (at most half the kernel). Default `0`. */
  readonly padding?: number | Pair;
  /** Round the output size up (a last partial window). Default `false`. */
  readonly ceilMode?: boolean;
}

/**
 * The checked window of a 2-D pooling. The sizes stay as given (`2`, not `(2, 2)`), so a layer
 * prints as it was built, as in Refiners (torch keeps `kernel_size=2`); the kernels get pairs.
 */
function window2d(op: string, { kernelSize, stride = kernelSize, padding = 0, ceilMode = false }: MaxPool2dOptions) {
  positivePair(op, 'kernelSize', kernelSize);
  positivePair(op, 'stride', stride);
  nonNegativePair(op, 'padding', padding);
  return { kernelSize, stride, padding, ceilMode };
}

/**
 * Max over windows: `[N, C, H, W]` → `[N, C, OH, OW]`. (Refiners' dilation and returnIndices
 * are not supported.)
 *
 * @example
 * ```ts
 * import { MaxPool2d, zeros, run } from 'canopy-nn';
 * (await run(MaxPool2d({ kernelSize: 2 }), [zeros([1, 3, 8, 8])])).output.shape; // [1, 3, 4, 4]
 * ```
 */
export const MaxPool2d = defineLayer({
  name: 'MaxPool2d',
  options: { kernelSize: true, stride: true, padding: true, ceilMode: true },
  defaults: { padding: 0, ceilMode: false },
  inputs: ['tensor'],
  init: (options: MaxPool2dOptions) => ({ attrs: window2d('MaxPool2d', options) }),
  forward: ([x]: [Tensor], { attrs: a }, env) => {
    const [k, s, p] = [pair(a.kernelSize), pair(a.stride), pair(a.padding)];
    checkWindow('MaxPool2d', x, k, p);
    return maxPool2d(backendOf(env), x, k, { stride: s, padding: p, ceilMode: a.ceilMode });
  },
});

/** Options of {@link MaxPool1d}. */
export interface MaxPool1dOptions {
  readonly kernelSize: number;
  /** Default `kernelSize`. */
  readonly stride?: number;
  /** Default `0`. */
  readonly padding?: number;
  /** Default `false`. */
  readonly ceilMode?: boolean;
}

/**
 * Max over windows of the last axis: `[N, C, L]` → `[N, C, OL]`.
 *
 * @example
 * ```ts
 * import { MaxPool1d, zeros, run } from 'canopy-nn';
 * (await run(MaxPool1d({ kernelSize: 2 }), [zeros([1, 2, 5])])).output.shape; // [1, 2, 2]
 * ```
 */
export const MaxPool1d = defineLayer({
  name: 'MaxPool1d',
  options: { kernelSize: true, stride: true, padding: true, ceilMode: true },
  defaults: { padding: 0, ceilMode: false },
  inputs: ['tensor'],
  init: ({ kernelSize, stride = kernelSize, padding = 0, ceilMode = false }: MaxPool1dOptions) => {
    checkPositiveInt('MaxPool1d', kernelSize, 'kernelSize');
    checkPositiveInt('MaxPool1d', stride, 'stride');
    nonNegativePair('MaxPool1d', 'padding', padding);
    return { attrs: { kernelSize, stride, padding, ceilMode } };
  },
  forward: async ([x]: [Tensor], { attrs: a }, env) => {
    if (x.shape.length !== 3) throw new CanopyError('shape', `MaxPool1d: input must be [N, C, L], got ${showShape(x.shape)}`);
    const b = backendOf(env);
    const x2 = await unsqueeze(b, x, 2);
    checkWindow('MaxPool1d', x2, [1, a.kernelSize], [0, a.padding]);
    return squeeze(b, await maxPool2d(b, x2, [1, a.kernelSize], { stride: [1, a.stride], padding: [0, a.padding], ceilMode: a.ceilMode }), 2);
  },
});

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions extends MaxPool2dOptions {
  /** Count padded zeros in the divisor. Default `true`. */
  readonly countIncludePad?: boolean;
}

/**
 * Mean over windows: `[N, C, H, W]` → `[N, C, OH, OW]`.
 *
 * @example
 * ```ts
 * import { AvgPool2d, zeros, run } from 'canopy-nn';
 * (await run(AvgPool2d({ kernelSize: 2 }), [zeros([1, 3, 8, 8])])).output.shape; // [1, 3, 4, 4]
 * ```
 */
export const AvgPool2d = defineLayer({
  name: 'AvgPool2d',
  options: { kernelSize: true, stride: true, padding: true, ceilMode: true, countIncludePad: true },
  defaults: { padding: 0, ceilMode: false, countIncludePad: true },
  inputs: ['tensor'],
  init: (options: AvgPool2dLayerOptions) => ({ attrs: { ...window2d('AvgPool2d', options), countIncludePad: options.countIncludePad ?? true } }),
  forward: ([x]: [Tensor], { attrs: a }, env) => {
    const [k, s, p] = [pair(a.kernelSize), pair(a.stride), pair(a.padding)];
    checkWindow('AvgPool2d', x, k, p);
    return avgPool2d(backendOf(env), x, k, { stride: s, padding: p, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad });
  },
});

/** Options of {@link Interpolate}. */
export interface InterpolateLayerOptions {
  /** `'nearest'` (default) or `'bilinear'` (align_corners false). */
  readonly mode?: 'nearest' | 'bilinear';
}

/**
 * Resizes `[N, C, H, W]` to the size given as second input (`[H', W']`, or a tensor whose spatial
 * size is taken), as Refiners' `forward(x, shape)`.
 *
 * @example
 * ```ts
 * import { Interpolate, zeros, run } from 'canopy-nn';
 * (await run(Interpolate(), [zeros([1, 2, 4, 4]), [8, 6]])).output.shape; // [1, 2, 8, 6]
 * ```
 */
export const Interpolate = defineLayer({
  name: 'Interpolate',
  options: { mode: true },
  defaults: { mode: 'nearest' },
  inputs: ['tensor', 'any'],
  init: ({ mode = 'nearest' }: InterpolateLayerOptions = {}) => {
    if (mode !== 'nearest' && mode !== 'bilinear') throw new CanopyError('argument', `Interpolate: mode must be 'nearest' or 'bilinear', got ${String(mode)}`);
    return { attrs: { mode } };
  },
  forward: ([x, s]: [Tensor, readonly number[] | Tensor], { attrs: { mode } }, env) => {
    if (x.shape.length !== 4) throw new CanopyError('shape', `Interpolate: input must be [N, C, H, W], got ${showShape(x.shape)}`);
    const size = isTensor(s) ? s.shape.slice(2) : s;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n > 0)) {
      throw new CanopyError('argument', `Interpolate: size (input 1) must be [H, W] of positive integers, got ${JSON.stringify(size)}`);
    }
    return interpolate(backendOf(env), x, { size: [size[0]!, size[1]!], mode });
  },
});

/**
 * Space to depth: `[N, C, H·r, W·r]` → `[N, C·r², H, W]`.
 *
 * @example
 * ```ts
 * import { PixelUnshuffle, zeros, run } from 'canopy-nn';
 * (await run(PixelUnshuffle({ downscaleFactor: 2 }), [zeros([1, 3, 4, 4])])).output.shape; // [1, 12, 2, 2]
 * ```
 */
export const PixelUnshuffle = defineLayer({
  name: 'PixelUnshuffle',
  inputs: ['tensor'],
  init: ({ downscaleFactor }: { readonly downscaleFactor: number }) => {
    checkPositiveInt('PixelUnshuffle', downscaleFactor, 'downscaleFactor');
    return { attrs: { downscaleFactor } };
  },
  forward: ([x]: [Tensor], { attrs: { downscaleFactor: r } }, env) => {
    if (x.shape.length !== 4 || x.shape[2]! % r !== 0 || x.shape[3]! % r !== 0) {
      throw new CanopyError('shape', `PixelUnshuffle: input must be [N, C, H, W] with H and W divisible by ${r}, got ${showShape(x.shape)}`);
    }
    return pixelUnshuffle(backendOf(env), x, r);
  },
});
