// The one module that imports gpu.js: it creates the GPU instance for a mode, detects which modes
// this platform can run, builds (and caches) kernels, and shares one worker pool between them.
//
// Why a shared pool: gpu.js 2.24 gives every threaded webasm kernel its own worker pool, so a model
// with a hundred distinct kernel shapes would start two hundred worker threads (about 30 ms each).
// Worker tasks are queued per worker and entry ids are global, so one pool can serve every kernel.

import gpujs from 'gpu.js';
import { CanopyError } from '../../errors.ts';
import { KernelCache } from './cache.ts';
import { flatten } from './output.ts';

// --- model

/**
 * gpu.js execution modes canopy can force. `async` is gpu.js's webasm backend with `asyncMode`
 * (kernels return Promises and split across a worker pool: the only way gpu.js uses several
 * CPU cores); `webgl2`/`webgl` run kernels as fragment shaders on float textures and `webgpu` as
 * compute shaders (pages only, or Node with a `navigator.gpu`); `gpu` is gpu.js's own auto-selection.
 */
export type GpujsMode = 'gpu' | 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu' | 'async';

/**
 * Every mode, in the order availability is reported.
 *
 * @example
 * ```ts
 * gpujsModes.filter((m) => modeUnavailableReason(m) === undefined); // ['async', 'webasm', 'cpu', 'gpu'] here
 * ```
 */
export const gpujsModes: readonly GpujsMode[] = ['async', 'webasm', 'cpu', 'headlessgl', 'webgpu', 'webgl2', 'webgl', 'gpu'];

/** A compiled gpu.js kernel: a function of its arguments returning nested arrays, maybe later. */
export type KernelFn = (...args: readonly unknown[]) => unknown;

/** Settings canopy passes to `createKernel` (a subset of gpu.js's). */
export interface KernelSettings {
  readonly output: readonly number[];
  readonly returnType?: 'Number' | 'Array(2)' | 'Array(3)' | 'Array(4)';
  /**
   * Return the kernel's flat output buffer (`Array(n)` components interleaved) instead of gpu.js's
   * nested rows. Only the webasm kernels honour it; others still return nested arrays, which
   * `flatten` (output.ts) reads either way. Default false.
   */
  readonly flat?: boolean;
  /**
   * Leave the result on the device (gpu.js `pipeline`, immutable: each call a new buffer or
   * texture): the kernel returns a gpu.js handle instead of values. Default false.
   */
  readonly pipeline?: boolean;
}

/**
 * One gpu.js engine in one mode: builds kernels once per key and keeps them in a bounded cache.
 * @internal
 */
