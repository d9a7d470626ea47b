// Resampling: interpolate (nearest; bilinear with alignCorners true/false, PyTorch's source-index
// rules, computed in float32 like PyTorch's CPU kernels so the chosen pixels match exactly, or
// tfjs's asymmetric rule in float64 like tfjs; zero padding folded into the source indices) and
// pixel (un)shuffle.

import type { Backend, Pair } from '../backend/Backend.ts';
import { makeTensor, type Tensor } from '../tensor/Tensor.ts';
import { deviceMark, releaseDead } from '../tensor/device.ts';
import { add, mul } from './elementwise.ts';
import { permute, reshape } from './shape.ts';
import { checkOptionKeys } from './checkArgs.ts';
import { asFloat, checkPair, checkPositiveInt, checkRank, fail, pair, showShape } from './util.ts';

/** Options of {@link interpolate} (`F.interpolate`); give exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** Output `[H, W]` (or one number for both). */
  readonly size?: number | Pair;
  /** Multiplier of `[H, W]` (padding included); the output is `floor(in · scaleFactor)` and source indices use `1 / scaleFactor`. */
  readonly scaleFactor?: number | Pair;
  /** `'nearest'` (default, PyTorch's legacy nearest: `floor(dst · scale)`) or `'bilinear'`. */
  readonly mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels' centres. Default `false`. */
  readonly alignCorners?: boolean;
  /**
   * Bilinear without `alignCorners` only: `true` (default) samples at pixel centres, PyTorch's rule
   * (`src = (dst + 0.5) · in/out − 0.5`, ONNX `pytorch_half_pixel`); `false` is tfjs's
   * `resizeBilinear(…, alignCorners=false, halfPixelCenters=false)` (`src = dst · in/out`, ONNX
   * `asymmetric`), with tfjs's float64 source coordinates.
   */
  readonly halfPixelCenters?: boolean;
  /**
   * Zeros added `[top, bottom, left, right]` before resizing, folded into the sampling (no padded
   * copy): the result equals resizing `pad(x, padding)` for finite `x` (a non-finite value next to
   * the padding spreads, as it is weighted by 0 instead of dropped). Default none.
   */
  readonly padding?: readonly [number, number, number, number];
}

const f = Math.fround;

/** How one axis is resampled: its size, the output size and the rule. */
interface AxisRule {
  readonly n: number;
  readonly out: number;
  readonly scaleFactor: number | undefined;
  readonly mode: 'nearest' | 'bilinear';
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
  /** Zeros before and after the `n` values. */
  readonly pad: readonly [number, number];
}

/**
 * Per-axis sources: nearest gives one index, bilinear two indices and their weights, all in the
 * padded frame first; a source in the padding then reads index 0 with weight 0.
 */
function axisPlan({ n: len, out, scaleFactor, mode, alignCorners, halfPixelCenters, pad: [before, after] }: AxisRule) {
  const n = before + len + after;
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const w0 = new Float32Array(out);
  const w1 = new Float32Array(out);
  const given = scaleFactor === undefined ? undefined : f(1 / scaleFactor);
  const inImage = (i: number): boolean => i >= before && i < before + len;
  for (let d = 0; d < out; d++) {
    if (mode === 'nearest') {
      const scale = given ?? f(n / out);
      const i = out === n ? d : Math.min(Math.floor(f(d * scale)), n - 1);
      i0[d] = inImage(i) ? i - before : 0;
      w0[d] = inImage(i) ? 1 : 0;
      continue;
    }
    let lo: number;
    let hi: number;
    let l1: number;
    if (!alignCorners && !halfPixelCenters) {
      // tfjs-cpu's arithmetic: the coordinate in float64, the upper source ceil(src).
      const src = (scaleFactor === undefined ? n / out : 1 / scaleFactor) * d;
      lo = Math.min(Math.floor(src), n - 1);
      hi = Math.min(Math.ceil(src), n - 1);
      l1 = f(src - lo);
    } else {
      let src: number;
      if (alignCorners) src = f((out > 1 ? f((n - 1) / (out - 1)) : 0) * d);
      else {
        src = f(f((given ?? f(n / out)) * f(d + 0.5)) - 0.5);
        if (src < 0) src = 0;
      }
      lo = Math.min(Math.floor(src), n - 1);
      hi = lo < n - 1 ? lo + 1 : lo;
      l1 = Math.min(Math.max(f(src - lo), 0), 1);
    }
    i0[d] = inImage(lo) ? lo - before : 0;
    i1[d] = inImage(hi) ? hi - before : 0;
    w0[d] = inImage(lo) ? f(1 - l1) : 0;
    w1[d] = inImage(hi) ? l1 : 0;
  }
  return { i0, i1, w0, w1 };
}

