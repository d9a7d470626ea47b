// The gpu.js backend: every arithmetic primitive is a cached gpu.js kernel; movement primitives are
// CPU typed-array loops (see tensor/strided.ts for why). Results are Promises in the async modes.

import type {
  Backend,
  BinaryOp,
  Conv2dParams,
  ConvTranspose2dParams,
  PadMode,
  Pool2dParams,
  PoolOp,
  ReduceOp,
  Step,
  UnaryOp,
} from '../Backend.ts';
import { CanopyError } from '../../errors.ts';
import { applyEpilogueInPlace, composeEpilogue, type ConvEpilogueBackend, type Epilogue } from '../fused.ts';
import { referenceBackend } from '../reference/index.ts';
import { makeTensor, sizeOf, type DType, type Tensor } from '../../tensor/Tensor.ts';
import { broadcastShapes, stridesOf } from '../../tensor/shape.ts';
import { createRuntime, modeUnavailableReason, type GpujsMode, type GpuRuntime } from './runtime.ts';
import { mapStep } from './output.ts';
import { thenStep } from '../../core/step.ts';
import { binaryBodies, mapKernel, unaryBodies, whereBody } from './kernels/elementwise.ts';
import { reduceKernel } from './kernels/reduce.ts';
import { fastMatmul } from './kernels/matmul.ts';
import { convDirect4, convIm2col, convOutShape, type ConvShape } from './kernels/conv2d.ts';
import { convRow, rowConvApplies, rowConvExtraColumns } from './kernels/convRow.ts';
import { fusesInKernel } from './kernels/epilogue.ts';
import { poolKernel } from './kernels/pool2d.ts';
import { residentPrimitives, type DeviceStats, type DeviceStatsOptions } from './resident.ts';
import { expandData, gatherTables, padData, padTable, permuteData, permuteTensor, sliceData } from '../../tensor/strided.ts';

// --- model

/** Options of {@link createGpujsBackend}. */
export interface GpujsBackendOptions {
  /**
   * gpu.js mode, or modes in order of preference: the first available here runs, and
   * `describe()` names the ones skipped and why (the fallback chain). Default: `'async'` (webasm
   * on a worker pool) where threads work, else `'webasm'`, else `'cpu'`.
   */
  readonly mode?: GpujsMode | readonly GpujsMode[];
  /** Worker threads in the `async` mode. Default: the number of CPU cores. */
  readonly threads?: number;
  /** Most compiled kernels kept alive (least recently used are destroyed). Default 128 (32 for WebAssembly kernels in a page, which each hold a WebAssembly.Memory). */
  readonly cacheSize?: number;
  /**
   * conv2d formulation: the direct kernel computing four output channels per pixel, or im2col +
   * the four-rows matmul. Default `'direct4'` (about 1.6x faster than im2col on 64→64 3×3 at 128²,
   * bench/RESULTS.md).
   */
  readonly conv?: 'im2col' | 'direct4';
  /**
   * In the `async` mode, kernels doing less work than this (multiply-adds or elementwise
   * operations) run synchronously on the calling thread instead of the worker pool, whose round
   * trip costs more than it saves on them. Default {@link threadedMinWork} (measured,
   * bench/RESULTS.md); `0` sends every kernel to the pool, `Infinity` none.
   */
  readonly threadedMinWork?: number;
  /**
   * Keep kernel results on the device: each result is a GPU buffer (`webgpu`) or texture
   * (`webgl2`) that feeds the next kernel, read by `readTensor`. Default true in those two modes,
   * false elsewhere (false: every kernel reads its result back). `true` in a CPU mode runs the
   * same resident kernels and lifetimes over host memory (how Node tests them without a GPU).
   */
  readonly resident?: boolean;
}

/**
 * The default {@link GpujsBackendOptions.threadedMinWork}: below about 2²² (4M) multiply-adds a kernel
 * runs faster on the calling thread than split over the worker pool (bench/kernels.ts `dispatch`,
 * RESULTS.md "Dispatch"). @internal
 */
export const threadedMinWork = 2 ** 22;

