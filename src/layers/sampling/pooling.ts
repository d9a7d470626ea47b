// Pooling and resampling leaves: MaxPool1d, MaxPool2d, AvgPool2d, Interpolate, PixelUnshuffle.
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { interpolate, pixelUnshuffle } from '../../ops/interpolate.ts';
import { avgPool2d, maxPool2d } from '../../ops/pool.ts';
import { squeeze, unsqueeze } from '../../ops/shape.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { checkPositive, leaf, tensorArg, tensorKind, toPair } from '../misc/tensorLayer.ts';

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
  const p = toPair(v);
  if (p.some((n) => !Number.isInteger(n) || n < 0)) throw new CanopyError('argument', `${op}: ${what} must be non-negative integers, got ${JSON.stringify(v)}`);
  return p;
}

function positivePair(op: string, what: string, v: number | Pair): [number, number] {
  const p = toPair(v);
  p.forEach((n) => checkPositive(op, what, n));
  return p;
}

// --- kinds

// Attributes keep the sizes as given (`2`, not `(2, 2)`), so a layer prints as it was built, as in
// Refiners (torch keeps `kernel_size=2`); the kernels get pairs.
type Pool2dAttrs = { kernelSize: number | Pair; stride: number | Pair; padding: number | Pair; ceilMode: boolean };

function pairs(a: Pool2dAttrs): { k: Pair; s: Pair; p: Pair } {
  return { k: toPair(a.kernelSize), s: toPair(a.stride), p: toPair(a.padding) };
}

/** The MaxPool2d kind. */
export const MaxPool2dKind = tensorKind<Pool2dAttrs>({
  name: 'MaxPool2d',
  defaults: { padding: 0, ceilMode: false },
  forward: (b, args, a) => {
    const x = tensorArg('MaxPool2d', args);
    const { k, s, p } = pairs(a);
    checkWindow('MaxPool2d', x, k, p);
    return maxPool2d(b, x, k, { stride: s, padding: p, ceilMode: a.ceilMode });
  },
});

/** The MaxPool1d kind. */
export const MaxPool1dKind = tensorKind<{ kernelSize: number; stride: number; padding: number; ceilMode: boolean }>({
  name: 'MaxPool1d',
  defaults: { padding: 0, ceilMode: false },
  forward: async (b, args, a) => {
    const x = tensorArg('MaxPool1d', args);
    if (x.shape.length !== 3) throw new CanopyError('shape', `MaxPool1d: input must be [N, C, L], got ${showShape(x.shape)}`);
    const x2 = await unsqueeze(b, x, 2);
    checkWindow('MaxPool1d', x2, [1, a.kernelSize], [0, a.padding]);
    return squeeze(b, await maxPool2d(b, x2, [1, a.kernelSize], { stride: [1, a.stride], padding: [0, a.padding], ceilMode: a.ceilMode }), 2);
  },
});

/** The AvgPool2d kind. */
export const AvgPool2dKind = tensorKind<Pool2dAttrs & { countIncludePad: boolean }>({
  name: 'AvgPool2d',
  defaults: { padding: 0, ceilMode: false, countIncludePad: true },
  forward: (b, args, a) => {
    const x = tensorArg('AvgPool2d', args);
    const { k, s, p } = pairs(a);
    checkWindow('AvgPool2d', x, k, p);
    return avgPool2d(b, x, k, { stride: s, padding: p, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad });
  },
});

/** The Interpolate kind. */
export const InterpolateKind = tensorKind<{ mode: 'nearest' | 'bilinear' }>({
  name: 'Interpolate',
  defaults: { mode: 'nearest' },
  arity: 2,
  forward: (b, args, { mode }) => {
    const x = tensorArg('Interpolate', args);
    if (x.shape.length !== 4) throw new CanopyError('shape', `Interpolate: input must be [N, C, H, W], got ${showShape(x.shape)}`);
    const s = args[1];
    const size = isTensor(s) ? s.shape.slice(2) : s;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n > 0)) {
      throw new CanopyError('argument', `Interpolate: size (input 1) must be [H, W] of positive integers, got ${JSON.stringify(size)}`);
    }
    return interpolate(b, x, { size: [size[0] as number, size[1] as number], mode });
  },
});

