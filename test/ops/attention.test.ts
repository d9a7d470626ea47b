import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, randn, type Tensor } from '../../src/tensor/index.ts';
import { errorOf, expectClose, r, unchanged } from './helpers.ts';

const manual = async (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor): Promise<Tensor> => {
  let s = await o.div(r, await o.matmul(r, q, await o.transpose(r, k)), Math.sqrt(q.shape.at(-1) ?? 1));
  if (mask) s = await o.add(r, s, mask);
  return o.matmul(r, await o.softmax(r, s), v);
};

describe('scaledDotProductAttention', () => {
  it('over one key returns its value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.nat(100), async (lq, e, ev, seed) => {
        const q = randn([2, lq, e], seed);
        const k = randn([2, 1, e], seed + 1);
        const v = randn([2, 1, ev], seed + 2);
        const y = await unchanged([q, k, v], () => o.scaledDotProductAttention(r, q, k, v));
        expectClose(y, await o.broadcastTo(r, v, [2, lq, ev]), 1e-6, 1e-6);
      }),
      { numRuns: 25 },
    );
  });
  it('head split/merge equals attention per head', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.nat(100), async (h, d, l, seed) => {
        const q = randn([2, l, h * d], seed);
        const k = randn([2, l + 1, h * d], seed + 1);
        const v = randn([2, l + 1, h * d], seed + 2);
        const mask = randn([l, l + 1], seed + 3);
        const y = await o.scaledDotProductAttention(r, q, k, v, { numHeads: h, mask });
        const heads: Tensor[] = [];
        for (let i = 0; i < h; i++) {
          const sl = [{}, {}, { start: i * d, end: (i + 1) * d }];
          heads.push(await manual(await o.slice(r, q, sl), await o.slice(r, k, sl), await o.slice(r, v, sl), mask));
        }
        expectClose(y, await o.concat(r, heads, -1), 1e-5, 1e-5);
      }),
      { numRuns: 25 },
    );
  });
  it('causal: query i sees keys 0..i (first output is the first value)', async () => {
    const q = randn([1, 2, 4, 3], 1);
    const k = randn([1, 2, 4, 3], 2);
    const v = randn([1, 2, 4, 3], 3);
    const y = await o.scaledDotProductAttention(r, q, k, v, { isCausal: true });
    const tri = fromArray([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (j > i ? -Infinity : 0))));
    expectClose(y, await manual(q, k, v, tri), 1e-5, 1e-5);
    expectClose(await o.slice(r, y, [{}, {}, { end: 1 }]), await o.slice(r, v, [{}, {}, { end: 1 }]), 1e-6, 1e-6);
  });
  it('reports bad shapes', async () => {
    const q = randn([2, 3, 4], 0);
    expect(await errorOf(() => o.scaledDotProductAttention(r, q, randn([2, 3, 5], 0), q))).toBe('scaledDotProductAttention: query and key feature sizes must match, got query [2,3,4] and key [2,3,5]');
    expect(await errorOf(() => o.scaledDotProductAttention(r, q, q, randn([2, 2, 4], 0)))).toBe('scaledDotProductAttention: key and value lengths must match, got key [2,3,4] and value [2,2,4]');
    expect(await errorOf(() => o.scaledDotProductAttention(r, q, q, q, { numHeads: 3 }))).toBe('scaledDotProductAttention: query features must be divisible by numHeads 3, got [2,3,4]');
    expect(await errorOf(() => o.scaledDotProductAttention(r, q, q, q, { mask: randn([4, 3], 0) }))).toBe('scaledDotProductAttention: shapes must broadcast, got [4,3] and [2,3,3]');
  });
});
