import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { broadcastShapes, fromArray, randn, toNested, type Tensor } from '../../src/tensor/index.ts';
import { at, build, errorOf, expectClose, r, shapeArb, tensorOf, unchanged } from './helpers.ts';

/** Naive batched matmul with broadcast batch dims (operands of rank >= 2). */
function naiveMatmul(a: Tensor, b: Tensor): Tensor {
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const [M = 0, K = 0] = a.shape.slice(-2);
  const N = b.shape.at(-1) ?? 0;
  const pick = (t: Tensor, bi: number[]) => bi.slice(bi.length - (t.shape.length - 2)).map((i, k) => (t.shape[k] === 1 ? 0 : i));
  return build([...batch, M, N], (idx) => {
    const bi = idx.slice(0, -2);
    const [i = 0, j = 0] = idx.slice(-2);
    let s = 0;
    for (let k = 0; k < K; k++) s += at(a, [...pick(a, bi), i, k]) * at(b, [...pick(b, bi), k, j]);
    return s;
  });
}

const matmulPair = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
  .chain(([M, K, N, batch, flags]) => {
    const ba = batch.map((d, i) => (flags[i] ? 1 : d));
    const bb = batch.slice(flags[3] ? 1 : 0).map((d, i) => (flags[i + 2] ? 1 : d));
    return fc.tuple(tensorOf([...ba, M, K]), tensorOf([...bb, K, N]));
  });

describe('matmul', () => {
  it('matches the naive product with broadcast batch dims', async () => {
    await fc.assert(
      fc.asyncProperty(matmulPair, async ([a, b]) => {
        const y = await unchanged([a, b], () => o.matmul(r, a, b));
        expectClose(y, naiveMatmul(a, b), 1e-5, 1e-5);
      }),
      { numRuns: 40 },
    );
  });
  it('treats 1-D operands as torch.matmul does', async () => {
    const m = fromArray([[1, 2], [3, 4]]);
    const v = fromArray([1, 1]);
    expect(toNested(await o.matmul(r, m, v))).toEqual([3, 7]);
    expect(toNested(await o.matmul(r, v, m))).toEqual([4, 6]);
    expect(toNested(await o.matmul(r, v, v))).toBe(2);
  });
  it('contracts more than 1000 terms correctly', async () => {
    const a = randn([3, 1500], 1);
    const b = randn([1500, 2], 2);
    expectClose(await o.matmul(r, a, b), naiveMatmul(a, b), 1e-5, 1e-4);
  });
  it('reports mismatched inner dims with both shapes', async () => {
    expect(await errorOf(() => o.matmul(r, randn([2, 3], 0), randn([4, 2], 0)))).toBe('matmul: inner dimensions must match, got [2,3] and [4,2] (3 vs 4)');
    expect(await errorOf(() => o.matmul(r, randn([2, 2, 3], 0), randn([3, 3, 2], 0)))).toBe('matmul: shapes must broadcast, got [2] and [3]');
    expect(await errorOf(() => o.matmul(r, fromArray(1), randn([3], 0)))).toBe('matmul: operands must be at least 1-D, got [] and [3]');
  });
});

describe('linear', () => {
  it('is x Wᵀ + b on any leading dims', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb(2, 3), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), async (lead, inF, outF, withBias) => {
        const x = randn([...lead, inF], 1);
        const w = randn([outF, inF], 2);
        const bias = withBias ? randn([outF], 3) : undefined;
        const y = await unchanged([x, w], () => o.linear(r, x, w, bias));
        const want = build([...lead, outF], (idx) => {
          let s = bias === undefined ? 0 : at(bias, [idx.at(-1) ?? 0]);
          for (let k = 0; k < inF; k++) s += at(x, [...idx.slice(0, -1), k]) * at(w, [idx.at(-1) ?? 0, k]);
          return s;
        });
        expectClose(y, want, 1e-5, 1e-5);
      }),
      { numRuns: 30 },
    );
  });
  it('reports feature and bias mismatches', async () => {
    expect(await errorOf(() => o.linear(r, randn([2, 3], 0), randn([4, 5], 0)))).toBe('linear: input features must match weight [out, in], got input [2,3] and weight [4,5]');
    expect(await errorOf(() => o.linear(r, randn([2, 3], 0), randn([4, 3], 0), randn([3], 0)))).toBe('linear: bias must be [4] for weight [4,3], got [3]');
    expect(await errorOf(() => o.linear(r, randn([2, 3], 0), randn([3], 0)))).toBe('linear: weight must be rank 2, got [3]');
  });
});
