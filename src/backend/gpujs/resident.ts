// Device-resident primitives for gpu.js's GPU modes (WebGPU, WebGL2): every kernel leaves its
// result on the device (gpu.js `pipeline`: a storage buffer on WebGPU, a float texture on WebGL)
// and takes device results as arguments, so a forward pass reads nothing back until the user
// calls `readTensor` (docs/design.md, "Device-resident tensors").
//
// Why separate kernels from kernels/*.ts: those repack operands on the CPU around each call
// (matmul's row blocks, direct4's four-channel output, padded copies), which needs host values.
// These read and write flat row-major buffers only: one thread per output element (four
// consecutive ones for convs and pools, convSource4), the output index decomposed into
// coordinates, padding and broadcasting done by index arithmetic in the kernel, so every output is
// a tensor's own layout and feeds the next kernel as is. A 1-D output
// also sidesteps gpu.js's per-argument dimensions: a WebGPU buffer is bound wherever an array
// was declared, and a WebGL texture of any size is indexed linearly.

import type { Backend, BinaryOp, Conv2dParams, ConvTranspose2dParams, PadMode, Pool2dParams, PoolOp, ReduceOp, Step, UnaryOp } from '../Backend.ts';
import { composeEpilogue, type Epilogue } from '../fused.ts';
import { makeTensor, sizeOf, type DType, type Tensor } from '../../tensor/Tensor.ts';
import { deviceHandle, makeDeviceTensor, readTensor, type DeviceHandle } from '../../tensor/device.ts';
import { broadcastShapes, stridesOf } from '../../tensor/shape.ts';
import { thenStep } from '../../core/step.ts';
import type { GpuRuntime, KernelSettings } from './runtime.ts';
import { flatten, mapStep, allSteps } from './output.ts';
import { binaryBodies, collapse, unaryBodies, whereBody } from './kernels/elementwise.ts';
import { convOutShape } from './kernels/conv2d.ts';
import { epilogueKey, epilogueLines } from './kernels/epilogue.ts';

// --- model

/** What a gpu.js backend has done on and with the device (zero in the CPU modes). */
export interface DeviceStats {
  /** True when kernel results stay on the device (WebGPU, WebGL2). */
  readonly resident: boolean;
  /** Kernel calls so far (compute kernels; the uploads below are counted apart). */
  readonly kernelCalls: number;
  /** Device-to-host copies so far: `readTensor`, a synchronous `data` read, a host fallback. */
  readonly readbacks: number;
  /** Device tensors not yet released (their handles). */
  readonly liveTensors: number;
  /** Bytes of values those hold (4 per element). */
  readonly liveBytes: number;
  /**
   * The most `liveBytes` reached since the backend was made, or since the last
   * `deviceStats({ resetPeak: true })`: the device memory a forward needs at once.
   */
  readonly peakBytes: number;
  /**
   * Host tensors copied to the device once and kept there, so far: a conv's weight and bias at
   * their first use, any other host operand used a second time (a constant, an input passed
   * again). Other host operands are sent with each kernel call.
   */
  readonly uploads: number;
  /** Bytes of the device copies of host tensors alive now: a fixed cost per model, outside `liveBytes`. */
  readonly cachedBytes: number;
  /**
   * Kernel calls made when every earlier result of the same kernel was released: on WebGL2 such
   * a call renders into the kernel's own texture again instead of allocating a new one (on
   * WebGPU gpu.js allocates a buffer per call regardless).
   */
  readonly reusableCalls: number;
}

/** Options of `deviceStats`. */
export interface DeviceStatsOptions {
  /** After taking the stats, start a new `peakBytes` from the current `liveBytes`. Default false. */
  readonly resetPeak?: boolean;
}

/** The primitives a resident gpu.js backend replaces, and its device counters. @internal */
export type ResidentPrimitives = Omit<Backend, 'name'> & {
  conv2dEpilogue(x: Tensor, w: Tensor, p: Conv2dParams, e: Epilogue): Step<Tensor>;
  deviceStats(options?: DeviceStatsOptions): DeviceStats;
  /** Frees the device copies of host tensors (before the runtime is destroyed). */
  releaseUploads(): void;
};

// The gpu.js handle of a pipeline result: a WebGPUBufferResult (toArray is a Promise) or a GL
// Texture (toArray is synchronous); both refcount their memory through clone/delete.
interface RawHandle {
  toArray(): unknown;
  clone(): RawHandle;
  delete(): void;
}
// A host tensor's device copy: the kernel argument (a Promise until a WebGPU copy is made).
interface Upload {
  readonly bytes: number;
  readonly arg: Step<unknown>;
  free(): void;
}
interface GpujsHandle extends DeviceHandle {
  /** What a kernel takes as the argument: the gpu.js handle (or, in a CPU mode, the array). */
  readonly arg: unknown;
  /** The handle itself (packed or not). */
  readonly raw: RawHandle;
  readonly owner: object;
}

// Options of a kernel call (see `call`).
interface CallOptions {
  readonly weights?: number;
  readonly packed?: boolean;
  readonly quads?: readonly boolean[];
}

// Longest reduction group done in one pass on the device (literal loop bound; past it the host).
const MAX_DEVICE_REDUCE = 1 << 16;

// --- constructors

/**
 * The device-resident primitives over `rt` (a WebGPU or WebGL2 runtime); `host` is the backend
 * the non-resident primitives (cast, argmax, convTranspose2d) run on after a counted readback.
 * @internal
 */