export interface GpuRuntime {
  readonly mode: GpujsMode;
  /** gpu.js's name for the kernel class that really runs, e.g. `webasm` or `cpu`. */
  readonly engine: string;
  /** Worker threads used by threaded kernels (1 when kernels run on the calling thread). */
  readonly threads: number;
  /** True when kernel calls return Promises. */
  readonly async: boolean;
  /** The cached kernel for `key`, built by `source`/`settings` on a miss. */
  kernel(key: string, source: () => string, settings: () => KernelSettings): KernelFn;
  /**
   * Like `kernel` for a `pipeline` kernel, whose results (GPU buffers, textures) outlive the call:
   * each call counts its output as live until `held()`, and `hold()` counts another (a clone). An
   * evicted kernel is destroyed only once none is left (a WebGL texture reads itself through the
   * kernel that made it).
   */
  pipelineKernel(key: string, source: () => string, settings: () => KernelSettings): (...args: readonly unknown[]) => PipelineCall;
  /**
   * The result of an `Array(4)` pipeline kernel of `threads` threads as the flat array of its
   * `4 * threads` values (thread t's components at 4t..4t+3), which the next kernel reads as
   * `x[i]`, and whose `toArray` gives those values flat: no unpack pass (see below).
   */
  flatView(result: unknown, threads: number): unknown;
  /**
   * Whether kernels here can read a packed array by quads ({@link GpuRuntime.quadView}): WebGL2
   * (a texel per fetch) and the CPU mode (which stands in for it in tests).
   */
  readonly quadReads: boolean;
  /**
   * The packed array `flat` of `threads` quads (a `flatView` result) as a kernel argument read as
   * `x[t]` → its 4 values t·4..t·4+3: on WebGL2 a second handle on the same texture typed as
   * gpu.js's `ArrayTexture(4)` (one texel fetch per 4 values instead of one per value), in the CPU
   * mode rows of 4. `done` lets go of it once the kernel has run. A quad outside the array reads
   * as unspecified values (an edge texel; zeros in the CPU mode), never an error.
   */
  quadView(flat: unknown, threads: number): { readonly view: unknown; done(): void };
  /** Wraps flat data as a gpu.js `input()` view of `size` (innermost first). */
  view(data: Float32Array, size: readonly number[]): unknown;
  /** Kernel cache statistics (for tests and reports). */
  readonly cache: KernelCache<BuiltKernel>;
  /** Kernel calls so far (every call of a kernel this runtime built). */
  readonly calls: number;
  /**
   * Pipeline kernel calls made when every earlier output of that kernel was released: where
   * gpu.js's WebGL2 kernel renders into its own texture again instead of allocating one.
   */
  readonly reusableCalls: number;
  /** Destroys every kernel and worker; the runtime must not be used afterwards. */
  destroy(): void;
}

/** One call of a pipeline kernel: its result, and how to keep the kernel alive for it. @internal */
export interface PipelineCall {
  readonly result: unknown;
  /** Uncounts the output this call made (held from the call on). */
  readonly held: () => void;
  /** Counts one more live output (a clone); returns the function that uncounts it. */
  hold(): () => void;
}

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  /** Worker threads for the `async` mode. Default: the number of CPU cores. */
  readonly threads?: number;
  /** Most kernels kept alive at once; the least recently used is destroyed beyond it. Default 128 (32 for WebAssembly kernels in a page). */
  readonly cacheSize?: number;
}

// The untyped surface of gpu.js we touch, typed narrowly here so `any` stays out of canopy.
interface BuiltKernel {
  readonly run: KernelFn;
  readonly release: () => void;
  /** Live pipeline outputs, and whether the cache evicted it meanwhile. */
  outputs: number;
  evicted: boolean;
  /** Whether it ran as a pipeline kernel before (its first output always takes new memory). */
  piped: boolean;
}
interface GpuInstance {
  createKernel(source: string, settings: Record<string, unknown>): KernelShortcut;
  destroy(): unknown;
}
interface KernelShortcut extends KernelFn {
  kernel?: InnerKernel;
  destroy?(): void;
}
interface InnerKernel {
  _pool?: unknown;
  _shapeOutput?: (data: Float32Array, output: unknown, components: number) => unknown;
  _moduleCache?: Map<unknown, { id: number; shared: boolean }>;
  _threadedTail?: Promise<unknown>;
  destroy(): void;
  constructor: { name: string };
}
interface PoolLike {
  size: number;
  release(id: number): void;
  destroy(): void;
}
interface GpujsModule {
  GPU: (new (settings: Record<string, unknown>) => GpuInstance) & {
    isHeadlessGLSupported: boolean;
    isWebGPUSupported: boolean;
    isWebGL2Supported: boolean;
    isWebGLSupported: boolean;
    isWebAssemblySupported: boolean;
  };
  WebAssemblyKernel?: { isThreadsSupported?: boolean };
  input(value: Float32Array, size: readonly number[]): unknown;
  utils: {
    getKernelTextureSize(settings: unknown, dimensions: readonly number[]): Int32Array;
  };
}

const gpu = gpujs as unknown as GpujsModule;

