import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, ones, randn, zeros } from '../../src/tensor/index.ts';
import { errorOf, expectClose, r, shapeArb, unchanged } from './helpers.ts';

describe('norms', () => {
  it('layerNorm gives zero mean and unit variance, then applies weight and bias', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb(3, 4), fc.nat(100), async (shape, seed) => {
        fc.pre((shape[2] ?? 1) > 1);
        const x = randn(shape, seed, 3, 2);
        const w = randn([shape[2] ?? 1], seed + 1);
        const b = randn([shape[2] ?? 1], seed + 2);
        const plain = await unchanged([x], () => o.layerNorm(r, x, shape.slice(2), { eps: 0 }));
        for (const v of (await o.mean(r, plain, -1)).data) expect(Math.abs(v)).toBeLessThan(1e-5);
        for (const v of (await o.variance(r, plain, -1, { unbiased: false })).data) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
        const aff = await o.layerNorm(r, x, shape.slice(2), { eps: 0, weight: w, bias: b });
        expectClose(aff, await o.add(r, await o.mul(r, plain, w), b), 1e-5, 1e-5);
      }),
      { numRuns: 30 },
    );
  });
  it('groupNorm with one group per channel is instanceNorm; with one group it is layerNorm over [C, H, W]', async () => {
    const x = randn([2, 4, 3, 3], 5);
    const w = randn([4], 6);
    const b = randn([4], 7);
    expectClose(await o.groupNorm(r, x, 4, { weight: w, bias: b }), await o.instanceNorm(r, x, { weight: w, bias: b }), 1e-5, 1e-5);
    expectClose(await o.groupNorm(r, x, 1), await o.layerNorm(r, x, [4, 3, 3]), 1e-5, 1e-5);
  });
  it('batchNorm uses running statistics', async () => {
    const x = randn([2, 3, 2, 2], 1);
    const m = fromArray([1, 2, 3]);
    const v = fromArray([4, 1, 0.25]);
    const y = await o.batchNorm(r, x, m, v, { weight: fromArray([2, 2, 2]), bias: ones([3]), eps: 0 });
    const want = await o.add(r, await o.mul(r, await o.div(r, await o.sub(r, x, fromArray([[[1]], [[2]], [[3]]])), fromArray([[[2]], [[1]], [[0.5]]])), 2), 1);
    expectClose(y, want, 1e-6, 1e-6);
    expectClose(await o.batchNorm(r, fromArray([[5, 6]]), zeros([2]), ones([2]), { eps: 0 }), fromArray([[5, 6]]), 0, 0);
  });
  it('reports bad shapes', async () => {
    expect(await errorOf(() => o.layerNorm(r, randn([2, 3], 0), [4]))).toBe('layerNorm: input must end with normalizedShape [4], got [2,3]');
    expect(await errorOf(() => o.groupNorm(r, randn([2, 6, 2], 0), 4))).toBe('groupNorm: channels must be divisible by numGroups 4, got input [2,6,2]');
    expect(await errorOf(() => o.groupNorm(r, randn([2, 6, 2], 0), 3, { weight: ones([3]) }))).toBe('groupNorm: weight must be [6], got [3]');
    expect(await errorOf(() => o.instanceNorm(r, randn([2, 6], 0)))).toBe('instanceNorm: input must be [N, C, ...] of rank at least 3, got [2,6]');
    expect(await errorOf(() => o.batchNorm(r, randn([2, 3], 0), zeros([2]), ones([3])))).toBe('batchNorm: runningMean must be [3] for input [2,3], got [2]');
  });
});