export function residentPrimitives(rt: GpuRuntime, name: string, host: Backend): ResidentPrimitives {
  const stats = { readbacks: 0, liveTensors: 0, liveBytes: 0, peakBytes: 0, uploads: 0, cachedBytes: 0 };
  const owner = {};

  // `unhold` uncounts this handle's output of its kernel; `hold` counts a clone's.
  const wrap = (result: unknown, size: number, unhold: () => void, hold: () => () => void): GpujsHandle => {
    // gpu.js's CPU modes accept `pipeline` and return plain arrays: residency then emulated over
    // host memory (the same kernels and lifetimes, tested in Node without a GPU).
    const raw = isRawHandle(result) ? result : hostHandle(result);
    let released = false;
    const bytes = size * 4;
    stats.liveTensors++;
    stats.liveBytes += bytes;
    if (stats.liveBytes > stats.peakBytes) stats.peakBytes = stats.liveBytes;
    // A packed result holds up to 3 values past the tensor's end (its last thread's extra slots).
    const values = (v: unknown): Float32Array => Float32Array.from(flatten(v instanceof Float32Array && v.length > size ? v.subarray(0, size) : v, size));
    const readSync = (): Float32Array => {
      stats.readbacks++;
      return values(raw.toArray());
    };
    return {
      backend: name,
      bytes,
      arg: hostArrays.get(raw) ?? raw,
      raw,
      owner,
      read: async () => {
        stats.readbacks++;
        return values(await raw.toArray());
      },
      readSync: rt.async ? undefined : readSync,
      clone: () => wrap(packedHandles.has(raw) ? packedHandle(raw.clone()) : raw.clone(), size, hold(), hold),
      release: () => {
        if (released) return;
        released = true;
        stats.liveTensors--;
        stats.liveBytes -= bytes;
        raw.delete();
        unhold();
      },
    };
  };

  // Device copies of host tensors used as operands more than once. A tensor is immutable by
  // contract, so its first copy stays valid; it is freed when the garbage collector takes the
  // tensor, or by releaseUploads (destroy). A conv's weight and bias are copied at their first use;
  // any other host operand at its second (an input image, used once, is never kept), since each
  // kernel is compiled for array or device arguments, and a copy made later compiles it again.
  const seen = new WeakSet<Tensor>();
  const uploaded = new WeakMap<Tensor, Upload>();
  const uploads = new Set<Upload>();
  const freeUpload = (u: Upload): void => {
    if (!uploads.delete(u)) return;
    stats.cachedBytes -= u.bytes;
    u.free();
  };
  const collected = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Upload>(freeUpload) : undefined;
  // A copy is packed (4 values per thread, padded with zeros to a multiple of 4) like the convs'
  // and pools' results: read flat, or by quads where the mode has them (a conv's weights).
  const upload = (t: Tensor, values: Float32Array): Step<unknown> => {
    const threads = Math.ceil(values.length / 4);
    const padded = values.length === 4 * threads ? values : new Float32Array(4 * threads);
    if (padded !== values) padded.set(values);
    const k = rt.pipelineKernel(`dev|upload4|${threads}`, () => 'function(x) {\n  const i = this.thread.x * 4;\n  return [x[i], x[i + 1], x[i + 2], x[i + 3]];\n}', () => ({ output: [threads], pipeline: true, returnType: 'Array(4)' }));
    const { result, held } = k(padded);
    stats.uploads++;
    const raw = mapStep(result as Step<unknown>, (r) => packedHandle(rt.flatView(r, threads)));
    const arg = mapStep(raw, (r) => hostArrays.get(r) ?? r);
    const u: Upload = {
      bytes: 4 * padded.length,
      arg,
      free: () => {
        void thenStep(raw, (r) => {
          r.delete();
          held();
        });
      },
    };
    uploaded.set(t, u);
    uploads.add(u);
    stats.cachedBytes += u.bytes;
    collected?.register(t, u);
    return arg;
  };

  // A kernel operand: this runtime's handle of a device tensor, else host values (another
  // backend's device tensor is read by its rules), uploaded once when used again.
  const operand = (t: Tensor, weight: boolean): Step<unknown> => {
    const h = deviceHandle(t) as Partial<GpujsHandle> | undefined;
    if (h?.owner === owner) return h.arg;
    const u = uploaded.get(t);
    if (u !== undefined) return u.arg;
    const d = t.data;
    const values = d instanceof Float32Array ? d : Float32Array.from(d);
    if (h !== undefined || t.size === 0 || (!weight && !seen.has(t))) {
      seen.add(t);
      return values;
    }
    return upload(t, values);
  };

  // Runs a kernel with a flat output of `shape`; its result stays on the device. Arguments from
  // `weights` on are weights (kept on the device from their first use).
  // A `packed` source returns `Array(4)`: thread t computes outputs 4t..4t+3 (the last thread's
  // extra slots past the end are never read), handed on as the flat array they form (flatView).
  // The arguments at `quads` are read by quads (x[t] → 4 values; see `readsByQuads`).
  const call = (tag: string, source: string, shape: readonly number[], args: readonly Tensor[], options: CallOptions = {}): Step<Tensor> => {
    const { weights = args.length, packed = false, quads = [] } = options;
    const size = sizeOf(shape);
    const threads = packed ? Math.ceil(size / 4) : size;
    // A tensor passed twice (flat and by quads) is one operand: a host input used once is not kept.
    const operands = new Map<Tensor, Step<unknown>>();
    const resolve = (a: Tensor, i: number): Step<unknown> => {
      let o = operands.get(a);
      if (o === undefined) {
        o = operand(a, i >= weights);
        operands.set(a, o);
      }
      return o;
    };
    return thenStep(allSteps(args.map(resolve)), (resolved) => {
      const views = resolved.map((o, i) => (quads[i] === true ? rt.quadView(o, Math.ceil(args[i]!.size / 4)) : undefined));
      const ops = resolved.map((o, i) => views[i]?.view ?? o);
      // A kernel is built for the argument types of its first call (GL: texture or array; WebGPU:
      // a buffer argument then rejects an array), so each combination is its own kernel.
      // A packed result is a texture of another type on WebGL2 (read as gpu.js's memory-optimized
      // float texture): its own kind there. On WebGPU both are the same f32 buffer.
      const kinds = resolved.map((o, i) => (views[i] !== undefined ? 'q' : isRawHandle(o) ? (packedHandles.has(o) && rt.mode !== 'webgpu' ? 'p' : 't') : 'a')).join('');
      // The output and argument sizes are compiled in (GL textures, gpu.js's output): keyed too.
      const settings = (): KernelSettings => (packed ? { output: [threads], pipeline: true, returnType: 'Array(4)' } : { output: [size], pipeline: true });
      const k = rt.pipelineKernel(`dev|${tag}|${size}|${args.map((a) => a.size).join(',')}|${kinds}${packed ? '|p4' : ''}`, () => source, settings);
      const { result, held, hold } = k(...ops);
      // The argument tensors stay reachable until the result is there: a WebGPU kernel's first call
      // binds its arguments after an asynchronous build, and an operand the caller no longer holds
      // (an intermediate) could meanwhile be collected, its finalizer deleting the buffer the
      // kernel is about to read ("WebGPUBufferResult ... has been deleted", seen in the page).
      // The same holds for a kept copy: it is freed with its tensor.
      return mapStep(result as Step<unknown>, (r) => {
        retain(args);
        for (const v of views) v?.done();
        return makeDeviceTensor(wrap(packed ? packedHandle(rt.flatView(r, threads)) : r, size, held, hold), shape);
      });
    });
  };

  // A host weight's copy with its taps padded to quads (tapQuads), made once per weight.
  const tapCopies = new WeakMap<Tensor, Tensor>();
  const tapCopy = (w: Tensor): Tensor => {
    let t = tapCopies.get(w);
    if (t === undefined) {
      t = tapQuads(w);
      tapCopies.set(w, t);
    }
    return t;
  };

  // Whether a kernel can read `t` by quads: a packed result of this runtime, or a weight (copied
  // to the device packed at its first use), where the mode reads quads.
  const readsByQuads = (t: Tensor, weight: boolean): boolean => {
    if (!rt.quadReads || t.size === 0) return false;
    const h = deviceHandle(t) as Partial<GpujsHandle> | undefined;
    if (h === undefined) return weight || uploaded.has(t);
    return h.owner === owner && isRawHandle(h.raw) && packedHandles.has(h.raw);
  };

  // The host form of a tensor: a device tensor of this runtime read back (counted), else itself.
  const toHost = (t: Tensor): Step<Tensor> => {
    const h = deviceHandle(t) as Partial<GpujsHandle> | undefined;
    if (h?.owner !== owner) return t;
    if (!rt.async) return makeTensor(t.data as Float32Array, t.shape, 'float32');
    return readTensor(t).then((d) => makeTensor(d as Float32Array, t.shape, 'float32'));
  };
  const onHost = <R>(ts: readonly Tensor[], f: (hs: Tensor[]) => Step<R>): Step<R> => thenStep(allSteps(ts.map(toHost)), f);
  const empty = (shape: readonly number[], dtype: DType): Tensor =>
    makeTensor(dtype === 'int32' ? new Int32Array(0) : new Float32Array(0), shape, dtype);

  const map = (tag: string, body: string, names: readonly string[], shape: readonly number[], xs: readonly Tensor[]): Step<Tensor> => {
    if (sizeOf(shape) === 0) return empty(shape, 'float32');
    const c = collapse(shape, xs.map((x) => x.shape), 16)!;
    const key = `map|${tag}|${c.out.join(',')}|${c.full.map((f) => f.map(Number).join('')).join('/')}`;
    // Four outputs per thread where the body is a chain of `if (...) { return ...; }` ending in a
    // `return` of an expression (add, sub, mul, div, max, min, prelu, where, the short unaries):
    // a quarter of the threads, each reading its operands' four consecutive values.
    const four = mapSource4(c.out, c.full, names, body, sizeOf(shape));
    return four === undefined ? call(key, mapSourceFlat(c.out, c.full, names, body), shape, xs) : call(key, four, shape, xs, { packed: true });
  };

  // Movement of float32 values as one index kernel; int32 tensors (indices) are never resident.
  const strided = (x: Tensor, shape: readonly number[], strides: readonly number[], offset: number, onCpu: () => Step<Tensor>): Step<Tensor> => {
    if (x.dtype !== 'float32') return onCpu();
    if (sizeOf(shape) === 0) return empty(shape, x.dtype);
    const src = `function(x) {
  ${coordLines(shape)}
  return x[${linear(shape.map((_, a) => `c${a}`), strides, offset)}];
}`;
    return call(`strided|${shape.join(',')}|${strides.join(',')}|${offset}`, src, shape, [x]);
  };

  const primitives: ResidentPrimitives = {
    deviceStats: (options = {}) => {
      const taken = { resident: true, kernelCalls: rt.calls - stats.uploads, reusableCalls: rt.reusableCalls, ...stats };
      if (options.resetPeak === true) stats.peakBytes = stats.liveBytes;
      return taken;
    },
    releaseUploads: () => {
      for (const u of [...uploads]) freeUpload(u);
    },

    unary: (op: UnaryOp, x: Tensor) => map(`u:${op}`, unaryBodies[op], ['v'], x.shape, [x]),
    binary: (op: BinaryOp, a: Tensor, b: Tensor) => map(`b:${op}`, binaryBodies[op], ['a', 'b'], broadcastShapes(a.shape, b.shape, op), [a, b]),
    where: (cond: Tensor, a: Tensor, b: Tensor) =>
      map('where', whereBody, ['c', 'a', 'b'], broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where'), [cond, a, b]),
    cast: (x: Tensor, dtype: DType) => (x.dtype === dtype ? x : onHost([x], ([h]) => host.cast(h!, dtype))),

    reduce(op: ReduceOp, x: Tensor, axes: readonly number[], keepdims: boolean): Step<Tensor> {
      const outShape = x.shape.flatMap((d, i) => (!axes.includes(i) ? [d] : keepdims ? [1] : []));
      const r = axes.reduce((p, a) => p * x.shape[a]!, 1);
      if (x.size === 0 || axes.length === 0 || r > MAX_DEVICE_REDUCE) return onHost([x], ([h]) => host.reduce(op, h!, axes, keepdims));
      const sorted = [...axes].sort((a, b) => a - b);
      const contiguous = sorted[sorted.length - 1]! - sorted[0]! + 1 === sorted.length;
      // Non-contiguous axes are permuted together (kept axes first) by one device kernel.
      const kept = x.shape.map((_, i) => i).filter((i) => !sorted.includes(i));
      const source = contiguous ? x : primitives.permute(x, [...kept, ...sorted]);
      const inner = contiguous ? sizeOf(x.shape.slice(sorted[sorted.length - 1]! + 1)) : 1;
      return thenStep(source, (s) => call(`reduce|${op}|${r}|${inner}`, reduceSourceFlat(op, r, inner), outShape, [s]));
    },
    argmax: (x: Tensor, axis: number, keepdims: boolean) => onHost([x], ([h]) => host.argmax(h!, axis, keepdims)),

    reshape(x: Tensor, shape: readonly number[]): Step<Tensor> {
      const h = deviceHandle(x);
      return h === undefined ? host.reshape(x, shape) : makeDeviceTensor(h.clone(), shape);
    },
    permute(x: Tensor, axes: readonly number[]): Step<Tensor> {
      const st = stridesOf(x.shape);
      return strided(x, axes.map((a) => x.shape[a]!), axes.map((a) => st[a]!), 0, () => host.permute(x, axes));
    },
    expand(x: Tensor, shape: readonly number[]): Step<Tensor> {
      const st = stridesOf(x.shape);
      return strided(x, shape, shape.map((d, a) => (x.shape[a] === d ? st[a]! : 0)), 0, () => host.expand(x, shape));
    },
    slice(x: Tensor, starts: readonly number[], steps: readonly number[], shape: readonly number[]): Step<Tensor> {
      const st = stridesOf(x.shape);
      return strided(x, shape, st.map((s, a) => s * steps[a]!), starts.reduce((o, s, a) => o + s * st[a]!, 0), () => host.slice(x, starts, steps, shape));
    },
    pad(x: Tensor, pads: readonly (readonly [number, number])[], mode: PadMode, value: number): Step<Tensor> {
      const shape = x.shape.map((d, a) => d + pads[a]![0] + pads[a]![1]);
      if (sizeOf(shape) === 0 || x.size === 0 || x.dtype !== 'float32') return onHost([x], ([h]) => host.pad(h!, pads, mode, value));
      // The fill value is an argument: WGSL has no literal for ±Infinity or NaN.
      return call(`pad|${x.shape.join(',')}|${pads.flat().join(',')}|${mode}`, padSource(x.shape, pads, mode), shape, [x, makeTensor(new Float32Array([value]), [1])]);
    },
    concat(xs: readonly Tensor[], axis: number): Step<Tensor> {
      const parts = xs.filter((x) => x.size > 0);
      const shape = xs[0]!.shape.map((d, a) => (a === axis ? xs.reduce((n, x) => n + x.shape[a]!, 0) : d));
      if (parts.length === 0 || sizeOf(shape) === 0 || xs[0]!.dtype !== 'float32') return onHost(xs, (hs) => host.concat(hs, axis));
      const key = `concat|${axis}|${parts.map((x) => x.shape.join(',')).join('/')}`;
      return call(key, concatSource(parts.map((x) => x.shape), axis, shape), shape, parts);
    },

    matmul(a: Tensor, b: Tensor): Step<Tensor> {
      const [batches, m, k] = a.shape as [number, number, number];
      const n = b.shape[2]!;
      if (batches * m * n === 0 || k === 0) return onHost([a, b], ([ha, hb]) => host.matmul(ha!, hb!));
      return call(`matmul|${batches}|${m}|${k}|${n}`, matmulSourceFlat(batches, m, k, n), [batches, m, n], [a, b]);
    },
    conv2d: (x: Tensor, w: Tensor, p: Conv2dParams) => primitives.conv2dEpilogue(x, w, p, {}),
    // The bias and activation are applied by the conv kernel itself before it writes the output.
    conv2dEpilogue(x: Tensor, w: Tensor, p: Conv2dParams, e: Epilogue): Step<Tensor> {
      const g = convGeometry(x, w, p);
      // An empty input may still give an output (all padding): its bias and activation apply.
      if (g === undefined) return onHost([x, w], ([hx, hw]) => thenStep(host.conv2d(hx!, hw!, p), (y) => composeEpilogue(host, y, e)));
      const args = e.bias === undefined ? [x, w] : [x, w, e.bias];
      const key = `conv|${x.shape.join(',')}|${w.shape.join(',')}|${p.stride}|${p.dilation}|${p.padding}|${p.groups}${epilogueKey(e)}`;
      // Four outputs per thread for windows of up to 3×3 (the loads they share); larger ones, one:
      // a 5×5 one's source (two copies of its taps) did not compile within minutes on WebGPU.
      const four = w.shape[2]! * w.shape[3]! <= 9;
      const pw = pointwisePlane(g);
      const plane = pw !== g;
      // Where the mode reads quads (WebGL2), x and w go twice: flat (for the outputs computed one
      // by one) and by quads. A 1×1 conv by planes reads its weights by quads as they are, with
      // 4k input channels per group; a window's weights, as a copy with its taps padded
      // (tapQuads; not a 1×1 window's: 4 times its weights for no shared fetch).
      const xq = four && readsByQuads(x, false);
      const wq = plane
        ? xq && pw.w[1]! % 4 === 0 && readsByQuads(w, true)
        : four && w.shape[2]! * w.shape[3]! > 1 && readsByQuads(w, true) && deviceHandle(w) === undefined;
      if (xq || wq) {
        const wArg = wq && !plane ? tapCopy(w) : w;
        const source = plane ? pointwiseSourceQuads(pw, e, wq) : convSource4(pw, e, { input: xq, weights: wq });
        const quadArgs = e.bias === undefined ? [x, x, wArg, wArg] : [x, x, wArg, wArg, e.bias];
        return call(key, source, g.out, quadArgs, { weights: 2, packed: true, quads: [false, xq, false, wq] });
      }
      return call(key, four ? convSource4(pw, e) : convSourceFlat(g, e), g.out, args, { weights: 1, packed: four });
    },
    convTranspose2d: (x: Tensor, w: Tensor, p: ConvTranspose2dParams) => onHost([x, w], ([hx, hw]) => host.convTranspose2d(hx!, hw!, p)),
    pool2d(op: PoolOp, x: Tensor, p: Pool2dParams): Step<Tensor> {
      const [n, c, h, w] = x.shape as [number, number, number, number];
      const [oh, ow] = p.outShape;
      if (x.size === 0 || oh <= 0 || ow <= 0) return onHost([x], ([hx]) => host.pool2d(op, hx!, p));
      const key = `pool|${op}|${x.shape.join(',')}|${p.kernel}|${p.stride}|${p.padding}|${p.outShape}|${p.countIncludePad}`;
      if (readsByQuads(x, false)) return call(key, poolSource4(op, n, c, h, w, p, true), [n, c, oh, ow], [x, x], { weights: 2, packed: true, quads: [false, true] });
      return call(key, poolSource4(op, n, c, h, w, p), [n, c, oh, ow], [x], { weights: 1, packed: true });
    },

    gather(x: Tensor, indices: Tensor, axis: number): Step<Tensor> {
      const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
      if (sizeOf(shape) === 0 || x.dtype !== 'float32') return onHost([x], ([hx]) => host.gather(hx!, indices, axis));
      const post = sizeOf(x.shape.slice(axis + 1));
      const src = `function(x, ix) {
  const i = this.thread.x;
  const pre = Math.floor(i / ${indices.size * post});
  const q = Math.floor(i / ${post}) % ${indices.size};
  const r = i % ${post};
  return x[(pre * ${x.shape[axis]} + ix[q]) * ${post} + r];
}`;
      return call(`gather|${x.shape.join(',')}|${indices.size}|${axis}`, src, shape, [x, indices]);
    },
  };
  return primitives;
}

// --- utils

function isRawHandle(v: unknown): v is RawHandle {
  return typeof v === 'object' && v !== null && typeof (v as Partial<RawHandle>).toArray === 'function' && typeof (v as Partial<RawHandle>).delete === 'function';
}

// Handles of packed results (`flatView`s of Array(4) kernels), a kernel argument kind of their own.
const packedHandles = new WeakSet<RawHandle>();
function packedHandle(view: unknown): RawHandle {
  const raw = isRawHandle(view) ? view : hostHandle(view);
  packedHandles.add(raw);
  return raw;
}

// A CPU-mode result (already host memory) behind the handle interface; kernels take the array.
const hostArrays = new WeakMap<RawHandle, unknown>();
function hostHandle(values: unknown): RawHandle {
  const h: RawHandle = { toArray: () => values, clone: () => hostHandle(values), delete: () => undefined };
  hostArrays.set(h, values);
  return h;
}

// `const cK = ...;` for each axis of `shape` (outermost first) from the flat thread index `i`.
function coordLines(shape: readonly number[]): string {
  return ['const i = this.thread.x;', ...coordsOf(shape, 'i', '')].join('\n  ');
}

// `const cK<sfx> = ...;` for each axis of `shape` (outermost first) from the flat index `index`.
function coordsOf(shape: readonly number[], index: string, sfx: string): string[] {
  const lines: string[] = [];
  let inner = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    const q = inner === 1 ? index : `Math.floor(${index} / ${inner})`;
    lines.push(a === 0 ? `const c${a}${sfx} = ${q};` : `const c${a}${sfx} = ${q} % ${shape[a]};`);
    inner *= shape[a]!;
  }
  return lines;
}