// gpu.js lays a 2-D kernel output [w, h] on a w×h texture in its WebGL modes, which fails past the
// device's maxTextureSize (a [173056, 3] elementwise output: 8192 on SwiftShader, WebGL2 promises
// only 2048); its shaders index threads linearly from the texel, so a near-square texture of the
// same texel count (what gpu.js already does for 1-D and 3-D outputs) serves any shape.
const glTextureSide = 2048;
if (typeof gpu.utils?.getKernelTextureSize === 'function') {
  const textureSize = gpu.utils.getKernelTextureSize.bind(gpu.utils);
  gpu.utils.getKernelTextureSize = (settings, dims) => {
    const size = textureSize(settings, dims);
    if (size[0]! <= glTextureSide && size[1]! <= glTextureSide) return size;
    return textureSize(settings, [dims.reduce((n, d) => n * (d || 1), 1)]);
  };
}

// A WebAssembly kernel holds its arguments and its output in one memory of at most 4 GiB (65,536
// pages, 16 of them gpu.js's own); past it the module gpu.js generates "failed validation" (an
// add over [6e8]: 7.2 GB). Checked before each call, so before the first one compiles.
const wasmMemoryBytes = 2 ** 32 - 2 ** 20;

function checkWasmBytes(key: string, s: KernelSettings, args: readonly unknown[]): void {
  const components = s.returnType === undefined || s.returnType === 'Number' ? 1 : Number(s.returnType[6]);
  let bytes = s.output.reduce((n, d) => n * d, 1) * components * 4;
  for (const a of args) {
    const v: unknown = typeof a === 'object' && a !== null && 'value' in a ? a.value : a; // gpu.input views
    if (ArrayBuffer.isView(v)) bytes += v.byteLength;
  }
  if (bytes > wasmMemoryBytes) {
    throw new CanopyError('shape', `gpujs: a WebAssembly kernel's arguments and output must fit in ${wasmMemoryBytes} bytes, got ${bytes} bytes for ${key} with output [${s.output.join(',')}]`);
  }
}

// --- constructors

/**
 * Why `mode` cannot run on this platform, or `undefined` when it can.
 *
 * @example
 * ```ts
 * modeUnavailableReason('webasm'); // undefined
 * modeUnavailableReason('headlessgl'); // 'headless-gl (the optional "gl" package) is not installed ...'
 * ```
 */
export function modeUnavailableReason(mode: GpujsMode): string | undefined {
  switch (mode) {
    case 'headlessgl':
      return gpu.GPU.isHeadlessGLSupported
        ? undefined
        : 'headless-gl (the optional "gl" package) is not installed or cannot create a context';
    case 'webgpu':
      // gpu.js only looks at navigator.gpu; in Node a caller may install one first (for example
      // Dawn's, from the `webgpu` package: `globalThis.navigator = { gpu: create([]) }`).
      return gpu.GPU.isWebGPUSupported
        ? undefined
        : 'no WebGPU implementation (navigator.gpu) in this runtime; in Node, install one (e.g. the "webgpu" package) first';
    case 'webgl2':
      // gpu.js's test creates a context and asks for float render targets (EXT_color_buffer_float)
      return gpu.GPU.isWebGL2Supported ? undefined : 'no WebGL2 context (a page in a WebGL2 browser is needed)';
    case 'webgl':
      return gpu.GPU.isWebGLSupported ? undefined : 'no WebGL context (a page in a WebGL browser is needed)';
    case 'webasm':
      return gpu.GPU.isWebAssemblySupported ? undefined : 'WebAssembly is not supported';
    case 'async':
      if (!gpu.GPU.isWebAssemblySupported) return 'WebAssembly is not supported';
      return gpu.WebAssemblyKernel?.isThreadsSupported === true
        ? undefined
        : 'WebAssembly threads (SharedArrayBuffer) are not available';
    case 'cpu':
    case 'gpu':
      return undefined;
  }
}

