// Kernel-level checks of the gpu.js backend: sizes above gpu.js's 1000-iteration loop cut, the
// alternative formulations kept for the benchmark, NaN propagation, the kernel cache and cleanup.
import { afterAll, describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../../src/backend/gpujs/index.ts';
import { createRuntime } from '../../../src/backend/gpujs/runtime.ts';
import { collapse } from '../../../src/backend/gpujs/kernels/elementwise.ts';
import { fastMatmul, naiveMatmul, tiling } from '../../../src/backend/gpujs/kernels/matmul.ts';
import { convDirect4, convIm2col, convNaive } from '../../../src/backend/gpujs/kernels/conv2d.ts';
import { flatten } from '../../../src/backend/gpujs/output.ts';
import { referenceBackend as ref } from '../../../src/backend/reference/index.ts';
import { fromArray } from '../../../src/tensor/create.ts';
import { makeTensor } from '../../../src/tensor/Tensor.ts';
import { expectClose, tensorOf } from './helpers.ts';

const be = createGpujsBackend({ mode: 'async' });
const sync = createGpujsBackend({ mode: 'webasm' });
const rt = createRuntime('webasm');
afterAll(() => {
  be.destroy();
  sync.destroy();
  rt.destroy();
});

describe('dispatch that fits the work (threadedMinWork)', () => {
  it('runs kernels under the threshold on the calling thread and larger ones on the pool, with the same values', async () => {
    const local = createGpujsBackend({ mode: 'async', threadedMinWork: 5000 });
    try {
      const [small, large] = [tensorOf([4999], 1), tensorOf([5000], 2)];
      const s = local.binary('add', small, small);
      const l = local.binary('add', large, large);
      expect(s instanceof Promise).toBe(false);
      expect(l instanceof Promise).toBe(true);
      expectClose(await s, ref.binary('add', small, small), 0, true);
      expectClose(await l, ref.binary('add', large, large), 0, true);
      // matmul and conv count multiply-adds: 16³ = 4096 inline, 18³ = 5832 pooled.
      expect(local.matmul(tensorOf([1, 16, 16], 3), tensorOf([1, 16, 16], 4)) instanceof Promise).toBe(false);
      const m = local.matmul(tensorOf([1, 18, 18], 3), tensorOf([1, 18, 18], 4));
      expect(m instanceof Promise).toBe(true);
      await m;
    } finally {
      local.destroy();
    }
  });
});

describe('loops longer than gpu.js loopMaxIterations (1000)', () => {
  it.each(['async', 'webasm', 'cpu'] as const)('reduces 2500 elements along an axis (%s)', async (mode) => {
    const local = mode === 'async' ? be : mode === 'webasm' ? sync : createGpujsBackend({ mode });
    const x = tensorOf([3, 2500, 2], 1);
    for (const op of ['sum', 'max', 'min'] as const) expectClose(await local.reduce(op, x, [1], false), ref.reduce(op, x, [1], false), 1e-5);
    expectClose(await local.argmax(x, 1, true), ref.argmax(x, 1, true), 0);
    const flat = tensorOf([4100], 2);
    expectClose(await local.reduce('sum', flat, [0], false), ref.reduce('sum', flat, [0], false), 1e-5);
    if (mode === 'cpu') local.destroy();
  });

  it('multiplies with K = 1100', async () => {
    const a = tensorOf([1, 7, 1100], 3);
    const b = tensorOf([1, 1100, 5], 4);
    expectClose(await be.matmul(a, b), ref.matmul(a, b), 1e-5);
  });

  it('convolves with 120 input channels (direct loop) and C*kh*kw = 1080 (im2col rows)', async () => {
    const x = tensorOf([1, 120, 5, 4], 5);
    const w = tensorOf([6, 120, 3, 3], 6);
    const p = { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 } as const;
    const want = ref.conv2d(x, w, p);
    expectClose(await be.conv2d(x, w, p), want, 1e-5);
    const direct = createGpujsBackend({ mode: 'webasm', conv: 'im2col' });
    expectClose(await direct.conv2d(x, w, p), want, 1e-5);
    direct.destroy();
  });
});

describe('alternative formulations agree', () => {
  it('naive and four-rows matmul, with a broadcast A', () => {
    const s = { batches: 4, aBatches: 2, m: 6, k: 33, n: 9 };
    const a = tensorOf([2, 6, 33], 7).data as Float32Array;
    const b = tensorOf([4, 33, 9], 8).data as Float32Array;
    const fast = fastMatmul(rt, s, a, b) as Float32Array;
    const naive = naiveMatmul(rt, s, a, b) as Float32Array;
    const aAll = ref.reshape(ref.expand(ref.reshape(makeTensor(a, [2, 6, 33]), [1, 2, 6, 33]), [2, 2, 6, 33]), [4, 6, 33]);
    const want = ref.matmul(aAll, makeTensor(b, [4, 33, 9]));
    expectClose(makeTensor(fast, [4, 6, 9]), makeTensor(naive, [4, 6, 9]), 1e-6);
    // A[z mod 2]: batches 0,1,2,3 use A0,A1,A0,A1, which is A expanded to [2,2,...] and flattened.
    expectClose(makeTensor(fast, [4, 6, 9]), ref.reshape(want, [4, 6, 9]), 1e-5);
  });

  it.each([
    [{ batches: 1, aBatches: 1, m: 6, k: 3, n: 1030 }],
    [{ batches: 2, aBatches: 1, m: 5, k: 7, n: 600 }],
    [{ batches: 3, aBatches: 3, m: 9, k: 3, n: 1025 }],
    [{ batches: 3, aBatches: 3, m: 8, k: 3, n: 40 }],
    [{ batches: 4, aBatches: 2, m: 4, k: 2, n: 1024 }],
    [{ batches: 4, aBatches: 2, m: 4, k: 2, n: 512 }],
    // Balanced tiles: 676 → 2 × 340 (8 padding columns), 513 → 2 × 260, 169 one tile not a multiple of 4.
    [{ batches: 1, aBatches: 1, m: 7, k: 5, n: 676 }],
    [{ batches: 1, aBatches: 1, m: 5, k: 3, n: 513 }],
    [{ batches: 2, aBatches: 1, m: 3, k: 4, n: 169 }],
  ])('four-rows matmul, batched and tiled over columns (N > 512): %o', (s) => {
    const a = tensorOf([s.aBatches, s.m, s.k], 15).data as Float32Array;
    const b = tensorOf([s.batches, s.k, s.n], 16).data as Float32Array;
    const shape = [s.batches, s.m, s.n];
    expectClose(makeTensor(fastMatmul(rt, s, a, b) as Float32Array, shape), makeTensor(naiveMatmul(rt, s, a, b) as Float32Array, shape), 1e-6);
  });

  it('splits columns into even tiles of at most 512, a multiple of 4 wide', () => {
    expect(tiling(169)).toEqual({ tile: 169, tiles: 1 });
    expect(tiling(512)).toEqual({ tile: 512, tiles: 1 });
    expect(tiling(676)).toEqual({ tile: 340, tiles: 2 });
    expect(tiling(1024)).toEqual({ tile: 512, tiles: 2 });
    for (const n of [513, 1030, 2704, 10816, 42849]) {
      const { tile, tiles } = tiling(n);
      expect(tile % 4 === 0 && tile <= 512 && tile * tiles >= n && tile * (tiles - 1) < n).toBe(true);
    }
  });

  it('im2col, direct four-channel and naive conv kernels', () => {
    const s = { n: 2, c: 6, hp: 9, wp: 8, o: 9, kh: 3, kw: 2, oh: 4, ow: 7, stride: [2, 1], dilation: [1, 1], groups: 3 } as const;
    const x = tensorOf([2, 6, 9, 8], 9).data as Float32Array;
    const w = tensorOf([9, 2, 3, 2], 10).data as Float32Array;
    const want = ref.conv2d(makeTensor(x, [2, 6, 9, 8]), makeTensor(w, [9, 2, 3, 2]), { stride: [2, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 3 });
    for (const f of [convIm2col, convDirect4, convNaive]) expectClose(makeTensor(f(rt, s, x, w) as Float32Array, [2, 9, 4, 7]), want, 1e-5);
  });
});

describe('row conv kernel (depthwise and few input channels)', () => {
  const cpu = createGpujsBackend({ mode: 'cpu' });
  afterAll(() => cpu.destroy());
  it.each([
    ['depthwise 3×3, same padding, width not a multiple of 4', [1, 5, 9, 11], [5, 1, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 5 }],
    ['depthwise, multiplier 2, stride 2, two images', [2, 3, 10, 13], [6, 1, 3, 3], { stride: [2, 2], dilation: [1, 1], padding: [1, 0, 2, 1], groups: 3 }],
    ['depthwise 5×3, dilation 2, stride (1, 3)', [1, 4, 14, 17], [4, 1, 5, 3], { stride: [1, 3], dilation: [2, 2], padding: [0, 0, 0, 0], groups: 4 }],
    ['dense 3 → 16, valid (the face detector conv0 shape, small)', [1, 3, 18, 18], [16, 3, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }],
    ['dense 1 → 3, 1×1', [2, 1, 3, 5], [3, 1, 1, 1], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }],
    ['dense 4 → 5, stride 2, width 1 output', [1, 4, 6, 3], [5, 4, 3, 3], { stride: [2, 2], dilation: [1, 1], padding: [1, 1, 0, 0], groups: 1 }],
  ] as const)('%s', async (_, xs, ws, p) => {
    const x = tensorOf(xs, 21);
    const w = tensorOf(ws, 22);
    const want = ref.conv2d(x, w, p);
    for (const b of [be, sync, cpu]) expectClose(await b.conv2d(x, w, p), want, 1e-5);
  });
});

describe('pointwise conv as a matmul', () => {
  it.each([
    ['one image, 26² plane', [1, 12, 26, 26], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }],
    ['two images, padded, plane over one tile', [2, 5, 23, 24], { stride: [1, 1], dilation: [1, 1], padding: [1, 0, 2, 1], groups: 1 }],
    ['odd channels, 13² plane (169 columns, not a multiple of 4)', [1, 9, 13, 13], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }],
    ['27² plane: two balanced tiles of 368 (7 padding columns)', [1, 3, 27, 27], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }],
  ] as const)('%s', async (_, xs, p) => {
    const x = tensorOf(xs, 23);
    const w = tensorOf([7, xs[1], 1, 1], 24);
    const want = ref.conv2d(x, w, p);
    for (const b of [be, sync]) expectClose(await b.conv2d(x, w, p), want, 1e-5);
  });
});