// The strides of a map operand over the output's axes (`shape` outermost first; `full` innermost
// first, as collapse gives it): 0 where it broadcasts; undefined when it spans every axis.
function operandStrides(shape: readonly number[], full: readonly boolean[]): number[] | undefined {
  const f = [...full].reverse();
  if (f.every(Boolean)) return undefined;
  const strides: number[] = [];
  let s = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = f[a] ? s : 0;
    if (f[a]) s *= shape[a]!;
  }
  return strides;
}

// `offset + c0 * s0 + ...`, zero strides left out.
function linear(coords: readonly string[], strides: readonly number[], offset: number): string {
  const terms = coords.flatMap((c, a) => (strides[a] === 0 ? [] : [strides[a] === 1 ? c : `${c} * ${strides[a]}`]));
  if (offset !== 0 || terms.length === 0) terms.unshift(`${offset}`);
  return terms.join(' + ');
}

// Elementwise over collapsed axes (`out` innermost first, operand i varies along axis d when full[i][d]).
function mapSourceFlat(out: readonly number[], full: readonly (readonly boolean[])[], names: readonly string[], body: string): string {
  const shape = [...out].reverse();
  const reads = names.map((name, i) => {
    const strides = operandStrides(shape, full[i]!);
    return `const ${name} = p${i}[${strides === undefined ? 'i' : linear(shape.map((_, a) => `c${a}`), strides, 0)}];`;
  });
  return `function(${names.map((_, i) => `p${i}`).join(', ')}) {
  ${coordLines(shape)}
  ${reads.join('\n  ')}
  ${body}
}`;
}