/**
 * Creates a gpu.js engine in `mode`; throws CanopyError('backend') when the mode cannot run here.
 *
 * @example
 * ```ts
 * const rt = createRuntime('webasm');
 * const k = rt.kernel('double', () => 'function(a) { return a[this.thread.x] * 2; }', () => ({ output: [3] }));
 * k(new Float32Array([1, 2, 3])); // Float32Array [2, 4, 6]
 * rt.destroy();
 * ```
 * @internal
 */
export function createRuntime(mode: GpujsMode, options: RuntimeOptions = {}): GpuRuntime {
  const reason = modeUnavailableReason(mode);
  if (reason !== undefined) {
    throw new CanopyError('backend', `gpujs: mode '${mode}' must be available, got: ${reason}`);
  }
  const threads = mode === 'async' ? Math.max(1, options.threads ?? defaultThreads()) : 1;
  const instance = new gpu.GPU({ mode: mode === 'async' ? 'webasm' : mode });
  const asyncKernels = mode === 'async' || mode === 'webgpu';
  let pool: PoolLike | undefined;
  const sharedPool = (): PoolLike | undefined => {
    if (mode !== 'async') return undefined;
    pool ??= makePool(threads);
    return pool;
  };
  // Kernels evicted while their pipeline outputs live: destroyed with the last output (or destroy()).
  const deferred = new Set<BuiltKernel>();
  const evict = (k: BuiltKernel): void => {
    k.evicted = true;
    if (k.outputs === 0) k.release();
    else deferred.add(k);
  };
  const cache = new KernelCache<BuiltKernel>(options.cacheSize ?? defaultCacheSize(mode), evict);
  let engine: string = mode === 'async' ? 'webasm' : mode;
  let destroyed = false;
  let calls = 0;
  let reusableCalls = 0;

  const kernel = (key: string, source: () => string, settings: () => KernelSettings): KernelFn => built(key, source, settings).run;
  const pipelineKernel = (key: string, source: () => string, settings: () => KernelSettings) => {
    const b = built(key, source, settings);
    const hold = (): (() => void) => {
      b.outputs++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        b.outputs--;
        if (b.evicted && b.outputs === 0 && deferred.delete(b)) b.release();
      };
    };
    // The call holds its output from the start: an eviction while a WebGPU call is pending must
    // not destroy the kernel under it. A failed call lets go.
    return (...args: readonly unknown[]): PipelineCall => {
      if (b.piped && b.outputs === 0) reusableCalls++;
      b.piped = true;
      const held = hold();
      let result: unknown;
      try {
        result = b.run(...args);
      } catch (e) {
        held();
        throw e;
      }
      if (result instanceof Promise) result = result.catch((e: unknown) => {
        held();
        throw e;
      });
      return { result, held, hold };
    };
  };
  const built = (key: string, source: () => string, settings: () => KernelSettings): BuiltKernel => {
    if (destroyed) throw new CanopyError('backend', `gpujs: the backend must not be used after destroy(), got a call for ${key}`);
    return cache.get(key, () => {
      const s = settings();
      const k = instance.createKernel(source(), {
        output: [...s.output],
        returnType: s.returnType ?? 'Number',
        asyncMode: asyncKernels,
        ...(s.pipeline === true ? { pipeline: true, immutable: true } : {}),
      });
      const p = sharedPool();
      // Attach the shared pool before the first call; the kernel creates its own otherwise.
      const run: KernelFn = (...args) => {
        if (mode === 'webasm' || mode === 'async') checkWasmBytes(key, s, args);
        const inner = k.kernel;
        if (p !== undefined && inner !== undefined && inner._pool === null) inner._pool = poolView(p);
        // gpu.js erects one subarray per thread for Array(n) results (256K objects for a matmul
        // 1024, ~10% of the call); the flat slice it shapes them from is all canopy needs.
        if (s.flat === true && inner !== undefined && typeof inner._shapeOutput === 'function' && !Object.hasOwn(inner, '_shapeOutput')) {
          inner._shapeOutput = flatOutput;
        }
        calls++;
        const r = k(...args);
        if (inner !== undefined) engine = kernelEngine(inner.constructor.name, engine);
        return r;
      };
      return { run, release: () => releaseKernel(k, pool), outputs: 0, evicted: false, piped: false };
    });
  };

  return {
    mode,
    get engine() {
      return engine;
    },
    threads,
    async: asyncKernels,
    kernel,
    pipelineKernel,
    flatView,
    quadReads: mode === 'webgl2' || mode === 'cpu',
    quadView,
    view: (data, size) => gpu.input(data, [...size]),
    cache,
    get calls() {
      return calls;
    },
    get reusableCalls() {
      return reusableCalls;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      cache.clear();
      for (const k of deferred) k.release();
      deferred.clear();
      pool?.destroy();
      pool = undefined;
      void instance.destroy();
    },
  };
}