describe('NaN and Infinity propagate as in PyTorch', () => {
  const x = fromArray([[1, Number.NaN, 3], [-Infinity, 2, Infinity]]);
  it.each([
    ['binary max', () => be.binary('max', x, fromArray(2)), () => ref.binary('max', x, fromArray(2))],
    ['binary min', () => be.binary('min', x, fromArray(2)), () => ref.binary('min', x, fromArray(2))],
    ['reduce max', () => be.reduce('max', x, [1], false), () => ref.reduce('max', x, [1], false)],
    ['reduce sum', () => be.reduce('sum', x, [0], false), () => ref.reduce('sum', x, [0], false)],
    ['argmax', () => be.argmax(x, 1, false), () => ref.argmax(x, 1, false)],
    ['exp', () => be.unary('exp', x), () => ref.unary('exp', x)],
  ])('%s', async (_, got, want) => {
    expectClose(await got(), want(), 1e-6, true);
  });
  it('max pooling', async () => {
    const img = makeTensor(new Float32Array([1, Number.NaN, 3, 4]), [1, 1, 2, 2]);
    const p = { kernel: [2, 2], stride: [1, 1], padding: [0, 0], outShape: [1, 1], countIncludePad: true } as const;
    expectClose(await be.pool2d('max', img, p), ref.pool2d('max', img, p), 0);
  });
});

