// Pooling: max and average (PyTorch's output sizes, ceil mode and count_include_pad), adaptive
// average pooling (PyTorch's window bounds) and global average pooling.

import { checkOptionKeys } from './checkArgs.ts';
import type { Backend, Pair, PoolOp } from '../backend/Backend.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { mean } from './reduce.ts';
import { concat, slice, type SliceSpec } from './slice.ts';
import { squeeze, unsqueeze } from './shape.ts';
import { asFloat, checkPair, checkRank, fail, pair, showShape } from './util.ts';

/** Options of {@link maxPool2d} and {@link avgPool2d}. */
export interface Pool2dOptions {
  /** Stride, number or `[h, w]`. Default: the kernel size. */
  readonly stride?: number | Pair;
  /** Implicit padding on each side, at most half the kernel. Default `0`. */
  readonly padding?: number | Pair;
  /** Use ceil rather than floor for the output size (a window must start inside the input or left padding). Default `false`. */
  readonly ceilMode?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count padded zeros in the divisor. Default `true` (as PyTorch). */
  readonly countIncludePad?: boolean;
}

/**
 * `[before, after]` of TensorFlow "SAME" on one axis: output `ceil(n / s)`, total padding
 * `max((out - 1)·s + k - n, 0)`, the odd pixel after.
 *
 * @example
 * ```ts
 * import { samePadding } from 'canopy-nn';
 * samePadding(207, 2, 2); // [0, 1]
 * samePadding(112, 3, 2); // [0, 1]
 * samePadding(13, 2, 1); // [0, 1]
 * ```
 */
export function samePadding(n: number, k: number, s: number): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** PyTorch's pooling output size (`pooling_output_shape`). @internal */
export function poolOutputSize(size: number, k: number, s: number, p: number, ceil: boolean): number {
  const num = size + 2 * p - (k - 1) - 1;
  let out = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out -= 1;
  return out;
}

async function pool(b: Backend, kind: PoolOp, op: string, x: Tensor, kernelSize: number | Pair, options: AvgPool2dOptions): Promise<Tensor> {
  let t = await asFloat(b, op, x);
  checkRank(op, t, [3, 4]);
  const unbatched = t.shape.length === 3;
  if (unbatched) t = await unsqueeze(b, t, 0);
  const kernel = pair(kernelSize);
  const stride = pair(options.stride ?? kernelSize);
  const padding = pair(options.padding ?? 0);
  checkPair(op, kernel, 'kernelSize', true);
  checkPair(op, stride, 'stride', true);
  checkPair(op, padding, 'padding', false);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    fail('argument', op, `padding must be at most half the kernel, got padding [${padding.join(',')}] for kernel [${kernel.join(',')}]`);
  }
  const [, , H = 0, W = 0] = t.shape;
  const ceil = options.ceilMode ?? false;
  const outShape: Pair = [poolOutputSize(H, kernel[0], stride[0], padding[0], ceil), poolOutputSize(W, kernel[1], stride[1], padding[1], ceil)];
  if (outShape[0] <= 0 || outShape[1] <= 0) {
    fail('shape', op, `output would be empty (${outShape[0]}x${outShape[1]}), got input ${showShape(t.shape)} with kernel [${kernel.join(',')}] and padding [${padding.join(',')}]`);
  }
  const y = await b.pool2d(kind, t, { kernel, stride, padding, outShape, countIncludePad: options.countIncludePad ?? true });
  return unbatched ? squeeze(b, y, 0) : y;
}

// TensorFlow's "SAME" max pool as the primitive: padding `before` on both sides (before <= after,
// at most half the kernel) and `ceil(n / s)` windows; the last ones run past the input into the
// `after` cells, which the primitive clips, as ceil mode does. A max over a window's real cells is
// what TensorFlow computes, and what replicate padding gives (test/ops/pool.test.ts proves both).
async function sameMaxPool(b: Backend, x: Tensor, kernelSize: number | Pair, stride: number | Pair | undefined): Promise<Tensor> {
  const op = 'maxPool2d';
  let t = await asFloat(b, op, x);
  checkRank(op, t, [3, 4]);
  const unbatched = t.shape.length === 3;
  if (unbatched) t = await unsqueeze(b, t, 0);
  const kernel = pair(kernelSize);
  const s = pair(stride ?? kernelSize);
  checkPair(op, kernel, 'kernelSize', true);
  checkPair(op, s, 'stride', true);
  const [, , H = 0, W = 0] = t.shape;
  if (H === 0 || W === 0) fail('shape', op, `output would be empty, got input ${showShape(t.shape)} with padding 'same'`);
  const padding: Pair = [samePadding(H, kernel[0], s[0])[0], samePadding(W, kernel[1], s[1])[0]];
  const y = await b.pool2d('max', t, { kernel, stride: s, padding, outShape: [Math.ceil(H / s[0]), Math.ceil(W / s[1])], countIncludePad: true });
  return unbatched ? squeeze(b, y, 0) : y;
}

