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

/**
 * Max and average pooling of `x [N, C, H, W]` (or `[C, H, W]`) as `F.max_pool2d` (NaN
 * propagates) and `F.avg_pool2d` (`countIncludePad` default true).
 *
 * @example
 * ```ts
 * import { maxPool2d, avgPool2d, arange, reshape, referenceBackend as b, toNested } from 'canopy-nn';
 * const x = await reshape(b, arange(16), [1, 1, 4, 4]);
 * toNested(await maxPool2d(b, x, 2)); // [[[[5, 7], [13, 15]]]]
 * toNested(await avgPool2d(b, x, 2)); // [[[[2.5, 4.5], [10.5, 12.5]]]]
 * ```
 */
export async function maxPool2d(b: Backend, x: Tensor, kernelSize: number | Pair, options: Pool2dOptions = {}): Promise<Tensor> {
  checkOptionKeys('maxPool2d', options, ['stride', 'padding', 'ceilMode']);
  return pool(b, 'max', 'maxPool2d', x, kernelSize, options);
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