// The same map, four consecutive outputs per thread (as convSource4: outputs 4t..4t+3 of the flat
// result); undefined for a body that is not `if (C) { return A; } ... return Z;` with plain
// expressions. Such a body becomes `let r = Z; ... if (C) { r = A; }`, the conditions in reverse
// order so that the first true one is the last assigned (the expressions have no side effects).
// The tail's extra slots read the last element (never read back).
function mapSource4(out: readonly number[], full: readonly (readonly boolean[])[], names: readonly string[], body: string, size: number): string | undefined {
  const chain = /^(?:if \(([^{};]*)\) \{ return ([^{};]*); \} )*return ([^{};]*);$/;
  if (!chain.test(body)) return undefined;
  const guards = [...body.matchAll(/if \(([^{};]*)\) \{ return ([^{};]*); \} /g)].map((m) => [m[1]!, m[2]!] as const);
  const last = /return ([^{};]*);$/.exec(body)![1]!;
  // A literal result (lt, eq, tanh's saturation) would type its variable as an integer in a shader.
  if ([last, ...guards.map(([, v]) => v)].some((v) => /^-?\d+$/.test(v))) return undefined;
  const shape = [...out].reverse();
  const lines = ['const f0 = this.thread.x * 4;'];
  for (let j = 0; j < 4; j++) {
    // Each operand name, whole-word and not a property (`Math.abs`), renamed for output j.
    const own = (e: string): string => e.replace(new RegExp(`(?<![\\w.])(${names.join('|')})(?!\\w)`, 'g'), `$1_${j}`);
    lines.push(size % 4 === 0 ? `const i_${j} = f0 + ${j};` : `const i_${j} = Math.min(f0 + ${j}, ${size - 1});`);
    const strides = full.map((f) => operandStrides(shape, f));
    if (strides.some((st) => st !== undefined)) lines.push(...coordsOf(shape, `i_${j}`, `_${j}`));
    names.forEach((name, i) => {
      const st = strides[i];
      lines.push(`const ${name}_${j} = p${i}[${st === undefined ? `i_${j}` : linear(shape.map((_, a) => `c${a}_${j}`), st, 0)}];`);
    });
    lines.push(`let r_${j} = ${own(last)};`);
    for (const [cond, value] of [...guards].reverse()) lines.push(`if (${own(cond)}) { r_${j} = ${own(value)}; }`);
  }
  return `function(${names.map((_, i) => `p${i}`).join(', ')}) {
  ${lines.join('\n  ')}
  return [r_0, r_1, r_2, r_3];
}`;
}