describe('kernel cache', () => {
  it('builds a kernel once per (op, shapes) and reuses it', async () => {
    const local = createGpujsBackend({ mode: 'webasm' });
    const a = tensorOf([3, 5], 11);
    await local.binary('add', a, a);
    const first = local.cacheStats();
    await local.binary('add', a, tensorOf([3, 5], 12));
    const second = local.cacheStats();
    expect(second.misses).toBe(first.misses);
    expect(second.hits).toBe(first.hits + 1);
    await local.binary('mul', a, a);
    expect(local.cacheStats().misses).toBe(first.misses + 1);
    local.destroy();
  });

  it('evicts beyond its size and stays correct', async () => {
    const local = createGpujsBackend({ mode: 'webasm', cacheSize: 2 });
    for (let n = 1; n <= 5; n++) {
      const x = tensorOf([n], n);
      expectClose(await local.unary('exp', x), ref.unary('exp', x), 1e-6, true);
    }
    expect(local.cacheStats().size).toBe(2);
    local.destroy();
  });

  it('refuses use after destroy', () => {
    const local = createGpujsBackend({ mode: 'webasm' });
    local.destroy();
    expect(() => local.unary('exp', fromArray([1]))).toThrow(/after destroy/);
  });
});

describe('helpers', () => {
  it('collapses broadcast shapes to at most three axes', () => {
    expect(collapse([2, 3, 4], [[2, 3, 4], [4]], 3)).toEqual({ out: [4, 6], full: [[true, true], [true, false]] });
    expect(collapse([2, 1, 4], [[2, 1, 4], [1]], 3)).toEqual({ out: [8], full: [[true], [false]] });
    expect(collapse([2, 3, 4, 5], [[2, 1, 4, 1], [1, 3, 1, 5]], 3)).toBeUndefined();
  });

  it('flattens row results without copying when they share one buffer', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const rows = [data.subarray(0, 2), data.subarray(2, 4)];
    expect(flatten(rows, 4).buffer).toBe(data.buffer);
    expect(Array.from(flatten([new Float32Array([1, 2]), new Float32Array([3, 4])], 4))).toEqual([1, 2, 3, 4]);
  });

  it('flattens on a page without SharedArrayBuffer (no cross-origin isolation)', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'SharedArrayBuffer')!;
    Reflect.deleteProperty(globalThis, 'SharedArrayBuffer');
    try {
      const data = new Float32Array([1, 2, 3, 4]);
      expect(flatten([data.subarray(0, 2), data.subarray(2, 4)], 4).buffer).toBe(data.buffer);
    } finally {
      Object.defineProperty(globalThis, 'SharedArrayBuffer', saved);
    }
  });

  it('four-dimensional broadcasts fall back to materialising (more than 3 collapsed axes)', async () => {
    const a = tensorOf([2, 1, 4, 1], 13);
    const b = tensorOf([1, 3, 1, 5], 14);
    expectClose(await sync.binary('add', a, b), ref.binary('add', a, b), 1e-6, true);
  });
});
