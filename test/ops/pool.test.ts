import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { arange, fromArray, makeTensor, randn, toNested, type Tensor } from '../../src/tensor/index.ts';
import { samePadding } from '../../src/ops/pool.ts';
import { at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

const poolCase = fc.record({
  h: fc.integer({ min: 1, max: 7 }), w: fc.integer({ min: 1, max: 7 }),
  k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  p: fc.tuple(fc.nat(1), fc.nat(1)), ceil: fc.boolean(), inc: fc.boolean(), seed: fc.nat(100),
});

// Some cells NaN, so that NaN propagation through clamped and replicated cells is reached.
const nanSome = async (t: Tensor, seed: number): Promise<Tensor> => {
  const d = Float32Array.from(t.data);
  if (seed % 3 === 0) d[seed % d.length] = Number.NaN;
  return makeTensor(d, t.shape);
};

describe('max and average pooling', () => {
  it('match a naive window scan with PyTorch output sizes and divisors', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async ({ h, w, k, s, p, ceil, inc, seed }) => {
        fc.pre(2 * p[0] <= k[0] && 2 * p[1] <= k[1] && h + 2 * p[0] >= k[0] && w + 2 * p[1] >= k[1]);
        const x = randn([2, 2, h, w], seed);
        const size = (n: number, i: 0 | 1) => {
          const v = (n + 2 * p[i] - k[i]) / s[i];
          let out = (ceil ? Math.ceil(v) : Math.floor(v)) + 1;
          if (ceil && (out - 1) * s[i] >= n + p[i]) out--;
          return out;
        };
        const shape = [2, 2, size(h, 0), size(w, 1)];
        const mx = await unchanged([x], () => o.maxPool2d(r, x, k, { stride: s, padding: p, ceilMode: ceil }));
        const av = await o.avgPool2d(r, x, k, { stride: s, padding: p, ceilMode: ceil, countIncludePad: inc });
        const scan = (f: 'max' | 'avg') => build(shape, ([n = 0, c = 0, oy = 0, ox = 0]) => {
          const vals: number[] = [];
          let padded = 0;
          for (let ky = 0; ky < k[0]; ky++)
            for (let kx = 0; kx < k[1]; kx++) {
              const [y, xx] = [oy * s[0] - p[0] + ky, ox * s[1] - p[1] + kx];
              if (y < h + p[0] && xx < w + p[1]) padded++; // PyTorch counts the window clipped to the padded input
              if (y >= 0 && y < h && xx >= 0 && xx < w) vals.push(at(x, [n, c, y, xx]));
            }
          if (f === 'max') return Math.max(...vals);
          return vals.reduce((a, b) => a + b, 0) / (inc ? padded : vals.length);
        });
        expectClose(mx, scan('max'), 0, 0);
        expectClose(av, scan('avg'), 1e-5, 1e-6);
      }),
      { numRuns: 60 },
    );
  });
  it('max with padding is max over replicate padding: every window holds a real cell, and a padded cell repeats the nearest edge cell of the same window', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, fc.boolean(), async ({ h, w, k, s, p, ceil, seed }, same) => {
        fc.pre(2 * p[0] <= k[0] && 2 * p[1] <= k[1] && h + 2 * p[0] >= k[0] && w + 2 * p[1] >= k[1]);
        const x = await nanSome(randn([1, 2, h, w], seed), seed);
        // The cells each window reads: before/after on each axis, as the option implies.
        const sides = (n: number, i: 0 | 1): [number, number] => {
          if (same) return samePadding(n, k[i], s[i]);
          const v = (n + 2 * p[i] - k[i]) / s[i];
          let out = (ceil ? Math.ceil(v) : Math.floor(v)) + 1;
          if (ceil && (out - 1) * s[i] >= n + p[i]) out--;
          return [p[i], Math.max(p[i], (out - 1) * s[i] + k[i] - n - p[i])];
        };
        const [[t, bo], [l, rt]] = [sides(h, 0), sides(w, 1)];
        const padded = await o.pad(r, x, [l, rt, t, bo], { mode: 'replicate' });
        const want = await o.maxPool2d(r, padded, k, { stride: s });
        const got = await o.maxPool2d(r, x, k, same ? { stride: s, padding: 'same' } : { stride: s, padding: p, ceilMode: ceil });
        expect(got.shape).toEqual(want.shape);
        if (same) expect(got.shape.slice(2)).toEqual([Math.ceil(h / s[0]), Math.ceil(w / s[1])]);
        expect(Array.from(got.data)).toEqual(Array.from(want.data));
      }),
      { numRuns: 80 },
    );
  });
  it('known PyTorch values and NaN propagation', async () => {
    const x = await o.reshape(r, arange(25), [1, 1, 5, 5]);
    // F.max_pool2d(x, 2, ceil_mode=True) and F.avg_pool2d(x, 3, 2, 1)
    expect(toNested(await o.maxPool2d(r, x, 2, { ceilMode: true }))).toEqual([[[[6, 8, 9], [16, 18, 19], [21, 23, 24]]]]);
    expect(toNested(await o.avgPool2d(r, x, 3, { stride: 2, padding: 1 }))).toEqual([[[[12 / 9, 3, 24 / 9], [7, 12, 9], [8, 13, 84 / 9]].map((row) => row.map((v) => Math.fround(v)))]]);
    expect(toNested(await o.maxPool2d(r, fromArray([[[NaN, 1], [2, 3]]]), 2))).toEqual([[[NaN]]]);
  });
  it('reports bad inputs', async () => {
    expect(await errorOf(() => o.maxPool2d(r, randn([1, 1, 4, 4], 0), 2, { padding: 2 }))).toBe('maxPool2d: padding must be at most half the kernel, got padding [2,2] for kernel [2,2]');
    expect(await errorOf(() => o.avgPool2d(r, randn([1, 1, 2, 2], 0), 3))).toBe('avgPool2d: output would be empty (0x0), got input [1,1,2,2] with kernel [3,3] and padding [0,0]');
    expect(await errorOf(() => o.maxPool2d(r, randn([4, 4], 0), 2))).toBe('maxPool2d: input must be rank 3 or 4, got [4,4]');
    expect(await errorOf(() => o.maxPool2d(r, randn([1, 1, 4, 4], 0), 0))).toBe('maxPool2d: kernelSize must be a positive integer, got 0');
    expect(await errorOf(() => o.maxPool2d(r, randn([1, 1, 4, 4], 0), 2, { padding: 'same', ceilMode: true }))).toBe("maxPool2d: ceilMode must be false with padding 'same', got true");
    expect(await errorOf(() => o.maxPool2d(r, randn([1, 1, 0, 4], 0), 2, { padding: 'same' }))).toBe("maxPool2d: output would be empty, got input [1,1,0,4] with padding 'same'");
  });
});

