import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { arange, tensorEquals, toNested, zeros } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, r, unchanged } from './helpers.ts';

describe('shape ops', () => {
  it('transpose twice is the identity; permute moves elements', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(2, 4), fc.nat(), fc.nat(), async (x, i, j) => {
        const [a, b] = [i % x.shape.length, j % x.shape.length];
        const t = await unchanged([x], () => o.transpose(r, x, a, b));
        expect(tensorEquals(await o.transpose(r, t, a, b), x)).toBe(true);
        const want = build(t.shape, (idx) => {
          const src = [...idx];
          [src[a], src[b]] = [idx[b] ?? 0, idx[a] ?? 0];
          return at(x, src);
        });
        expect(tensorEquals(t, want)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
  it('reshape with -1, flatten/unflatten and squeeze/unsqueeze round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 4), async (x) => {
        const flat = await o.flatten(r, x);
        expect(flat.shape).toEqual([x.size]);
        expect(tensorEquals(await o.reshape(r, flat, [...x.shape.slice(0, -1), -1]), x)).toBe(true);
        expect(tensorEquals(await o.unflatten(r, flat, 0, x.shape), x)).toBe(true);
        expect(tensorEquals(await o.squeeze(r, await o.unsqueeze(r, x, -1), -1), x)).toBe(true);
      }),
      { numRuns: 40 },
    );
    expect((await o.squeeze(r, zeros([1, 2, 1]))).shape).toEqual([2]);
    expect((await o.flatten(r, zeros([2, 3, 4]), 1, 2)).shape).toEqual([2, 12]);
    expect(toNested(await o.broadcastTo(r, arange(2), [2, 2]))).toEqual([[0, 1], [0, 1]]);
  });
  it('reports bad shapes', async () => {
    expect(await errorOf(() => o.reshape(r, zeros([2, 3]), [4, -1]))).toBe('reshape: cannot infer -1 in [4,-1] for input [2,3] of size 6');
    expect(await errorOf(() => o.reshape(r, zeros([2, 3]), [5]))).toBe('reshape: new shape must have 6 elements like input [2,3], got [5]');
    expect(await errorOf(() => o.reshape(r, zeros([2, 3]), [-1, -1]))).toBe('reshape: shape must be non-negative integers with at most one -1, got [-1,-1]');
    expect(await errorOf(() => o.squeeze(r, zeros([2, 3]), 0))).toBe('squeeze: axis 0 must have size 1, got [2,3]');
    expect(await errorOf(() => o.permute(r, zeros([2, 3]), [0, 0]))).toBe('permute: dims must be a permutation, got [0,0]');
    expect(await errorOf(() => o.permute(r, zeros([2, 3]), [0]))).toBe('permute: dims must list all 2 axes of [2,3], got [0]');
    expect(await errorOf(() => o.broadcastTo(r, zeros([2]), [3]))).toBe('broadcastTo: shapes must broadcast, got [2] and [3]');
  });
});