// Reduces x viewed as [outer, r, inner] over r; same semantics as kernels/reduce.ts (Kahan sums, NaN sticks).
function reduceSourceFlat(op: ReduceOp, r: number, inner: number): string {
  const head = `const o = Math.floor(this.thread.x / ${inner});
  const n = this.thread.x % ${inner};
  const base = o * ${r * inner} + n;`;
  if (op === 'sum') {
    return `function(x) {
  ${head}
  let s = 0;
  let c = 0;
  for (let j = 0; j < ${r}; j++) {
    const y = x[base + j * ${inner}] - c;
    const t = s + y;
    if (t - t === 0) { c = (t - s) - y; } else { c = 0; }
    s = t;
  }
  return s;
}`;
  }
  return `function(x) {
  ${head}
  let m = x[base];
  for (let j = 1; j < ${r}; j++) {
    const v = x[base + j * ${inner}];
    if (v ${op === 'max' ? '>' : '<'} m || v !== v) { m = v; }
  }
  return m;
}`;
}

function matmulSourceFlat(batches: number, m: number, k: number, n: number): string {
  return `function(a, b) {
  const i = this.thread.x;
  const z = Math.floor(i / ${m * n});
  const r = Math.floor(i / ${n}) % ${m};
  const c = i % ${n};
  let t = 0;
  for (let j = 0; j < ${k}; j++) {
    t += a[(z * ${m} + r) * ${k} + j] * b[(z * ${k} + j) * ${n} + c];
  }
  return t;
}`;
}

interface ConvGeometry {
  readonly x: readonly number[];
  readonly w: readonly number[];
  readonly out: readonly [number, number, number, number];
  readonly p: Conv2dParams;
}

function convGeometry(x: Tensor, w: Tensor, p: Conv2dParams): ConvGeometry | undefined {
  const out = convOutShape(x, w, p);
  return out === undefined ? undefined : { x: x.shape, w: w.shape, out, p };
}

// conv2d with implicit zero padding, then the epilogue's bias and activation: one output per thread.
function convSourceFlat(g: ConvGeometry, e: Epilogue): string {
  return `function(${convParams(e)}) {
  ${convLines(g, e, '', 'this.thread.x').join('\n  ')}
  return t;
}`;
}

// The same conv, four consecutive outputs per thread (gpu.js `Array(4)`: outputs 4t..4t+3 of the
// flat row-major result, which `flatView` hands the next kernel as the flat array it is). Where the
// four lie in one output row (all but a row's last few and the tail) they share their loads: each
// weight is read once for the four, and each input value once for every tap that reads it (a 3×3
// stride-1 window over four pixels reads 3×6 values instead of 4×9). Elsewhere each output is
// computed on its own, its index clamped to the last output (the tail's extra slots are never read).
function convSource4(g: ConvGeometry, e: Epilogue, quads: ConvQuads = {}): string {
  const [, c, h, w] = g.x as [number, number, number, number];
  const [, cg, kh, kw] = g.w as [number, number, number, number];
  const [n, o, oh, ow] = g.out;
  const size = n * o * oh * ow;
  const og = o / g.p.groups;
  const [sy, sx] = g.p.stride;
  const [dy, dx] = g.p.dilation;
  const [pt, , pl] = g.p.padding;
  // Input columns the four outputs read, as offsets from the first one's window (ix0).
  const cols = [...new Set(Array.from({ length: 4 * kw }, (_, q) => (q % 4) * sx + Math.floor(q / 4) * dx))].sort((a, b) => a - b);
  // A row or column is always inside the input for every thread of the fast path (ox in 0..ow-4).
  const rowIn = (ky: number): boolean => ky * dy - pt >= 0 && (oh - 1) * sy - pt + ky * dy <= h - 1;
  const colIn = (cx: number): boolean => cx - pl >= 0 && (ow - 4) * sx - pl + cx <= w - 1;
  // With input quads, a row's values (columns ix0 .. ix0 + span - 1) come from the quads that hold
  // them; the row's first value lies at one of `offsets` within its quad: rows start on a quad
  // where the width is a multiple of 4, and ox is then a multiple of gcd(ow, 4).
  const span = cols[cols.length - 1]! + 1;
  const offsets = rowOffsets(w, ow, sx, pl);
  const quadsPerChannel = Math.ceil((kh * kw) / 4);
  const channel = (ci: string, sfx: string): string => {
    const lines: string[] = [];
    if (quads.weights === true) {
      for (let i = 0; i < quadsPerChannel; i++) lines.push(`const wq${sfx}_${i} = wq[(oc * ${cg} + ${ci}) * ${quadsPerChannel} + ${i}];`);
    }
    for (let ky = 0; ky < kh; ky++) {
      const start = `r${sfx}_${ky}`;
      const row: string[] = [`const ${start} = ${ci === '0' ? 'xb' : `xb + ${ci} * ${h * w}`} + (iy0 + ${ky * dy}) * ${w} + ix0;`];
      if (quads.input === true) row.push(...quadRun(start, span, offsets));
      const at = (cx: number): string => (quads.input === true ? `${start}_${cx}` : `x[${start} + ${cx}]`);
      for (const cx of cols) {
        row.push(colIn(cx)
          ? `const v${sfx}_${ky}_${cx} = ${at(cx)};`
          : `let v${sfx}_${ky}_${cx} = 0;\n  if (ix0 + ${cx} >= 0 && ix0 + ${cx} < ${w}) { v${sfx}_${ky}_${cx} = ${at(cx)}; }`);
      }
      for (let kx = 0; kx < kw; kx++) {
        const k = ky * kw + kx;
        const wi = `wb + ${ci === '0' ? '' : `${ci} * ${kh * kw} + `}${k}`;
        row.push(`const w${sfx}_${ky}_${kx} = ${quads.weights === true ? `wq${sfx}_${k >> 2}[${k & 3}]` : `w[${wi}]`};`);
        for (let j = 0; j < 4; j++) row.push(`a${j} += v${sfx}_${ky}_${j * sx + kx * dx} * w${sfx}_${ky}_${kx};`);
      }
      lines.push(rowIn(ky) ? row.join('\n  ') : `if (iy0 + ${ky * dy} >= 0 && iy0 + ${ky * dy} < ${h}) {\n  ${row.join('\n  ')}\n  }`);
    }
    return lines.join('\n  ');
  };
  // Up to 4 input channels as straight-line code (as convLines), else a loop.
  const body = cg <= 4
    ? Array.from({ length: cg }, (_, ci) => channel(`${ci}`, `c${ci}`)).join('\n  ')
    : `for (let ci = 0; ci < ${cg}; ci++) {\n  ${channel('ci', '')}\n  }`;
  const sums = ['a0', 'a1', 'a2', 'a3'];
  const tail = epilogueLines(e, sums, () => 'bias[oc]');
  // One output's code in a loop over the four (its code once: four inlined copies made every
  // thread slower, the fast ones too, on SwiftShader).
  const single = convLines(g, e, 'j', `Math.min(f0 + j, ${size - 1})`, quads.weights === true ? 4 * quadsPerChannel : kh * kw).join('\n    ');
  const params = quads.input === true || quads.weights === true ? quadConvParams(e) : convParams(e);
  return `function(${params}) {
  const f0 = this.thread.x * 4;
  const ox = f0 % ${ow};
  if (ox + 3 < ${ow}) {
  const fy = Math.floor(f0 / ${ow});
  const oy = fy % ${oh};
  const oc = Math.floor(fy / ${oh}) % ${o};
  const img = Math.floor(fy / ${oh * o});
  const xb = (img * ${c} + Math.floor(oc / ${og}) * ${cg}) * ${h * w};
  ${quads.weights === true ? '' : `const wb = oc * ${cg * kh * kw};`}
  const iy0 = oy * ${sy} - ${pt};
  const ix0 = ox * ${sx} - ${pl};
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  ${body}
  ${tail.join('\n  ')}
  return [a0, a1, a2, a3];
  }
  ${fourOneByOne(single, 'tj')}
}`;
}