describe('adaptive and global average pooling', () => {
  it('adaptive windows follow floor/ceil bounds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (h, w, oh, ow) => {
        const x = randn([1, 2, h, w], h * 10 + w);
        const y = await o.adaptiveAvgPool2d(r, x, [oh, ow]);
        const want = build([1, 2, oh, ow], ([n = 0, c = 0, i = 0, j = 0]) => {
          const [y0, y1] = [Math.floor((i * h) / oh), Math.ceil(((i + 1) * h) / oh)];
          const [x0, x1] = [Math.floor((j * w) / ow), Math.ceil(((j + 1) * w) / ow)];
          let s = 0;
          for (let a = y0; a < y1; a++) for (let b = x0; b < x1; b++) s += at(x, [n, c, a, b]);
          return s / ((y1 - y0) * (x1 - x0));
        });
        expectClose(y, want, 1e-5, 1e-6);
      }),
      { numRuns: 40 },
    );
  });
  it('global pooling is adaptive pooling to 1 and the spatial mean', async () => {
    const x = randn([2, 3, 5, 4], 9);
    const g = await o.globalAvgPool(r, x);
    expect(g.shape).toEqual([2, 3, 1, 1]);
    expectClose(g, await o.adaptiveAvgPool2d(r, x, 1), 1e-5, 1e-6);
    expect(await errorOf(() => o.globalAvgPool(r, randn([3, 5, 4], 0)))).toBe('globalAvgPool: input must be rank 4, got [3,5,4]');
  });
});