async function resampleAxis(b: Backend, x: Tensor, axis: number, rule: AxisRule): Promise<Tensor> {
  const { n, out, scaleFactor, mode, pad } = rule;
  const padded = pad[0] + pad[1] > 0;
  // same size from `size`: every rule maps d -> d with weight 1 (not so with a scaleFactor)
  if (out === n && scaleFactor === undefined && !padded) return x;
  const plan = axisPlan(rule);
  const wShape = [out, ...x.shape.slice(axis + 1).map(() => 1)];
  // Each intermediate is released once used (on a device, a photo's row gathers are ~10 MB each).
  const mark = deviceMark();
  const g0 = await b.gather(x, makeTensor(plan.i0, [out], 'int32'), axis);
  if (mode === 'nearest') return padded ? mul(b, g0, makeTensor(plan.w0, wShape, 'float32')) : g0;
  const g1 = await b.gather(x, makeTensor(plan.i1, [out], 'int32'), axis);
  const a = await mul(b, g0, makeTensor(plan.w0, wShape, 'float32'));
  releaseDead(g0, mark, a);
  const c = await mul(b, g1, makeTensor(plan.w1, wShape, 'float32'));
  releaseDead(g1, mark, c);
  const y = await add(b, a, c);
  releaseDead([a, c], mark, y);
  return y;
}

/**
 * Resizes the last two axes of `x [N, C, H, W]` as `F.interpolate`, or as tfjs's `resizeBilinear`
 * with `halfPixelCenters: false`; `padding` adds zeros around the image first without copying it
 * (a 3-D input is refused: PyTorch reads it as `[N, C, L]`).
 *
 * @example
 * ```ts
 * import { interpolate, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * const x = fromArray([[[[1, 2], [3, 4]]]]);
 * toNested(await interpolate(b, x, { scaleFactor: 2 })); // [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]
 * toNested(await interpolate(b, x, { size: 3, mode: 'bilinear', alignCorners: true })); // [[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]]
 * toNested(await interpolate(b, x, { size: 2, mode: 'bilinear', halfPixelCenters: false, padding: [0, 0, 0, 1] })); // [[[[1, 1], [3, 2]]]]
 * ```
 */