/** The PixelUnshuffle kind. */
export const PixelUnshuffleKind = tensorKind<{ downscaleFactor: number }>({
  name: 'PixelUnshuffle',
  forward: (b, args, { downscaleFactor: r }) => {
    const x = tensorArg('PixelUnshuffle', args);
    if (x.shape.length !== 4 || x.shape[2]! % r !== 0 || x.shape[3]! % r !== 0) {
      throw new CanopyError('shape', `PixelUnshuffle: input must be [N, C, H, W] with H and W divisible by ${r}, got ${showShape(x.shape)}`);
    }
    return pixelUnshuffle(b, x, r);
  },
});

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
 * Max over windows: `[N, C, H, W]` → `[N, C, OH, OW]`. (Refiners' dilation and returnIndices
 * are not supported.)
 *
 * @example
 * ```ts
 * import { MaxPool2d, zeros, run } from 'canopy';
 * (await run(MaxPool2d({ kernelSize: 2 }), [zeros([1, 3, 8, 8])])).output.shape; // [1, 3, 4, 4]
 * ```
 */
export function MaxPool2d(options: MaxPool2dOptions): Layer<[Tensor], Tensor> {
  const { kernelSize, stride = kernelSize, padding = 0 } = options;
  positivePair('MaxPool2d', 'kernelSize', kernelSize);
  positivePair('MaxPool2d', 'stride', stride);
  nonNegativePair('MaxPool2d', 'padding', padding);
  return leaf(MaxPool2dKind, { kernelSize, stride, padding, ceilMode: options.ceilMode ?? false });
}
MaxPool2d.kind = MaxPool2dKind;

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
 * import { MaxPool1d, zeros, run } from 'canopy';
 * (await run(MaxPool1d({ kernelSize: 3, stride: 1, padding: 1 }), [zeros([1, 2, 5])])).output.shape; // [1, 2, 5]
 * ```
 */
export function MaxPool1d(options: MaxPool1dOptions): Layer<[Tensor], Tensor> {
  const { kernelSize, stride = kernelSize, padding = 0, ceilMode = false } = options;
  checkPositive('MaxPool1d', 'kernelSize', kernelSize);
  checkPositive('MaxPool1d', 'stride', stride);
  nonNegativePair('MaxPool1d', 'padding', padding);
  return leaf(MaxPool1dKind, { kernelSize, stride, padding, ceilMode });
}
MaxPool1d.kind = MaxPool1dKind;

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
 * import { AvgPool2d, zeros, run } from 'canopy';
 * (await run(AvgPool2d({ kernelSize: 2 }), [zeros([1, 3, 8, 8])])).output.shape; // [1, 3, 4, 4]
 * ```
 */
export function AvgPool2d(options: AvgPool2dLayerOptions): Layer<[Tensor], Tensor> {
  const { kernelSize, stride = kernelSize, padding = 0 } = options;
  positivePair('AvgPool2d', 'kernelSize', kernelSize);
  positivePair('AvgPool2d', 'stride', stride);
  nonNegativePair('AvgPool2d', 'padding', padding);
  return leaf(AvgPool2dKind, { kernelSize, stride, padding, ceilMode: options.ceilMode ?? false, countIncludePad: options.countIncludePad ?? true });
}
AvgPool2d.kind = AvgPool2dKind;

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
 * import { Interpolate, zeros, run } from 'canopy';
 * (await run(Interpolate(), [zeros([1, 2, 4, 4]), [8, 6]])).output.shape; // [1, 2, 8, 6]
 * ```
 */
export function Interpolate(options: InterpolateLayerOptions = {}): Layer<[Tensor, readonly number[] | Tensor], Tensor> {
  const { mode = 'nearest' } = options;
  if (mode !== 'nearest' && mode !== 'bilinear') throw new CanopyError('argument', `Interpolate: mode must be 'nearest' or 'bilinear', got ${String(mode)}`);
  return leaf(InterpolateKind, { mode });
}
Interpolate.kind = InterpolateKind;

/**
 * Space to depth: `[N, C, H·r, W·r]` → `[N, C·r², H, W]`.
 *
 * @example
 * ```ts
 * import { PixelUnshuffle, zeros, run } from 'canopy';
 * (await run(PixelUnshuffle({ downscaleFactor: 2 }), [zeros([1, 3, 4, 4])])).output.shape; // [1, 12, 2, 2]
 * ```
 */
export function PixelUnshuffle(options: { readonly downscaleFactor: number }): Layer<[Tensor], Tensor> {
  checkPositive('PixelUnshuffle', 'downscaleFactor', options.downscaleFactor);
  return leaf(PixelUnshuffleKind, { downscaleFactor: options.downscaleFactor });
}
PixelUnshuffle.kind = PixelUnshuffleKind;