// --- utils

// Every gpu.js webasm kernel owns a WebAssembly.Memory, and a browser reserves address space for
// each (V8: 8 GiB plus guard regions) until the garbage collector frees it: past about a hundred
// live kernels a page fails with "WebAssembly.Memory(): could not allocate memory" (the fixture
// suite in Chromium did). Pages keep fewer WebAssembly kernels alive; Node has no such limit here.
function defaultCacheSize(mode: GpujsMode): number {
  const inPage = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  return inPage && (mode === 'webasm' || mode === 'async') ? 32 : 128;
}

// Node's built-in modules, reached without an import statement: a bundler for the browser must
// see no `node:` import, and a page has no `process` (Node >= 20.16 has getBuiltinModule).
interface NodeBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}
function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeBuiltins }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule(id) as T | undefined) : undefined;
}

function defaultThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === 'number' && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  return os?.availableParallelism?.() ?? (os?.cpus().length || 2);
}

// The worker pool class is internal to gpu.js; in Node we load it by path and fall back to
// per-kernel pools (gpu.js's default) when a future version moves it, or in a page (gpu.js's
// browser build keeps the class to itself).
function makePool(threads: number): PoolLike | undefined {
  try {
    const createRequire = nodeBuiltin<{ createRequire: (from: string) => (id: string) => unknown }>('node:module')?.createRequire;
    if (createRequire === undefined) return undefined;
    const mod = createRequire(import.meta.url)('gpu.js/src/backend/web-assembly/worker-pool.js') as {
      WebAssemblyWorkerPool?: new (size: number) => PoolLike;
    };
    return mod.WebAssemblyWorkerPool === undefined ? undefined : new mod.WebAssemblyWorkerPool(threads);
  } catch {
    return undefined;
  }
}

// A kernel destroys "its" pool in destroy(); this view makes that a no-op for the shared one.
function poolView(pool: PoolLike): PoolLike {
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'destroy') return () => undefined;
      const v: unknown = Reflect.get(target, prop);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

// Frees a kernel: its module instances in the shared pool's workers first (they pin wasm memory).
function releaseKernel(k: KernelShortcut, pool: PoolLike | undefined): void {
  const inner = k.kernel;
  if (inner === undefined) return;
  const entries = [...(inner._moduleCache?.values() ?? [])].filter((e) => e.shared);
  const tail = inner._threadedTail ?? Promise.resolve();
  const finish = (): void => {
    if (pool !== undefined) for (const e of entries) pool.release(e.id);
    inner.destroy();
  };
  if (entries.length === 0) finish();
  else void tail.then(finish, finish);
}