/** The gpu.js {@link Backend}, with its mode, a report line, cache statistics and cleanup. */
export interface GpujsBackend extends ConvEpilogueBackend {
  readonly mode: GpujsMode;
  /**
   * What runs, e.g. `gpujs/webasm (async, 2 threads)`; after a fallback, what was skipped:
   * `gpujs/webgl2 (sync; skipped webgpu: no WebGPU implementation ...)`.
   */
  describe(): string;
  /** Kernel cache size, hits and misses. */
  cacheStats(): { size: number; hits: number; misses: number };
  /** Kernel calls, readbacks, the device tensors alive and their peak bytes (see docs/browser.md). */
  deviceStats(options?: DeviceStatsOptions): DeviceStats;
  /** Destroys every kernel and worker thread; the backend must not be used afterwards. */
  destroy(): void;
}

// --- constructors

/**
 * The default gpu.js mode on this platform: threaded webasm when available (ARCHITECTURE §5:
 * gpu.js's own auto modes prefer headless-gl or any WebGPU adapter, both slower on a CPU).
 *
 * @example
 * ```ts
 * defaultGpujsMode(); // 'async' in Node 20
 * ```
 */
export function defaultGpujsMode(): GpujsMode {
  if (modeUnavailableReason('async') === undefined) return 'async';
  if (modeUnavailableReason('webasm') === undefined) return 'webasm';
  return 'cpu';
}

/**
 * Creates a gpu.js backend; throws CanopyError('backend') when the requested mode cannot run here.
 *
 * @example
 * ```ts
 * const be = createGpujsBackend({ mode: 'webasm' });
 * const y = await be.binary('add', fromArray([1, 2]), fromArray(10));
 * toNested(y); // [11, 12]
 * be.destroy();
 * ```
 */