// Which operands a conv kernel reads by quads: the input (a packed result), the weights (a copy
// with each (output, input) channel's taps padded to a multiple of 4: `tapQuads`).
interface ConvQuads {
  readonly input?: boolean;
  readonly weights?: boolean;
}

// Lines reading `length` consecutive values of the packed input `xq` from flat index `start` (a
// variable whose value is, mod 4, one of `offsets`) as `${start}_0` .. `${start}_${length - 1}`:
// the quads that hold them (one may lie outside the array where the row starts or ends at its
// ends: its values are never used), then each value taken from its quad by the offset. One
// branch per offset, not a select per value: selects inside a loop made SwiftShader's compiler
// take 120 s over a 5-channel 3×3 conv (the branches: 0.4 s).
function quadRun(start: string, length: number, offsets: readonly number[]): string[] {
  const count = Math.max(...offsets.map((o) => Math.ceil((o + length) / 4)));
  const lines = offsets.length === 1
    ? [`const ${start}t = (${start} - ${offsets[0]}) / 4;`]
    : [`const ${start}t = Math.floor(${start} / 4);`, `const ${start}o = ${start} - ${start}t * 4;`];
  for (let k = 0; k < count; k++) lines.push(`const ${start}q${k} = xq[${start}t${k === 0 ? '' : ` + ${k}`}];`);
  const from = (o: number, m: number): string => `${start}q${(o + m) >> 2}[${(o + m) & 3}]`;
  const ms = Array.from({ length }, (_, m) => m);
  if (offsets.length === 1) return [...lines, ...ms.map((m) => `const ${start}_${m} = ${from(offsets[0]!, m)};`)];
  lines.push(...ms.map((m) => `let ${start}_${m} = 0;`));
  const branch = (o: number): string => ms.map((m) => `${start}_${m} = ${from(o, m)};`).join('\n  ');
  lines.push(offsets.slice(1).reduce((code, o) => `${code} else if (${start}o === ${o}) {\n  ${branch(o)}\n  }`, `if (${start}o === ${offsets[0]}) {\n  ${branch(offsets[0]!)}\n  }`));
  return lines;
}

// A conv weight [o, cg, kh, kw] with each (output, input) channel's kh·kw taps padded with zeros
// to a multiple of 4, so that a kernel reads them as whole quads.
function tapQuads(w: Tensor): Tensor {
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const k = kh * kw;
  const k4 = 4 * Math.ceil(k / 4);
  const src = w.data as Float32Array;
  const out = new Float32Array(o * cg * k4);
  for (let r = 0; r < o * cg; r++) out.set(src.subarray(r * k, r * k + k), r * k4);
  return makeTensor(out, [o * cg * k4]);
}

// A 1×1 conv of stride 1 without padding reads each plane as one row: viewed as 1 × (h·w), its four
// outputs per thread lie in one row but at the end of a plane, not at every row's end (a 13-wide
// map's rows made a quarter of the threads take the slow path).
function pointwisePlane(g: ConvGeometry): ConvGeometry {
  const [n, c, h, w] = g.x as [number, number, number, number];
  const [o, cg, kh, kw] = g.w as [number, number, number, number];
  const { stride, padding } = g.p;
  if (kh !== 1 || kw !== 1 || stride[0] !== 1 || stride[1] !== 1 || padding.some((q) => q !== 0)) return g;
  return { x: [n, c, 1, h * w], w: [o, cg, 1, 1], out: [n, g.out[1], 1, h * w], p: g.p };
}

