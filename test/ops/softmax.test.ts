import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, toNested } from '../../src/tensor/index.ts';
import { anyTensor, errorOf, expectClose, r, unchanged } from './helpers.ts';

describe('softmax', () => {
  it('rows sum to 1, values in [0, 1], shift invariant', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3), fc.integer({ min: -1, max: 0 }), fc.float({ min: -50, max: 50, noNaN: true }), async (x, axis, c) => {
        const y = await unchanged([x], () => o.softmax(r, x, axis));
        const s = await o.sum(r, y, axis);
        for (const v of s.data) expect(Math.abs(v - 1)).toBeLessThan(1e-5);
        for (const v of y.data) expect(v >= 0 && v <= 1).toBe(true);
        expectClose(await o.softmax(r, await o.add(r, x, c), axis), y, 1e-4, 1e-5);
      }),
      { numRuns: 40 },
    );
  });
  it('logSoftmax = log(softmax)', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3), async (x) => {
        expectClose(await o.logSoftmax(r, x), await o.log(r, await o.softmax(r, x)), 1e-5, 1e-5);
      }),
      { numRuns: 30 },
    );
  });
  it('is stable for large inputs and follows PyTorch on infinities', async () => {
    expect(toNested(await o.softmax(r, fromArray([1000, 1000])))).toEqual([0.5, 0.5]);
    expect(toNested(await o.logSoftmax(r, fromArray([1000, 0])))).toEqual([0, -1000]);
    expect(toNested(await o.softmax(r, fromArray([0, -Infinity])))).toEqual([1, 0]);
    expect(toNested(await o.softmax(r, fromArray([-Infinity, -Infinity])))).toEqual([NaN, NaN]);
    expect(toNested(await o.softmax(r, fromArray([NaN, 1])))).toEqual([NaN, NaN]);
  });
  it('rejects bad axes (a 0-d tensor takes 0 and -1, as PyTorch)', async () => {
    expect(toNested(await o.softmax(r, fromArray(1)))).toBe(1);
    expect(await errorOf(() => o.softmax(r, fromArray(1), 1))).toBe('softmax: the axis of a 0-d tensor must be 0 or -1, got [1]');
    expect(await errorOf(() => o.softmax(r, fromArray([1, 2]), 1))).toBe('softmax: axis must be in [-1, 0], got axis 1 for rank 1');
  });
});