export function createGpujsBackend(options: GpujsBackendOptions = {}): GpujsBackend {
  const { mode, skipped } = chooseMode(options.mode ?? defaultGpujsMode());
  const cacheOpt = options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize };
  const rt = createRuntime(mode, { ...(options.threads === undefined ? {} : { threads: options.threads }), ...cacheOpt });
  // Dispatch that fits the work: small kernels of the async mode run on a synchronous runtime.
  const minWork = options.threadedMinWork ?? threadedMinWork;
  const inline = mode === 'async' && minWork > 0 ? createRuntime('webasm', cacheOpt) : undefined;
  const on = (work: number): GpuRuntime => (inline !== undefined && work < minWork ? inline : rt);
  const conv = options.conv === 'im2col' ? convIm2col : convDirect4;
  const expandFn = (d: Float32Array, from: readonly number[], to: readonly number[]): Float32Array =>
    expandData(d, [...Array<number>(to.length - from.length).fill(1), ...from], to) as Float32Array;

  // The conv2d primitive's data, by the formulation that fits the shape (output buffer fresh),
  // with the epilogue `e` applied: inside the pointwise kernel where the engine allows it
  // (kernels/epilogue.ts), else in one pass in place before any tensor holds the buffer.
  const convData = (x: Tensor, w: Tensor, p: Conv2dParams, e: Epilogue = {}): Step<Float32Array> => {
    const [n, c, h, wd] = x.shape as [number, number, number, number];
    const [o, , kh, kw] = w.shape as [number, number, number, number];
    const [pt, pb, pl, pr] = p.padding;
    const [, , oh, ow] = convOutShape(x, w, p)!;
    const s: ConvShape = { n, c, hp: h + pt + pb, wp: wd + pl + pr, o, kh, kw, oh, ow, stride: p.stride, dilation: p.dilation, groups: p.groups };
    // Depthwise and few-input-channel convolutions: four adjacent outputs of one channel per
    // thread (6.8x / 3.6x faster than direct4 on the face detector's shapes, RESULTS.md).
    const extra = rowConvApplies(s) ? rowConvExtraColumns(s, 4) : 0;
    const xp = pt + pb + pl + pr + extra === 0 ? x.data : padData(x.data, x.shape, [[0, 0], [0, 0], [pt, pb], [pl, pr + extra]], 'constant', 0);
    const work = n * o * oh * ow * (c / p.groups) * kh * kw;
    // A pointwise (1×1, stride 1) conv is W [o, c] · X [c, oh*ow] per image: the four-rows matmul
    // beats direct4 on it, by 3x where the planes are small (128→256 at 26², RESULTS.md).
    const rt = on(work);
    const fused = e.bias !== undefined || e.activation !== undefined;
    const ke = { ...(e.bias === undefined ? {} : { bias: e.bias.data as Float32Array }), ...(e.activation === undefined ? {} : { activation: e.activation }) };
    if (kh === 1 && kw === 1 && p.stride[0] === 1 && p.stride[1] === 1 && p.groups === 1 && !rowConvApplies(s)) {
      return fastMatmul(rt, { batches: n, aBatches: 1, m: o, k: c, n: oh * ow }, w.data as Float32Array, xp as Float32Array, ke);
    }
    const inKernel = fused && rowConvApplies(s) && fusesInKernel(rt);
    const y = rowConvApplies(s) ? convRow(rt, { ...s, wp: s.wp + extra }, xp as Float32Array, w.data as Float32Array, 4, inKernel ? ke : undefined) : conv(rt, s, xp as Float32Array, w.data as Float32Array);
    if (!fused || inKernel) return y;
    return mapStep(y, (d) => (applyEpilogueInPlace(d, o, oh * ow, e.bias?.data, e.activation), d));
  };

  const backend: GpujsBackend = {
    name: `gpujs:${mode}`,
    mode,
    describe: () => describeRuntime(rt, skipped),
    cacheStats: () => {
      const [a, b] = [rt.cache.stats(), inline?.cache.stats() ?? { size: 0, hits: 0, misses: 0 }];
      return { size: a.size + b.size, hits: a.hits + b.hits, misses: a.misses + b.misses };
    },
    // Without residency every kernel call reads its result back.
    deviceStats: () => {
      const calls = rt.calls + (inline?.calls ?? 0);
      return { resident: false, kernelCalls: calls, readbacks: calls, liveTensors: 0, liveBytes: 0, peakBytes: 0, uploads: 0, cachedBytes: 0, reusableCalls: 0 };
    },
    destroy: () => {
      rt.destroy();
      inline?.destroy();
    },

    unary(op: UnaryOp, x: Tensor): Step<Tensor> {
      if (x.size === 0) return referenceBackend.unary(op, x);
      return f32(mapKernel(on(x.size), `u:${op}`, unaryBodies[op], ['v'], x.shape, [x.shape], [x.data as Float32Array], expandFn), x.shape);
    },

    binary(op: BinaryOp, a: Tensor, b: Tensor): Step<Tensor> {
      const shape = broadcastShapes(a.shape, b.shape, op);
      if (sizeOf(shape) === 0) return referenceBackend.binary(op, a, b);
      return f32(
        mapKernel(on(sizeOf(shape)), `b:${op}`, binaryBodies[op], ['a', 'b'], shape, [a.shape, b.shape], [a.data as Float32Array, b.data as Float32Array], expandFn),
        shape,
      );
    },

    where(cond: Tensor, a: Tensor, b: Tensor): Step<Tensor> {
      const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
      if (sizeOf(shape) === 0) return referenceBackend.where(cond, a, b);
      const c = cond.data instanceof Float32Array ? cond.data : Float32Array.from(cond.data);
      return f32(
        mapKernel(on(sizeOf(shape)), 'where', whereBody, ['c', 'a', 'b'], shape, [cond.shape, a.shape, b.shape], [c, a.data as Float32Array, b.data as Float32Array], expandFn),
        shape,
      );
    },

    // The reference's reshape (shares data), concat, cast and gather are plain typed-array copies
    // already, with nothing a kernel could speed up; so are the empty cases of every primitive.
    cast: referenceBackend.cast,

    reduce(op: ReduceOp, x: Tensor, axes: readonly number[], keepdims: boolean): Step<Tensor> {
      const outShape = reducedShape(x.shape, axes, keepdims);
      if (x.size === 0 || axes.length === 0) return referenceBackend.reduce(op, x, axes, keepdims);
      const { data, outer, r, inner } = reduceLayout(x, axes);
      return f32(reduceKernel(on(x.size), op, { outer, r, inner }, data), outShape);
    },

    argmax(x: Tensor, axis: number, keepdims: boolean): Step<Tensor> {
      if (x.size === 0) return referenceBackend.argmax(x, axis, keepdims);
      const { data, outer, r, inner } = reduceLayout(x, [axis]);
      const outShape = reducedShape(x.shape, [axis], keepdims);
      return mapStep(reduceKernel(on(x.size), 'argmax', { outer, r, inner }, data), (d) => makeTensor(Int32Array.from(d), outShape, 'int32'));
    },

    reshape: referenceBackend.reshape,
    permute: (x: Tensor, axes: readonly number[]) => permuteTensor(x, axes),
    expand: (x: Tensor, shape: readonly number[]) => same(x, expandData(x.data, x.shape, shape), shape),
    slice: (x: Tensor, starts: readonly number[], steps: readonly number[], shape: readonly number[]) =>
      same(x, sliceData(x.data, x.shape, starts, steps, shape), shape),
    pad: (x: Tensor, pads: readonly (readonly [number, number])[], mode: PadMode, value: number) =>
      same(x, padData(x.data, x.shape, pads, mode, value), x.shape.map((d, a) => d + pads[a]![0] + pads[a]![1])),
    concat: referenceBackend.concat,

    matmul(a: Tensor, b: Tensor): Step<Tensor> {
      const [batches, m, k] = a.shape as [number, number, number];
      const n = b.shape[2]!;
      if (batches * m * n === 0 || k === 0) return referenceBackend.matmul(a, b);
      return f32(fastMatmul(on(batches * m * n * k), { batches, aBatches: batches, m, k, n }, a.data as Float32Array, b.data as Float32Array), [batches, m, n]);
    },

    conv2d(x: Tensor, w: Tensor, p: Conv2dParams): Step<Tensor> {
      const shape = convOutShape(x, w, p);
      if (shape === undefined) return referenceBackend.conv2d(x, w, p);
      return f32(convData(x, w, p), shape);
    },

    // The epilogue runs inside the kernel or on its fresh output buffer before any tensor holds
    // it: never a kernel call (input copy, output buffer, dispatch) per elementwise op.
    conv2dEpilogue(x: Tensor, w: Tensor, p: Conv2dParams, e: Epilogue): Step<Tensor> {
      const shape = convOutShape(x, w, p);
      if (shape === undefined) return thenStep(referenceBackend.conv2d(x, w, p), (y) => composeEpilogue(referenceBackend, y, e));
      return f32(convData(x, w, p, e), shape);
    },

    convTranspose2d(x: Tensor, w: Tensor, p: ConvTranspose2dParams): Step<Tensor> {
      // A transposed conv is a stride-1 conv of the zero-stuffed, re-padded input with the kernel
      // flipped and its in/out channels swapped per group (Dumoulin & Visin, "A guide to convolution
      // arithmetic", §4); padding larger than the kernel's reach becomes cropping.
      const [n, c, h, wd] = x.shape as [number, number, number, number];
      const [, og, kh, kw] = w.shape as [number, number, number, number];
      const g = p.groups;
      const cg = c / g;
      const o = og * g;
      const reach = [p.dilation[0] * (kh - 1), p.dilation[1] * (kw - 1)] as const;
      const before = [reach[0] - p.padding[0], reach[1] - p.padding[1]] as const;
      const after = [before[0] + p.outputPadding[0], before[1] + p.outputPadding[1]] as const;
      const st = stridesOf(x.shape);
      const tables = [
        padTable(n, 0, 0, 'constant', st[0]!),
        padTable(c, 0, 0, 'constant', st[1]!),
        padTable(h, before[0], after[0], 'constant', st[2]!, p.stride[0]),
        padTable(wd, before[1], after[1], 'constant', st[3]!, p.stride[1]),
      ];
      const xs = gatherTables(x.data, tables, 0) as Float32Array;
      const hp = tables[2]!.length;
      const wp = tables[3]!.length;
      const oh = hp - reach[0];
      const ow = wp - reach[1];
      if (x.size === 0 || w.size === 0 || oh <= 0 || ow <= 0) return referenceBackend.convTranspose2d(x, w, p);
      const wt = new Float32Array(o * cg * kh * kw);
      for (let gi = 0; gi < g; gi++)
        for (let oi = 0; oi < og; oi++)
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++)
                wt[(((gi * og + oi) * cg + ci) * kh + ky) * kw + kx] =
                  w.data[(((gi * cg + ci) * og + oi) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx)]!;
      const s: ConvShape = { n, c, hp, wp, o, kh, kw, oh, ow, stride: [1, 1], dilation: p.dilation, groups: g };
      return f32(conv(on(n * o * oh * ow * cg * kh * kw), s, xs, wt), [n, o, oh, ow]);
    },

    pool2d(op: PoolOp, x: Tensor, p: Pool2dParams): Step<Tensor> {
      const [n, c, h, w] = x.shape as [number, number, number, number];
      const [oh, ow] = p.outShape;
      if (x.size === 0 || oh <= 0 || ow <= 0) return referenceBackend.pool2d(op, x, p);
      // Max clamps its reads into x (kernels/pool2d.ts); avg reads x padded by zeros so that
      // every window lies inside (ceil mode may run past the symmetric padding).
      const hp = op === 'max' ? h : Math.max(h + 2 * p.padding[0], (oh - 1) * p.stride[0] + p.kernel[0]);
      const wp = op === 'max' ? w : Math.max(w + 2 * p.padding[1], (ow - 1) * p.stride[1] + p.kernel[1]);
      const pads: [number, number][] = [[0, 0], [0, 0], [p.padding[0], hp - h - p.padding[0]], [p.padding[1], wp - w - p.padding[1]]];
      const xp = (hp === h && wp === w ? x.data : padData(x.data, x.shape, pads, 'constant', 0)) as Float32Array;
      return f32(poolKernel(on(n * c * oh * ow * p.kernel[0] * p.kernel[1]), op, { planes: n * c, h, w, hp, wp, p }, xp), [n, c, oh, ow]);
    },

    gather: referenceBackend.gather,
  };
  if (!(options.resident ?? (mode === 'webgpu' || mode === 'webgl2'))) return backend;
  const { releaseUploads, ...resident } = residentPrimitives(rt, backend.name, backend);
  return {
    ...backend,
    ...resident,
    destroy: () => {
      releaseUploads();
      backend.destroy();
    },
  };
}