// gpu.js passes an `Array(4)` result to a kernel only as four-component values (WebGL2: an RGBA
// float texture read one vec4 per index; WebGPU refuses it: "does not yet support Array(4)
// pipeline results as kernel arguments"), yet its memory is exactly the flat row-major array of
// 4 × threads values: on WebGPU a storage buffer of f32 with the components interleaved; on WebGL2
// an RGBA texture holding 4 consecutive values per texel, in texel order, which is the layout of
// gpu.js's memory-optimized float textures (optimizeFloatMemory), read with one texel fetch and a
// channel pick. So the handle is re-typed in place as that: a WebGPUBufferResult of 1 component
// and output [4n] (its readback then copies the same bytes, flat), a GL texture of type
// 'MemoryOptimizedNumberTexture', output and dimensions [4n] (its clones re-typed too, since gpu.js
// builds a clone by its class). In the CPU modes the result is rows of 4 values: made one array.
function flatView(result: unknown, threads: number): unknown {
  const n = 4 * threads;
  // A GL kernel whose argument was its own earlier output takes a clone of that argument as its
  // output texture (gpu.js's updateTextureArgumentRefs): its results are then re-typed already.
  if (flatTextures.has(result as object)) return result;
  if (isRecord(result) && result.type === 'WebGPUBuffer' && result.componentCount === 4) {
    result.output = [n];
    result.componentCount = 1;
    return result;
  }
  if (isRecord(result) && result.type === 'ArrayTexture(4)' && typeof result.clone === 'function' && typeof result.renderValues === 'function') {
    const t = result as Record<string, unknown> & { clone(): unknown; renderValues(): Float32Array | null };
    const clone = t.clone.bind(t);
    t.type = 'MemoryOptimizedNumberTexture';
    t.output = [n];
    t.dimensions = [n, 1, 1];
    t.toArray = () => t.renderValues()?.subarray(0, n);
    t.clone = () => flatView(clone(), threads);
    flatTextures.add(t);
    return t;
  }
  return flatten(result, n);
}

const flatTextures = new WeakSet<object>();

function quadView(flat: unknown, threads: number): { readonly view: unknown; done(): void } {
  if (flat instanceof Float32Array) {
    let rows = quadRows.get(flat);
    if (rows === undefined) {
      const all = Array.from({ length: threads }, (_, t) => flat.subarray(4 * t, 4 * t + 4));
      // A quad outside the array reads as zeros (on WebGL2 an edge texel): kernels fetch whole
      // quads around a row and use only the values inside.
      rows = new Proxy(all, { get: (target, key, receiver) => (typeof key === 'string' && /^-?\d+$/.test(key) && target[Number(key)] === undefined ? outsideQuad : Reflect.get(target, key, receiver)) });
      quadRows.set(flat, rows);
    }
    return { view: rows, done: () => undefined };
  }
  if (flatTextures.has(flat as object)) {
    // gpu.js's texture classes copy a texture from its settings (counting one more reference to
    // the GL texture); the class of a re-typed Array(4) result is still gpu.js's Array(4) texture.
    const Texture = (flat as { constructor: new (settings: unknown) => Record<string, unknown> & { delete(): void } }).constructor;
    const q = new Texture(flat);
    q.type = 'ArrayTexture(4)';
    q.output = [threads];
    q.dimensions = [threads, 1, 1];
    return { view: q, done: () => q.delete() };
  }
  throw new CanopyError('backend', `gpujs: a quad read needs a packed WebGL2 texture or CPU array, got ${Object.prototype.toString.call(flat)}`);
}
const quadRows = new WeakMap<Float32Array, Float32Array[]>();
const outsideQuad = new Float32Array(4);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

// The webasm kernel's output shaper replaced by the identity: its data is already a fresh copy.
function flatOutput(data: Float32Array): Float32Array {
  return data;
}

function kernelEngine(className: string, fallback: string): string {
  const names: Record<string, string> = {
    WebAssemblyKernel: 'webasm',
    CPUKernel: 'cpu',
    HeadlessGLKernel: 'headlessgl',
    WebGPUKernel: 'webgpu',
    WebGL2Kernel: 'webgl2',
    WebGLKernel: 'webgl',
  };
  return names[className] ?? fallback;
}