/**
 * Max and average pooling of `x [N, C, H, W]` (or `[C, H, W]`) as `F.max_pool2d` (NaN
 * propagates) and `F.avg_pool2d` (`countIncludePad` default true). `maxPool2d` also takes
 * `padding: 'same'`: TensorFlow's "SAME" max pool, `ceil(H / stride)` rows, padded as
 * {@link samePadding} says (odd cell after), padded cells ignored.
 *
 * @example
 * ```ts
 * import { maxPool2d, avgPool2d, arange, reshape, referenceBackend as b, toNested } from 'canopy-nn';
 * const x = await reshape(b, arange(16), [1, 1, 4, 4]);
 * toNested(await maxPool2d(b, x, 2)); // [[[[5, 7], [13, 15]]]]
 * toNested(await avgPool2d(b, x, 2)); // [[[[2.5, 4.5], [10.5, 12.5]]]]
 * const y = await reshape(b, arange(9), [1, 1, 3, 3]);
 * toNested(await maxPool2d(b, y, 2, { padding: 'same' })); // [[[[4, 5], [7, 8]]]]
 * ```
 */
export async function maxPool2d(b: Backend, x: Tensor, kernelSize: number | Pair, options: Omit<Pool2dOptions, 'padding'> & { readonly padding?: number | Pair | 'same' } = {}): Promise<Tensor> {
  checkOptionKeys('maxPool2d', options, ['stride', 'padding', 'ceilMode']);
  const { padding } = options;
  if (padding !== 'same') return pool(b, 'max', 'maxPool2d', x, kernelSize, { ...options, padding });
  if (options.ceilMode === true) fail('argument', 'maxPool2d', `ceilMode must be false with padding 'same', got true`);
  return sameMaxPool(b, x, kernelSize, options.stride);
}

/** Average pooling as `F.avg_pool2d`; see {@link maxPool2d}. */
export async function avgPool2d(b: Backend, x: Tensor, kernelSize: number | Pair, options: AvgPool2dOptions = {}): Promise<Tensor> {
  checkOptionKeys('avgPool2d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
  return pool(b, 'avg', 'avgPool2d', x, kernelSize, options);
}

async function adaptiveAxis(b: Backend, x: Tensor, axis: number, out: number): Promise<Tensor> {
  const n = x.shape[axis] ?? 0;
  if (n === out) return x;
  const pieces: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const specs: SliceSpec[] = x.shape.map(() => ({}));
    specs[axis] = { start: Math.floor((i * n) / out), end: Math.ceil(((i + 1) * n) / out) };
    pieces.push(await mean(b, await slice(b, x, specs), axis, { keepdims: true }));
  }
  return concat(b, pieces, axis);
}

/**
 * Adaptive average pooling to `outputSize` (`F.adaptive_avg_pool2d`): window `i` of an axis of
 * length `n` covers `[floor(i·n/out), ceil((i+1)·n/out))`.
 *
 * @example
 * ```ts
 * import { adaptiveAvgPool2d, arange, reshape, referenceBackend as b, toNested } from 'canopy-nn';
 * const x = await reshape(b, arange(9), [1, 1, 3, 3]);
 * toNested(await adaptiveAvgPool2d(b, x, 1)); // [[[[4]]]]
 * ```
 */
export async function adaptiveAvgPool2d(b: Backend, x: Tensor, outputSize: number | Pair): Promise<Tensor> {
  const op = 'adaptiveAvgPool2d';
  const t = await asFloat(b, op, x);
  checkRank(op, t, [3, 4]);
  const [oh, ow] = pair(outputSize);
  checkPair(op, [oh, ow], 'outputSize', true);
  const r = t.shape.length;
  if ((t.shape[r - 2] ?? 0) === 0 || (t.shape[r - 1] ?? 0) === 0) fail('shape', op, `spatial dims must be positive, got ${showShape(t.shape)}`);
  return adaptiveAxis(b, await adaptiveAxis(b, t, r - 2, oh), r - 1, ow);
}

/**
 * Mean over the spatial axes: `[N, C, H, W] → [N, C, 1, 1]` (adaptive pooling to 1).
 *
 * @example
 * ```ts
 * import { globalAvgPool, ones, referenceBackend as b } from 'canopy-nn';
 * (await globalAvgPool(b, ones([2, 3, 4, 4]))).shape; // [2, 3, 1, 1]
 * ```
 */
export async function globalAvgPool(b: Backend, x: Tensor): Promise<Tensor> {
  const t = await asFloat(b, 'globalAvgPool', x);
  checkRank('globalAvgPool', t, [4]);
  return mean(b, t, [2, 3], { keepdims: true });
}