// The offsets into its quad at which a four-output kernel's input row (from ix0 = ox·stride − pad)
// can start: rows start on a quad where the width w is a multiple of 4, and the first of a thread's
// four outputs (f0 = 4t) then has ox a multiple of gcd(ow, 4); elsewhere any offset.
function rowOffsets(w: number, ow: number, stride: number, pad: number): number[] {
  if (w % 4 !== 0) return [0, 1, 2, 3];
  const step = gcd(ow, 4);
  return [...new Set(Array.from({ length: 4 }, (_, m) => mod4(m * step * stride - pad)))].sort();
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const mod4 = (v: number): number => ((v % 4) + 4) % 4;

// A 1×1 conv viewed by pointwisePlane, reading its input by quads (`xq`, the same tensor as `x`):
// thread t's four outputs (one output channel, positions p..p+3 of a plane) take, per input
// channel, the one or two quads that hold those positions instead of four values one by one (a
// texel fetch each on WebGL2). Where a plane's size is a multiple of 4 the positions fill one quad;
// elsewhere they start at an offset into it, and each value is picked from the two quads by that
// offset (quadRun; cheaper than fetches on a software GPU), and the four outputs may run past the
// plane's end: those threads compute each output on its own from `x` (as convSource4). With
// `weightQuads` (input channels per group a multiple of 4) the weights too are read by quads
// (`wq`), one per four input channels. Each output sums its input channels in order, as the
// reference.
function pointwiseSourceQuads(g: ConvGeometry, e: Epilogue, weightQuads: boolean): string {
  const [, c, , hw] = g.x as [number, number, number, number];
  const cg = g.w[1]!;
  const [n, o] = g.out;
  const og = o / g.p.groups;
  const aligned = hw % 4 === 0;
  const sums = ['a0', 'a1', 'a2', 'a3'];
  // Lines reading input channel `ci` (an expression) as four values (`value(k, j)`), whose first
  // lies at one of `offsets` into its quad.
  const channel = (ci: string, k: number, offsets: readonly number[]): string[] =>
    aligned ? [`const v${k} = xq[xt + ${ci} * ${hw / 4}];`] : [`const s${k} = xs + ${ci} * ${hw};`, ...quadRun(`s${k}`, 4, offsets)];
  const value = (k: number, j: number): string => (aligned ? `v${k}[${j}]` : `s${k}_${j}`);
  const madd = (k: number, wv: string): string[] => sums.map((a, j) => `${a} += ${value(k, j)} * ${wv};`);
  // By four input channels, the offsets of channels 4·c4 + k depend on k and the first channel's
  // offset (o0) only: one branch per thread on o0, each with its own loop of fixed picks.
  const loop4 = (o0: number | undefined): string => `for (let c4 = 0; c4 < ${cg / 4}; c4++) {
    const wv = wq[wb + c4];
    ${[0, 1, 2, 3].flatMap((k) => [...channel(`(c4 * 4 + ${k})`, k, o0 === undefined ? [0] : [(o0 + k * hw) % 4]), ...madd(k, `wv[${k}]`)]).join('\n    ')}
  }`;
  const loop = !weightQuads
    ? `for (let ci = 0; ci < ${cg}; ci++) {
    const wv = w[wb + ci];
    ${[...channel('ci', 0, [0, 1, 2, 3]), ...madd(0, 'wv')].join('\n    ')}
  }`
    : aligned
      ? loop4(undefined)
      : `const o0 = xs - Math.floor(xs / 4) * 4;
  ${[0, 1, 2, 3].map((o0) => `${o0 === 0 ? '' : 'else '}if (o0 === ${o0}) {\n  ${loop4(o0)}\n  }`).join(' ')}`;
  const fast = `const fy = Math.floor(f0 / ${hw});
  const oc = fy % ${o};
  const img = Math.floor(fy / ${o});
  const xs = (img * ${c} + Math.floor(oc / ${og}) * ${cg}) * ${hw} + p;${aligned ? '\n  const xt = xs / 4;' : ''}
  const wb = oc * ${weightQuads ? cg / 4 : cg};
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  ${loop}
  ${epilogueLines(e, sums, () => 'bias[oc]').join('\n  ')}
  return [a0, a1, a2, a3];`;
  const params = quadConvParams(e);
  if (aligned) return `function(${params}) {\n  const f0 = this.thread.x * 4;\n  const p = f0 % ${hw};\n  ${fast}\n}`;
  const single = convLines(g, e, 'j', `Math.min(f0 + j, ${n * o * hw - 1})`).join('\n    ');
  return `function(${params}) {
  const f0 = this.thread.x * 4;
  const p = f0 % ${hw};
  if (p + 3 < ${hw}) {
  ${fast}
  }
  ${fourOneByOne(single, 'tj')}
}`;
}

const convParams = (e: Epilogue): string => `x, w${e.bias === undefined ? '' : ', bias'}`;
// A conv reading by quads takes its input and weights twice: flat, then by quads.
const quadConvParams = (e: Epilogue): string => `x, xq, w, wq${e.bias === undefined ? '' : ', bias'}`;

// One conv output (flat index `index`) as lines ending with its value in `t${s}`, every name
// suffixed by `s` (the four-output form inlines four). The weights' taps for one (output, input)
// channel lie `tapStride` apart (kh·kw; a tapQuads copy pads them).
function convLines(g: ConvGeometry, e: Epilogue, s: string, index: string, tapStride = g.w[2]! * g.w[3]!): string[] {
  const [, c, h, w] = g.x as [number, number, number, number];
  const [, cg, kh, kw] = g.w as [number, number, number, number];
  const [, o, oh, ow] = g.out;
  const og = o / g.p.groups;
  const [sy, sx] = g.p.stride;
  const [dy, dx] = g.p.dilation;
  const [pt, , pl] = g.p.padding;
  // The host kernels' epilogue lines (kernels/epilogue.ts): -0 and NaN as the reference, the slope
  // always a float literal.
  const tail = epilogueLines(e, [`t${s}`], () => `bias[oc${s}]`);
  const head = [
    `const i${s} = ${index};`,
    `const ox${s} = i${s} % ${ow};`,
    `const oy${s} = Math.floor(i${s} / ${ow}) % ${oh};`,
    `const oc${s} = Math.floor(i${s} / ${ow * oh}) % ${o};`,
    `const img${s} = Math.floor(i${s} / ${ow * oh * o});`,
    `const xb${s} = (img${s} * ${c} + Math.floor(oc${s} / ${og}) * ${cg}) * ${h * w};`,
    `const wb${s} = oc${s} * ${cg * tapStride};`,
    `const iy0${s} = oy${s} * ${sy} - ${pt};`,
    `const ix0${s} = ox${s} * ${sx} - ${pl};`,
    `let t${s} = 0;`,
  ];
  if (kh * kw > 25) {
    return [...head, `for (let ci${s} = 0; ci${s} < ${cg}; ci${s}++) {
    for (let ky${s} = 0; ky${s} < ${kh}; ky${s}++) {
      const iy${s} = iy0${s} + ky${s} * ${dy};
      if (iy${s} >= 0 && iy${s} < ${h}) {
        for (let kx${s} = 0; kx${s} < ${kw}; kx${s}++) {
          const ix${s} = ix0${s} + kx${s} * ${dx};
          if (ix${s} >= 0 && ix${s} < ${w}) {
            t${s} += x[xb${s} + (ci${s} * ${h} + iy${s}) * ${w} + ix${s}] * w[wb${s} + ci${s} * ${tapStride} + ky${s} * ${kw} + kx${s}];
          }
        }
      }
    }
  }`, ...tail];
  }
  // Small kernels: one block per tap, its bounds test (left out where no output can fall in the
  // padding) outside the loop over input channels, which is then one multiply-add per step.
  const taps: string[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const k = ky * kw + kx;
      const yIn = ky * dy - pt >= 0 && (oh - 1) * sy - pt + ky * dy <= h - 1;
      const xIn = kx * dx - pl >= 0 && (ow - 1) * sx - pl + kx * dx <= w - 1;
      const tests = [...(yIn ? [] : [`iy0${s} + ${ky * dy} >= 0 && iy0${s} + ${ky * dy} < ${h}`]), ...(xIn ? [] : [`ix0${s} + ${kx * dx} >= 0 && ix0${s} + ${kx * dx} < ${w}`])];
      // Up to 4 input channels (depthwise: 1, the first RGB conv: 3) as straight-line code: a
      // loop of 1 to 4 steps costs more than its multiply-adds on a software GPU.
      const ok = `o${s}_${k}`;
      const body =
        cg <= 4
          ? Array.from({ length: cg }, (_, ci) => `t${s} += x[${ok}${ci === 0 ? '' : ` + ${ci * h * w}`}] * w[wb${s} + ${ci * tapStride + k}];`).join('\n  ')
          : `for (let c${s}_${k} = 0; c${s}_${k} < ${cg}; c${s}_${k}++) {
    t${s} += x[${ok} + c${s}_${k} * ${h * w}] * w[wb${s} + c${s}_${k} * ${tapStride} + ${k}];
  }`;
      const loop = `const ${ok} = xb${s} + (iy0${s} + ${ky * dy}) * ${w} + ix0${s} + ${kx * dx};
  ${body}`;
      taps.push(tests.length === 0 ? loop : `if (${tests.join(' && ')}) {\n  ${loop}\n  }`);
    }
  }
  return [...head, ...taps, ...tail];
}

