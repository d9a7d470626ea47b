import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { arange, fromArray, randn, sizeOf, toNested, type Tensor } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

/** Naive reduction: output index -> list of input values it reduces, via brute-force enumeration. */
function naive(x: Tensor, axes: number[], keep: boolean, f: (vs: number[]) => number): Tensor {
  const outShape = x.shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return build(outShape, (oi) => {
    const fixed = keep ? kept.map((k) => oi[k] ?? 0) : oi;
    const vs: number[] = [];
    const all = build(x.shape, () => 0);
    for (let i = 0; i < all.size; i++) {
      const idx: number[] = [];
      let rem = i;
      for (let k = x.shape.length - 1; k >= 0; k--) {
        idx[k] = rem % (x.shape[k] ?? 1);
        rem = Math.floor(rem / (x.shape[k] ?? 1));
      }
      if (kept.every((k, j) => idx[k] === fixed[j])) vs.push(at(x, idx));
    }
    return f(vs);
  });
}
const sumOf = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
const meanOf = (vs: number[]) => sumOf(vs) / vs.length;

const withAxes = anyTensor(1, 3).chain((x) =>
  fc.tuple(fc.constant(x), fc.subarray(x.shape.map((_, i) => i), { minLength: 1 }), fc.boolean()),
);

describe('reductions', () => {
  const cases = [
    ['sum', o.sum, sumOf],
    ['mean', o.mean, meanOf],
    ['max', o.max, (vs: number[]) => Math.max(...vs)],
    ['min', o.min, (vs: number[]) => Math.min(...vs)],
  ] as const;
  for (const [name, f, spec] of cases) {
    it(`${name} over random axes matches the naive reduction`, async () => {
      await fc.assert(
        fc.asyncProperty(withAxes, async ([x, axes, keep]) => {
          const y = await unchanged([x], () => f(r, x, axes, { keepdims: keep }));
          expectClose(y, naive(x, axes, keep, spec), 1e-5, 1e-5);
        }),
        { numRuns: 30 },
      );
    });
  }
  it('var (unbiased and biased) matches the two-pass formula', async () => {
    await fc.assert(
      fc.asyncProperty(withAxes, fc.boolean(), async ([x, axes, keep], unbiased) => {
        const y = await o.variance(r, x, axes, { keepdims: keep, unbiased });
        const spec = (vs: number[]) => {
          const m = meanOf(vs);
          return sumOf(vs.map((v) => (v - m) ** 2)) / (unbiased ? vs.length - 1 : vs.length);
        };
        expectClose(y, naive(x, axes, keep, spec), 1e-4, 1e-5);
      }),
      { numRuns: 30 },
    );
  });
  it('reduces all axes by default and accepts negative axes', async () => {
    const x = fromArray([[1, 2], [3, 4]]);
    expect(toNested(await o.sum(r, x))).toBe(10);
    expect(toNested(await o.mean(r, x, -1, { keepdims: true }))).toEqual([[1.5], [3.5]]);
    expect(toNested(await o.sum(r, fromArray([])))).toBe(0);
    expect(Number.isNaN(toNested(await o.mean(r, fromArray([]))))).toBe(true);
  });
  it('sums above 1000 elements along the reduced axis exactly enough', async () => {
    const x = arange(3001); // 0..3000
    expect(toNested(await o.sum(r, x))).toBe(4501500);
    const big = randn([3, 2500], 4);
    expectClose(await o.sum(r, big, 1), naive(big, [1], false, sumOf), 1e-5, 1e-4);
  });
  it('argmax: first maximum, NaN wins, flattened without axis', async () => {
    const x = fromArray([[1, 7, 7], [NaN, 9, 2]]);
    expect(toNested(await o.argmax(r, x, 1))).toEqual([1, 0]);
    expect(toNested(await o.argmax(r, x, 0, { keepdims: true }))).toEqual([[1, 1, 0]]);
    expect(toNested(await o.argmax(r, fromArray([[1, 5], [7, 4]])))).toBe(2);
    expect((await o.argmax(r, x)).dtype).toBe('int32');
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3), async (x2) => {
        const i = await o.argmax(r, x2, -1);
        const m = await o.max(r, x2, -1);
        const picked = await o.gather(r, await r.reshape(x2, [sizeOf(x2.shape.slice(0, -1)), x2.shape.at(-1) ?? 1]), await r.reshape(i, [i.size]), 1);
        for (let k = 0; k < i.size; k++) expect(picked.data[k * i.size + k]).toBe(m.data[k]);
      }),
      { numRuns: 20 },
    );
  });
  it('reports bad axes and empty max', async () => {
    expect(await errorOf(() => o.sum(r, fromArray([[1]]), 2))).toBe('sum: axis must be in [-2, 1], got axis 2 for rank 2');
    expect(await errorOf(() => o.max(r, fromArray([])))).toBe('max: reduced axes must be non-empty, got axes [0] of [0]');
    expect(await errorOf(() => o.argmax(r, fromArray([]), 0))).toBe('argmax: axis must be non-empty, got axis 0 of [0]');
  });
});
