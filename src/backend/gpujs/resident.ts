// Device-resident primitives for gpu.js's GPU modes (WebGPU, WebGL2): every kernel leaves its
// result on the device (gpu.js `pipeline`: a storage buffer on WebGPU, a float texture on WebGL)
// and takes device results as arguments, so a forward pass reads nothing back until the user
// calls `readTensor` (docs/design.md, "Device-resident tensors").
//
// Why separate kernels from kernels/*.ts: those repack operands on the CPU around each call
// (matmul's row blocks, direct4's four-channel output, padded copies), which needs host values.
// These read and write flat row-major buffers only: one thread per output element, the output
// index decomposed into coordinates, padding and broadcasting done by index arithmetic in the
// kernel, so every output is a tensor's own layout and feeds the next kernel as is. A 1-D output
// also sidesteps gpu.js's per-argument dimensions: a WebGPU buffer is bound wherever an array
// was declared, and a WebGL texture of any size is indexed linearly.

import type { Backend, BinaryOp, Conv2dParams, ConvTranspose2dParams, PadMode, Pool2dParams, PoolOp, ReduceOp, Step, UnaryOp } from '../Backend.ts';
import { composeEpilogue, type Epilogue } from '../fused.ts';
import { makeTensor, sizeOf, type DType, type Tensor } from '../../tensor/Tensor.ts';
import { deviceHandle, makeDeviceTensor, readTensor, type DeviceHandle } from '../../tensor/device.ts';
import { broadcastShapes, stridesOf } from '../../tensor/shape.ts';
import { thenStep } from '../../core/step.ts';
import type { GpuRuntime } from './runtime.ts';
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
  readonly owner: object;
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
    const readSync = (): Float32Array => {
      stats.readbacks++;
      return Float32Array.from(flatten(raw.toArray(), size));
    };
    return {
      backend: name,
      bytes,
      arg: hostArrays.get(raw) ?? raw,
      owner,
      read: async () => {
        stats.readbacks++;
        return Float32Array.from(flatten(await raw.toArray(), size));
      },
      readSync: rt.async ? undefined : readSync,
      clone: () => wrap(raw.clone(), size, hold(), hold),
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
  const upload = (t: Tensor, values: Float32Array): Step<unknown> => {
    const size = values.length;
    const k = rt.pipelineKernel(`dev|upload|${size}`, () => 'function(x) {\n  return x[this.thread.x];\n}', () => ({ output: [size], pipeline: true }));
    const { result, held } = k(values);
    stats.uploads++;
    const raw = mapStep(result as Step<unknown>, (r) => (isRawHandle(r) ? r : hostHandle(r)));
    const arg = mapStep(raw, (r) => hostArrays.get(r) ?? r);
    const u: Upload = {
      bytes: size * 4,
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
  const call = (tag: string, source: string, shape: readonly number[], args: readonly Tensor[], weights = args.length): Step<Tensor> => {
    const size = sizeOf(shape);
    return thenStep(allSteps(args.map((a, i) => operand(a, i >= weights))), (ops) => {
      // A kernel is built for the argument types of its first call (GL: texture or array; WebGPU:
      // a buffer argument then rejects an array), so each combination is its own kernel.
      const kinds = ops.map((o) => (isRawHandle(o) ? 't' : 'a')).join('');
      // The output and argument sizes are compiled in (GL textures, gpu.js's output): keyed too.
      const k = rt.pipelineKernel(`dev|${tag}|${size}|${args.map((a) => a.size).join(',')}|${kinds}`, () => source, () => ({ output: [size], pipeline: true }));
      const { result, held, hold } = k(...ops);
      // The argument tensors stay reachable until the result is there: a WebGPU kernel's first call
      // binds its arguments after an asynchronous build, and an operand the caller no longer holds
      // (an intermediate) could meanwhile be collected, its finalizer deleting the buffer the
      // kernel is about to read ("WebGPUBufferResult ... has been deleted", seen in the page).
      // The same holds for a kept copy: it is freed with its tensor.
      return mapStep(result as Step<unknown>, (raw) => (retain(args), makeDeviceTensor(wrap(raw, size, held, hold), shape)));
    });
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
    return call(`map|${tag}|${c.out.join(',')}|${c.full.map((f) => f.map(Number).join('')).join('/')}`, mapSourceFlat(c.out, c.full, names, body), shape, xs);
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
      return call(key, convSourceFlat(g, e), g.out, args, 1);
    },
    convTranspose2d: (x: Tensor, w: Tensor, p: ConvTranspose2dParams) => onHost([x, w], ([hx, hw]) => host.convTranspose2d(hx!, hw!, p)),
    pool2d(op: PoolOp, x: Tensor, p: Pool2dParams): Step<Tensor> {
      const [n, c, h, w] = x.shape as [number, number, number, number];
      const [oh, ow] = p.outShape;
      if (x.size === 0 || oh <= 0 || ow <= 0) return onHost([x], ([hx]) => host.pool2d(op, hx!, p));
      const key = `pool|${op}|${x.shape.join(',')}|${p.kernel}|${p.stride}|${p.padding}|${p.outShape}|${p.countIncludePad}`;
      return call(key, poolSourceFlat(op, h, w, p), [n, c, oh, ow], [x]);
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

// A CPU-mode result (already host memory) behind the handle interface; kernels take the array.
const hostArrays = new WeakMap<RawHandle, unknown>();
function hostHandle(values: unknown): RawHandle {
  const h: RawHandle = { toArray: () => values, clone: () => hostHandle(values), delete: () => undefined };
  hostArrays.set(h, values);
  return h;
}

// `const cK = ...;` for each axis of `shape` (outermost first) from the flat thread index `i`.
function coordLines(shape: readonly number[]): string {
  const lines = ['const i = this.thread.x;'];
  let inner = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    const q = inner === 1 ? 'i' : `Math.floor(i / ${inner})`;
    lines.push(a === 0 ? `const c${a} = ${q};` : `const c${a} = ${q} % ${shape[a]};`);
    inner *= shape[a]!;
  }
  return lines.join('\n  ');
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
    const f = [...full[i]!].reverse();
    if (f.every(Boolean)) return `const ${name} = p${i}[i];`;
    const strides: number[] = [];
    let s = 1;
    for (let a = shape.length - 1; a >= 0; a--) {
      strides[a] = f[a] ? s : 0;
      if (f[a]) s *= shape[a]!;
    }
    return `const ${name} = p${i}[${linear(shape.map((_, a) => `c${a}`), strides, 0)}];`;
  });
  return `function(${names.map((_, i) => `p${i}`).join(', ')}) {
  ${coordLines(shape)}
  ${reads.join('\n  ')}
  ${body}
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

// conv2d with implicit zero padding, then the epilogue's bias and activation.
function convSourceFlat(g: ConvGeometry, e: Epilogue): string {
  const [, c, h, w] = g.x as [number, number, number, number];
  const [, cg, kh, kw] = g.w as [number, number, number, number];
  const [, o, oh, ow] = g.out;
  const og = o / g.p.groups;
  const [sy, sx] = g.p.stride;
  const [dy, dx] = g.p.dilation;
  const [pt, , pl] = g.p.padding;
  // The host kernels' epilogue lines (kernels/epilogue.ts): -0 and NaN as the reference, the slope
  // always a float literal.
  const tail = epilogueLines(e, ['t'], () => 'bias[oc]').map((l) => `\n  ${l}`).join('');
  const head = `const i = this.thread.x;
  const ox = i % ${ow};
  const oy = Math.floor(i / ${ow}) % ${oh};
  const oc = Math.floor(i / ${ow * oh}) % ${o};
  const img = Math.floor(i / ${ow * oh * o});
  const xb = (img * ${c} + Math.floor(oc / ${og}) * ${cg}) * ${h * w};
  const wb = oc * ${cg * kh * kw};
  const iy0 = oy * ${sy} - ${pt};
  const ix0 = ox * ${sx} - ${pl};
  let t = 0;`;
  const params = `x, w${e.bias === undefined ? '' : ', bias'}`;
  if (kh * kw > 25) {
    return `function(${params}) {
  ${head}
  for (let ci = 0; ci < ${cg}; ci++) {
    for (let ky = 0; ky < ${kh}; ky++) {
      const iy = iy0 + ky * ${dy};
      if (iy >= 0 && iy < ${h}) {
        for (let kx = 0; kx < ${kw}; kx++) {
          const ix = ix0 + kx * ${dx};
          if (ix >= 0 && ix < ${w}) {
            t += x[xb + (ci * ${h} + iy) * ${w} + ix] * w[wb + (ci * ${kh} + ky) * ${kw} + kx];
          }
        }
      }
    }
  }${tail}
  return t;
}`;
  }
  // Small kernels: one block per tap, its bounds test (left out where no output can fall in the
  // padding) outside the loop over input channels, which is then one multiply-add per step.
  // Further layouts (several outputs per thread sharing loads, as kernels/convRow.ts) need gpu.js's
  // Array(4) outputs, which WebGL2 stores as RGBA texels: the next kernel reads them as one vec4
  // per index, no longer a flat buffer.
  const taps: string[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const k = ky * kw + kx;
      const yIn = ky * dy - pt >= 0 && (oh - 1) * sy - pt + ky * dy <= h - 1;
      const xIn = kx * dx - pl >= 0 && (ow - 1) * sx - pl + kx * dx <= w - 1;
      const tests = [...(yIn ? [] : [`iy0 + ${ky * dy} >= 0 && iy0 + ${ky * dy} < ${h}`]), ...(xIn ? [] : [`ix0 + ${kx * dx} >= 0 && ix0 + ${kx * dx} < ${w}`])];
      // Up to 4 input channels (depthwise: 1, the first RGB conv: 3) as straight-line code: a
      // loop of 1 to 4 steps costs more than its multiply-adds on a software GPU.
      const body =
        cg <= 4
          ? Array.from({ length: cg }, (_, c) => `t += x[o${k}${c === 0 ? '' : ` + ${c * h * w}`}] * w[wb + ${c * kh * kw + k}];`).join('\n  ')
          : `for (let c${k} = 0; c${k} < ${cg}; c${k}++) {
    t += x[o${k} + c${k} * ${h * w}] * w[wb + c${k} * ${kh * kw} + ${k}];
  }`;
      const loop = `const o${k} = xb + (iy0 + ${ky * dy}) * ${w} + ix0 + ${kx * dx};
  ${body}`;
      taps.push(tests.length === 0 ? loop : `if (${tests.join(' && ')}) {\n  ${loop}\n  }`);
    }
  }
  return `function(${params}) {
  ${head}
  ${taps.join('\n  ')}${tail}
  return t;
}`;
}

// Pooling with implicit padding: max skips padded cells (a NaN sticks), avg divides as kernels/pool2d.ts.
function poolSourceFlat(op: PoolOp, h: number, w: number, p: Pool2dParams): string {
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [oh, ow] = p.outShape;
  const head = `const i = this.thread.x;
  const ox = i % ${ow};
  const oy = Math.floor(i / ${ow}) % ${oh};
  const plane = Math.floor(i / ${ow * oh});
  const hs = oy * ${sh} - ${ph};
  const ws = ox * ${sw} - ${pw};`;
  const loop = (inner: string): string => `for (let ky = 0; ky < ${kh}; ky++) {
    const iy = hs + ky;
    if (iy >= 0 && iy < ${h}) {
      for (let kx = 0; kx < ${kw}; kx++) {
        const ix = ws + kx;
        if (ix >= 0 && ix < ${w}) {
          const v = x[(plane * ${h} + iy) * ${w} + ix];
          ${inner}
        }
      }
    }
  }`;
  if (op === 'max') {
    return `function(x) {
  ${head}
  let m = 0;
  let seen = 0;
  ${loop('if (seen === 0 || v > m || v !== v) { if (m === m) { m = v; } seen = 1; }')}
  return m;
}`;
  }
  const divisor = p.countIncludePad
    ? `(Math.min(hs + ${kh}, ${h + ph}) - hs) * (Math.min(ws + ${kw}, ${w + pw}) - ws)`
    : `(Math.min(hs + ${kh}, ${h}) - Math.max(hs, 0)) * (Math.min(ws + ${kw}, ${w}) - Math.max(ws, 0))`;
  return `function(x) {
  ${head}
  let t = 0;
  ${loop('t += v;')}
  return t / (${divisor});
}`;
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
