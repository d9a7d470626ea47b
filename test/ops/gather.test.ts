import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, fromTypedArray, randn, tensorEquals, toNested } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, r, unchanged } from './helpers.ts';

describe('gather, indexSelect, embedding', () => {
  it('gather equals the index formula on any axis', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3), fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), async (x, ax, raw) => {
        const axis = ax % x.shape.length;
        const n = x.shape[axis] ?? 1;
        const idx = fromTypedArray(Int32Array.from(raw.map((v) => v % n)), [raw.length]);
        const y = await unchanged([x, idx], () => o.gather(r, x, idx, axis));
        const want = build(y.shape, (i) => at(x, i.map((v, k) => (k === axis ? (idx.data[v] ?? 0) : v))));
        expect(tensorEquals(y, want)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
  it('embedding looks up rows for ids of any shape', async () => {
    const w = randn([5, 3], 1);
    const ids = fromArray([[4, 0], [2, 2]], 'int32');
    const y = await o.embedding(r, ids, w);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(toNested(y)).toEqual([[toNested(await o.slice(r, w, [{ start: 4, end: 5 }])), toNested(await o.slice(r, w, [{ end: 1 }]))].map((a) => (a as number[][])[0]), [2, 2].map(() => (toNested(w) as number[][])[2])]);
    expect(toNested(await o.indexSelect(r, fromArray([[1, 2], [3, 4]]), -1, fromArray([1, 1], 'int32')))).toEqual([[2, 2], [4, 4]]);
  });
  it('reports bad indices', async () => {
    const w = randn([5, 3], 1);
    expect(await errorOf(() => o.embedding(r, fromArray([5], 'int32'), w))).toBe('embedding: indices must be in [0, 5) for axis 0 of [5,3], got 5');
    expect(await errorOf(() => o.gather(r, w, fromArray([-1], 'int32')))).toBe('gather: indices must be in [0, 5) for axis 0 of [5,3], got -1');
    expect(await errorOf(() => o.gather(r, w, fromArray([1])))).toBe('gather: indices must be int32, got float32');
    expect(await errorOf(() => o.embedding(r, fromArray([1], 'int32'), randn([5], 0)))).toBe('embedding: weight must be rank 2, got [5]');
  });
});

describe('withBackend', () => {
  it('binds every op to the backend', async () => {
    const b = o.withBackend(r);
    expect(toNested(await b.softmax(fromArray([0, 0]), -1))).toEqual([0.5, 0.5]);
    expect(toNested(await b.var(fromArray([1, 3])))).toBe(2);
    expect(toNested(await b.relu(fromArray([-1, 1])))).toEqual([0, 1]);
    expect(Object.isFrozen(b)).toBe(true);
  });
});