export async function interpolate(b: Backend, x: Tensor, options: InterpolateOptions): Promise<Tensor> {
  const op = 'interpolate';
  const t = await asFloat(b, op, x);
  // 4-D only: PyTorch reads a 3-D input as [N, C, L] (a 1-D resize), so resizing it as [C, H, W]
  // would silently differ from the model being ported.
  if (t.shape.length !== 4) {
    fail('shape', op, `input must be [N, C, H, W] (PyTorch reads a 3-D input as [N, C, L]; unsqueeze a [C, H, W] image to [1, C, H, W]), got ${showShape(t.shape)}`);
  }
  checkOptionKeys(op, options, ['size', 'scaleFactor', 'mode', 'alignCorners', 'halfPixelCenters', 'padding']);
  const { mode = 'nearest', size, scaleFactor, padding = [0, 0, 0, 0] } = options;
  if (mode !== 'nearest' && mode !== 'bilinear') fail('argument', op, `mode must be 'nearest' or 'bilinear', got ${String(mode)}`);
  if ((size === undefined) === (scaleFactor === undefined)) {
    fail('argument', op, `exactly one of size and scaleFactor must be given, got ${size === undefined ? 'neither' : 'both'}`);
  }
  if (mode === 'nearest' && options.alignCorners !== undefined) {
    fail('argument', op, `alignCorners only applies to mode 'bilinear', got mode 'nearest' with alignCorners ${options.alignCorners}`);
  }
  if (options.halfPixelCenters !== undefined && (mode !== 'bilinear' || options.alignCorners === true)) {
    fail('argument', op, `halfPixelCenters only applies to mode 'bilinear' without alignCorners, got mode '${mode}' with alignCorners ${String(options.alignCorners ?? false)}`);
  }
  if (!Array.isArray(padding) || padding.length !== 4 || !padding.every((p) => Number.isInteger(p) && p >= 0)) {
    fail('argument', op, `padding must be 4 non-negative integers [top, bottom, left, right], got ${String(padding)}`);
  }
  const [, , H = 0, W = 0] = t.shape;
  if (H === 0 || W === 0) fail('shape', op, `spatial dims must be positive, got ${showShape(t.shape)}`);
  const [pt, pb, pl, pr] = padding;
  let outSize: [number, number];
  const sf = scaleFactor === undefined ? undefined : pair(scaleFactor);
  if (sf !== undefined) {
    if (!(sf[0] > 0 && sf[1] > 0 && Number.isFinite(sf[0]) && Number.isFinite(sf[1]))) fail('argument', op, `scaleFactor must be positive and finite, got [${sf.join(',')}]`);
    outSize = [Math.floor((H + pt + pb) * sf[0]), Math.floor((W + pl + pr) * sf[1])];
    if (outSize[0] <= 0 || outSize[1] <= 0) fail('shape', op, `scaled output would be empty, got input ${showShape(t.shape)} and scaleFactor [${sf.join(',')}]`);
  } else {
    outSize = pair(size ?? 1);
    checkPair(op, outSize, 'size', true);
  }
  const alignCorners = options.alignCorners ?? false;
  const halfPixelCenters = options.halfPixelCenters ?? true;
  const rule = { mode, alignCorners, halfPixelCenters };
  const mark = deviceMark();
  const rows = await resampleAxis(b, t, 2, { ...rule, n: H, out: outSize[0], scaleFactor: sf?.[0], pad: [pt, pb] });
  const y = await resampleAxis(b, rows, 3, { ...rule, n: W, out: outSize[1], scaleFactor: sf?.[1], pad: [pl, pr] });
  releaseDead(rows, mark, y);
  return y;
}

/**
 * Space-to-depth (`F.pixel_unshuffle`): `[N, C, H·r, W·r] → [N, C·r², H, W]`, and its inverse
 * `pixelShuffle` (depth-to-space, `F.pixel_shuffle`).
 *
 * @example
 * ```ts
 * import { pixelUnshuffle, pixelShuffle, zeros, referenceBackend as b } from 'canopy-nn';
 * (await pixelUnshuffle(b, zeros([1, 3, 4, 6]), 2)).shape; // [1, 12, 2, 3]
 * (await pixelShuffle(b, zeros([1, 12, 2, 3]), 2)).shape; // [1, 3, 4, 6]
 * ```
 */
export async function pixelUnshuffle(b: Backend, x: Tensor, downscaleFactor: number): Promise<Tensor> {
  const op = 'pixelUnshuffle';
  checkRank(op, x, [4]);
  checkPositiveInt(op, downscaleFactor, 'downscaleFactor');
  const r = downscaleFactor;
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  if (H % r !== 0 || W % r !== 0) fail('shape', op, `height and width must be divisible by ${r}, got ${showShape(x.shape)}`);
  const split = await reshape(b, x, [N, C, H / r, r, W / r, r]);
  return reshape(b, await permute(b, split, [0, 1, 3, 5, 2, 4]), [N, C * r * r, H / r, W / r]);
}

/** Depth-to-space (`F.pixel_shuffle`): `[N, C·r², H, W] → [N, C, H·r, W·r]`; see {@link pixelUnshuffle}. */
export async function pixelShuffle(b: Backend, x: Tensor, upscaleFactor: number): Promise<Tensor> {
  const op = 'pixelShuffle';
  checkRank(op, x, [4]);
  checkPositiveInt(op, upscaleFactor, 'upscaleFactor');
  const r = upscaleFactor;
  const [N = 0, Cr = 0, H = 0, W = 0] = x.shape;
  if (Cr % (r * r) !== 0) fail('shape', op, `channels must be divisible by ${r * r}, got ${showShape(x.shape)}`);
  const split = await reshape(b, x, [N, Cr / (r * r), r, r, H, W]);
  return reshape(b, await permute(b, split, [0, 1, 4, 2, 5, 3]), [N, Cr / (r * r), H * r, W * r]);
}
