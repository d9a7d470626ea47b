// conv2d kernels. The backend's path is im2col (a gather kernel) followed by the four-rows matmul
// with output channels as rows; a direct kernel computing four output channels per pixel and the
// naive one-output-per-thread direct kernel are kept for the benchmark (bench/RESULTS.md).
// Every kernel reads an input already padded on the CPU, so no loop has a bounds branch.

import type { Conv2dParams, Step } from '../../Backend.ts';
import type { Tensor } from '../../../tensor/Tensor.ts';
import type { GpuRuntime } from '../runtime.ts';
import { allSteps, deinterleave4, flatten, mapStep } from '../output.ts';
import { fastMatmul } from './matmul.ts';

// --- model

/**
 * A conv2d problem after padding: `x` is `[n, c, hp, wp]` (already padded), `w` is
 * `[o, c/groups, kh, kw]`, output `[n, o, oh, ow]`.
 * @internal
 */
export interface ConvShape {
  readonly n: number;
  readonly c: number;
  readonly hp: number;
  readonly wp: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

// --- constructors

/**
 * `[N, O, OH, OW]` of a conv2d, or undefined when the output or an operand is empty (the
 * backends then hand the call to the reference). @internal
 */
export function convOutShape(x: Tensor, w: Tensor, p: Conv2dParams): [number, number, number, number] | undefined {
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [o, , kh, kw] = w.shape as [number, number, number, number];
  const [pt, pb, pl, pr] = p.padding;
  const oh = Math.floor((h + pt + pb - p.dilation[0] * (kh - 1) - 1) / p.stride[0]) + 1;
  const ow = Math.floor((wd + pl + pr - p.dilation[1] * (kw - 1) - 1) / p.stride[1]) + 1;
  if (x.size === 0 || w.size === 0 || oh <= 0 || ow <= 0) return undefined;
  return [n, o, oh, ow];
}

/**
 * im2col source: output `[OW, OH, n*groups*K]` whose memory is `cols[n*groups][K][OH*OW]`, with
 * `K = (c/groups)*kh*kw`. Thread z = ((img*groups + g)*cg + ci)*kh*kw + ky*kw + kx, so the input
 * plane is floor(z / (kh*kw)) of the padded input viewed as `[n*c][hp][wp]`.
 * @internal
 */
export function im2colSource(s: ConvShape): string {
  const kk = s.kh * s.kw;
  return `function(x) {
  const r = this.thread.z % ${kk};
  const ky = Math.floor(r / ${s.kw});
  const kx = r - ky * ${s.kw};
  return x[Math.floor(this.thread.z / ${kk})][this.thread.y * ${s.stride[0]} + ky * ${s.dilation[0]}][this.thread.x * ${s.stride[1]} + kx * ${s.dilation[1]}];
}`;
}

/**
 * Direct kernel, four output channels per pixel, one image per call: output `[OW, o4, OH]` with
 * `Array(4)`, where `o4 = groups * ceil(og/4)`; weights padded per group to a multiple of 4
 * channels and viewed as `[o4][4][cg*kh*kw]`. Channel groups are thread y and output rows thread
 * z, so all channel groups of one output row run back to back over the same few input rows
 * (in cache) instead of streaming the whole input once per channel group.
 * @internal
 */
export function direct4Source(s: ConvShape): string {
  const cg = s.c / s.groups;
  const og4 = Math.ceil(s.o / s.groups / 4);
  const kk = s.kh * s.kw;
  // Everything is inlined: copying even lane-uniform values into locals measured ~1.5x slower.
  const plane = s.groups === 1 ? 'ci' : og4 === 1 ? `this.thread.y * ${cg} + ci` : `Math.floor(this.thread.y / ${og4}) * ${cg} + ci`;
  return `function(x, w) {
  let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
  for (let ci = 0; ci < ${cg}; ci++) {
    for (let ky = 0; ky < ${s.kh}; ky++) {
      for (let kx = 0; kx < ${s.kw}; kx++) {
        const v = x[${plane}][this.thread.z * ${s.stride[0]} + ky * ${s.dilation[0]}][this.thread.x * ${s.stride[1]} + kx * ${s.dilation[1]}];
        s0 += w[this.thread.y][0][ci * ${kk} + ky * ${s.kw} + kx] * v;
        s1 += w[this.thread.y][1][ci * ${kk} + ky * ${s.kw} + kx] * v;
        s2 += w[this.thread.y][2][ci * ${kk} + ky * ${s.kw} + kx] * v;
        s3 += w[this.thread.y][3][ci * ${kk} + ky * ${s.kw} + kx] * v;
      }
    }
  }
  return [s0, s1, s2, s3];
}`;
}

/** Naive direct kernel, one output per thread: output `[OW, OH, n*o]`. @internal */
export function naiveConvSource(s: ConvShape): string {
  const cg = s.c / s.groups;
  const og = s.o / s.groups;
  const plane = `Math.floor(this.thread.z / ${s.o}) * ${s.c} + Math.floor((this.thread.z % ${s.o}) / ${og}) * ${cg} + ci`;
  return `function(x, w) {
  let t = 0;
  for (let ci = 0; ci < ${cg}; ci++) {
    for (let ky = 0; ky < ${s.kh}; ky++) {
      for (let kx = 0; kx < ${s.kw}; kx++) {
        t += x[${plane}][this.thread.y * ${s.stride[0]} + ky * ${s.dilation[0]}][this.thread.x * ${s.stride[1]} + kx * ${s.dilation[1]}] * w[this.thread.z % ${s.o}][ci][ky * ${s.kw} + kx];
      }
    }
  }
  return t;
}`;
}

// --- combinators

/**
 * conv2d as im2col + the four-rows matmul: `x` padded `[n, c, hp, wp]`, `w` `[o, cg, kh, kw]`;
 * returns `[n, o, oh, ow]`.
 * @internal
 */
export function convIm2col(rt: GpuRuntime, s: ConvShape, x: Float32Array, w: Float32Array): Step<Float32Array> {
  const k = (s.c / s.groups) * s.kh * s.kw;
  const p = s.oh * s.ow;
  const nz = s.n * s.groups * k;
  const key = `im2col|${convKey(s)}`;
  const kernel = rt.kernel(key, () => im2colSource(s), () => ({ output: [s.ow, s.oh, nz] }));
  const cols = kernel(rt.view(x, [s.wp, s.hp, s.n * s.c])) as Step<unknown>;
  return mapStep(cols, (r) =>
    fastMatmul(rt, { batches: s.n * s.groups, aBatches: s.groups, m: s.o / s.groups, k, n: p }, w, flatten(r, nz * p)),
  ) as Step<Float32Array>;
}

/** conv2d with the direct four-channels-per-pixel kernel (same contract as {@link convIm2col}). @internal */
export function convDirect4(rt: GpuRuntime, s: ConvShape, x: Float32Array, w: Float32Array): Step<Float32Array> {
  const og = s.o / s.groups;
  const og4 = Math.ceil(og / 4);
  const o4 = og4 * s.groups;
  const kcols = (s.c / s.groups) * s.kh * s.kw;
  let wp = w;
  if (og4 * 4 !== og) {
    wp = new Float32Array(o4 * 4 * kcols);
    for (let g = 0; g < s.groups; g++) wp.set(w.subarray(g * og * kcols, (g + 1) * og * kcols), g * og4 * 4 * kcols);
  }
  const key = `conv4|${convKey({ ...s, n: 1 })}`;
  const kernel = rt.kernel(key, () => direct4Source(s), () => ({ output: [s.ow, o4, s.oh], returnType: 'Array(4)', flat: true }));
  // One call per image keeps the image index out of the inner loop (calls of one kernel queue).
  const planeSize = s.c * s.hp * s.wp;
  const wv = rt.view(wp, [kcols, 4, o4]);
  const perImage: Step<unknown>[] = [];
  for (let img = 0; img < s.n; img++) {
    perImage.push(kernel(rt.view(x.subarray(img * planeSize, (img + 1) * planeSize), [s.wp, s.hp, s.c]), wv) as Step<unknown>);
  }
  const cells = s.ow * s.oh * o4 * 4;
  return mapStep(allSteps(perImage), (parts) => {
    const out = new Float32Array(s.n * s.o * s.oh * s.ow);
    parts.forEach((part, img) => unpackChannels4(flatten(part, cells), out, img * s.o * s.oh * s.ow, s.o / s.groups, s.groups, s.oh, s.ow));
    return out;
  });
}

/** conv2d with the naive direct kernel (benchmark baseline). @internal */
export function convNaive(rt: GpuRuntime, s: ConvShape, x: Float32Array, w: Float32Array): Step<Float32Array> {
  const key = `conv1|${convKey(s)}`;
  const kernel = rt.kernel(key, () => naiveConvSource(s), () => ({ output: [s.ow, s.oh, s.n * s.o] }));
  const r = kernel(rt.view(x, [s.wp, s.hp, s.n * s.c]), rt.view(w, [s.kh * s.kw, s.c / s.groups, s.o])) as Step<unknown>;
  return mapStep(r, (res) => flatten(res, s.n * s.o * s.oh * s.ow));
}

// --- utils

// One image of the direct4 kernel's output into `out` at `base`: thread (x = ox, y = g*og4 + q,
// z = oy) holds channels g*og + 4q + c of pixel (oy, ox) at ((oy*o4 + y)*OW + ox)*4 + c. The source
// is read in order (four output planes written at once); plain numbers in locals, not the fields
// of the shape object, in the loop.
function unpackChannels4(src: Float32Array, out: Float32Array, base: number, og: number, groups: number, oh: number, ow: number): void {
  const og4 = Math.ceil(og / 4);
  const p = oh * ow;
  let at = 0;
  for (let oy = 0; oy < oh; oy++) {
    for (let g = 0; g < groups; g++) {
      for (let q = 0; q < og4; q++, at += 4 * ow) {
        deinterleave4(src, at, out, base + (g * og + 4 * q) * p + oy * ow, p, ow, Math.min(4, og - 4 * q));
      }
    }
  }
}

function convKey(s: ConvShape): string {
  return [s.n, s.c, s.hp, s.wp, s.o, s.kh, s.kw, s.oh, s.ow, ...s.stride, ...s.dilation, s.groups].join(',');
}