// Pooling with implicit padding: max skips padded cells (a NaN sticks), avg divides as
// kernels/pool2d.ts. Four consecutive outputs per thread, as convSource4: where they lie in one
// row, each input value their windows share is read once (a 2×2 stride-1 window over four
// outputs: 2×5 reads instead of 4×4), each output's taps still taken in the reference's order;
// elsewhere a loop over the four, each on its own.
function poolSource4(op: PoolOp, n: number, c: number, h: number, w: number, p: Pool2dParams, quads = false): string {
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [oh, ow] = p.outShape;
  const size = n * c * oh * ow;
  const js = [0, 1, 2, 3];
  const cols = [...new Set(js.flatMap((j) => Array.from({ length: kw }, (_, kx) => j * sw + kx)))].sort((a, b) => a - b);
  const rowIn = (ky: number): boolean => ky - ph >= 0 && (oh - 1) * sh - ph + ky <= h - 1;
  const colIn = (cx: number): boolean => cx - pw >= 0 && (ow - 4) * sw - pw + cx <= w - 1;
  const update = (j: number, v: string): string =>
    op === 'max' ? `if (seen${j} === 0 || ${v} > m${j} || ${v} !== ${v}) { if (m${j} === m${j}) { m${j} = ${v}; } seen${j} = 1; }` : `m${j} += ${v};`;
  const rows: string[] = [];
  for (let ky = 0; ky < kh; ky++) {
    const row = [`const r${ky} = (plane * ${h} + hs + ${ky}) * ${w} + ws;`];
    // By quads (as convSource4): the row's values from the quads that hold them.
    if (quads) row.push(...quadRun(`r${ky}`, cols[cols.length - 1]! + 1, rowOffsets(w, ow, sw, pw)));
    for (const cx of cols) {
      // The outputs whose window holds this column, in order: each sees its taps left to right.
      const users = js.filter((j) => cx - j * sw >= 0 && cx - j * sw < kw);
      const v = `v${ky}_${cx}`;
      const block = `const ${v} = ${quads ? `r${ky}_${cx}` : `x[r${ky} + ${cx}]`};\n  ${users.map((j) => update(j, v)).join('\n  ')}`;
      row.push(colIn(cx) ? block : `if (ws + ${cx} >= 0 && ws + ${cx} < ${w}) {\n  ${block}\n  }`);
    }
    rows.push(rowIn(ky) ? row.join('\n  ') : `if (hs + ${ky} >= 0 && hs + ${ky} < ${h}) {\n  ${row.join('\n  ')}\n  }`);
  }
  const finish = js.map((j) => (op === 'max' ? '' : `m${j} = m${j} / (${poolDivisor(p, h, w, 'hs', `(ws + ${j * sw})`)});`)).filter((l) => l !== '');
  return `function(x${quads ? ', xq' : ''}) {
  const f0 = this.thread.x * 4;
  const ox = f0 % ${ow};
  if (ox + 3 < ${ow}) {
  const fy = Math.floor(f0 / ${ow});
  const oy = fy % ${oh};
  const plane = Math.floor(fy / ${oh});
  const hs = oy * ${sh} - ${ph};
  const ws = ox * ${sw} - ${pw};
  ${js.map((j) => `let m${j} = 0;${op === 'max' ? ` let seen${j} = 0;` : ''}`).join('\n  ')}
  ${rows.join('\n  ')}
  ${finish.join('\n  ')}
  return [m0, m1, m2, m3];
  }
  ${fourOneByOne(poolLines(op, h, w, p, `Math.min(f0 + j, ${size - 1})`).join('\n    '), 'pj')}
}`;
}

// The slow path of a four-output kernel (a row's end, the tail): `lines` compute output `j` into
// `value`, run for j = 0..3 in a loop (four inlined copies made every thread slower, RESULTS.md).
function fourOneByOne(lines: string, value: string): string {
  return `let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  let u3 = 0;
  for (let j = 0; j < 4; j++) {
    ${lines}
    if (j === 0) { u0 = ${value}; }
    if (j === 1) { u1 = ${value}; }
    if (j === 2) { u2 = ${value}; }
    if (j === 3) { u3 = ${value}; }
  }
  return [u0, u1, u2, u3];`;
}

// One pooled output (flat index `index`) as lines ending with its value in `pj`.
function poolLines(op: PoolOp, h: number, w: number, p: Pool2dParams, index: string): string[] {
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [oh, ow] = p.outShape;
  const inner = op === 'max' ? 'if (seenj === 0 || vj > pj || vj !== vj) { if (pj === pj) { pj = vj; } seenj = 1; }' : 'pj += vj;';
  return [
    `const ij = ${index};`,
    `const oxj = ij % ${ow};`,
    `const oyj = Math.floor(ij / ${ow}) % ${oh};`,
    `const planej = Math.floor(ij / ${ow * oh});`,
    `const hsj = oyj * ${sh} - ${ph};`,
    `const wsj = oxj * ${sw} - ${pw};`,
    'let pj = 0;',
    ...(op === 'max' ? ['let seenj = 0;'] : []),
    `for (let kyj = 0; kyj < ${kh}; kyj++) {
      const iyj = hsj + kyj;
      if (iyj >= 0 && iyj < ${h}) {
        for (let kxj = 0; kxj < ${kw}; kxj++) {
          const ixj = wsj + kxj;
          if (ixj >= 0 && ixj < ${w}) {
            const vj = x[(planej * ${h} + iyj) * ${w} + ixj];
            ${inner}
          }
        }
      }
    }`,
    ...(op === 'max' ? [] : [`pj = pj / (${poolDivisor(p, h, w, 'hsj', 'wsj')});`]),
  ];
}

// avg's divisor for the window starting at (hs, ws), as kernels/pool2d.ts.
function poolDivisor(p: Pool2dParams, h: number, w: number, hs: string, ws: string): string {
  const [kh, kw] = p.kernel;
  const [ph, pw] = p.padding;
  return p.countIncludePad
    ? `(Math.min(${hs} + ${kh}, ${h + ph}) - ${hs}) * (Math.min(${ws} + ${kw}, ${w + pw}) - ${ws})`
    : `(Math.min(${hs} + ${kh}, ${h}) - Math.max(${hs}, 0)) * (Math.min(${ws} + ${kw}, ${w}) - Math.max(${ws}, 0))`;
}

function padSource(inShape: readonly number[], pads: readonly (readonly [number, number])[], mode: PadMode): string {
  const outShape = inShape.map((d, a) => d + pads[a]![0] + pads[a]![1]);
  const st = stridesOf(inShape);
  const lines: string[] = [];
  const inside: string[] = [];
  inShape.forEach((d, a) => {
    const s = `s${a}`;
    const before = pads[a]![0];
    if (mode === 'constant') {
      lines.push(`const ${s} = c${a} - ${before};`);
      if (before > 0 || pads[a]![1] > 0) inside.push(`${s} >= 0 && ${s} < ${d}`);
    } else if (mode === 'replicate') {
      lines.push(`const ${s} = Math.min(Math.max(c${a} - ${before}, 0), ${d - 1});`);
    } else {
      // reflect: mirror without repeating the edge (pad < d)
      lines.push(`let ${s} = c${a} - ${before};`, `if (${s} < 0) { ${s} = -${s}; }`, `if (${s} > ${d - 1}) { ${s} = ${2 * (d - 1)} - ${s}; }`);
    }
  });
  const read = `x[${linear(inShape.map((_, a) => `s${a}`), st, 0)}]`;
  const ret = inside.length === 0 ? `return ${read};` : `if (${inside.join(' && ')}) { return ${read}; }\n  return fill[0];`;
  return `function(x, fill) {
  ${coordLines(outShape)}
  ${lines.join('\n  ')}
  ${ret}
}`;
}

function concatSource(shapes: readonly (readonly number[])[], axis: number, outShape: readonly number[]): string {
  const branches: string[] = [];
  let start = 0;
  shapes.forEach((s, j) => {
    const st = stridesOf(s);
    const coords = outShape.map((_, a) => (a === axis ? `(c${a} - ${start})` : `c${a}`));
    const read = `return p${j}[${linear(coords, st, 0)}];`;
    start += s[axis]!;
    branches.push(j === shapes.length - 1 ? read : `if (c${axis} < ${start}) { ${read} }`);
  });
  return `function(${shapes.map((_, j) => `p${j}`).join(', ')}) {
  ${coordLines(outShape)}
  ${branches.join('\n  ')}
}`;
}

// Keeps its argument reachable from the closure that calls it (see `call`).
function retain(_values: readonly unknown[]): void {}