// --- utils

/** The report line of a runtime, e.g. `gpujs/webasm (async, 2 threads)`. @internal */
export function describeRuntime(rt: GpuRuntime, skipped: readonly string[] = []): string {
  const how = rt.mode === 'async' ? `async, ${rt.threads} thread${rt.threads === 1 ? '' : 's'}` : rt.async ? 'async' : 'sync';
  const forced = rt.mode === 'gpu' ? `gpu → ${rt.engine}` : rt.engine;
  return `gpujs/${forced} (${[how, ...skipped.map((s) => `skipped ${s}`)].join('; ')})`;
}

// The first available mode of a preference list, and why each one before it was passed over;
// none available is the CanopyError of the last (createRuntime's check, naming the reason).
function chooseMode(pref: GpujsMode | readonly GpujsMode[]): { mode: GpujsMode; skipped: string[] } {
  const modes: readonly GpujsMode[] = typeof pref === 'string' ? [pref] : pref;
  if (modes.length === 0) throw new CanopyError('backend', 'createGpujsBackend: mode must name at least one gpu.js mode, got []');
  const skipped: string[] = [];
  for (const m of modes.slice(0, -1)) {
    const reason = modeUnavailableReason(m);
    if (reason === undefined) return { mode: m, skipped };
    skipped.push(`${m}: ${reason}`);
  }
  return { mode: modes[modes.length - 1]!, skipped };
}

function f32(data: Step<Float32Array>, shape: readonly number[]): Step<Tensor> {
  return mapStep(data, (d) => makeTensor(d, shape, 'float32'));
}

function same(x: Tensor, data: Float32Array | Int32Array, shape: readonly number[]): Tensor {
  return makeTensor(data, shape, x.dtype);
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

// Views x as [outer, r, inner] with the reduced axes in the middle; permutes them together first
// when they are not one contiguous block.
function reduceLayout(x: Tensor, axes: readonly number[]): { data: Float32Array; outer: number; r: number; inner: number } {
  const sorted = [...axes].sort((a, b) => a - b);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const r = sorted.reduce((p, a) => p * x.shape[a]!, 1);
  if (last - first + 1 === sorted.length) {
    return { data: x.data as Float32Array, outer: sizeOf(x.shape.slice(0, first)), r, inner: sizeOf(x.shape.slice(last + 1)) };
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !sorted.includes(i));
  const data = permuteData(x.data, x.shape, [...kept, ...sorted]) as Float32Array;
  return { data, outer: x.size / r, r, inner: 1 };
}
