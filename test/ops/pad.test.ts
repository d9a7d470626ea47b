import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { arange, fromArray, toNested } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

describe('pad', () => {
  it('matches a naive index map in every mode', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyTensor(1, 3, 4),
        fc.array(fc.nat({ max: 3 }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom('constant', 'reflect', 'replicate' as const),
        async (x, amounts, mode) => {
          const k = x.shape.length;
          let pads = amounts.slice(0, 2 * k);
          if (mode === 'reflect') pads = pads.map((p, i) => Math.min(p, (x.shape[k - 1 - Math.floor(i / 2)] ?? 1) - 1));
          const y = await unchanged([x], () => o.pad(r, x, pads, { mode, value: -Infinity }));
          const before = (a: number) => pads[2 * (k - 1 - a)] ?? 0;
          const want = build(y.shape, (idx) => {
            const src = idx.map((i, a) => {
              const n = x.shape[a] ?? 0;
              const j = i - before(a);
              if (j >= 0 && j < n) return j;
              if (mode === 'constant') return null;
              if (mode === 'replicate') return j < 0 ? 0 : n - 1;
              return j < 0 ? -j : 2 * n - 2 - j;
            });
            return src.some((s) => s === null) ? -Infinity : at(x, src as number[]);
          });
          expectClose(y, want, 0, 0);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('follows F.pad order (last axis first)', async () => {
    const x = fromArray([[1, 2]]);
    expect(toNested(await o.pad(r, x, [1, 0, 0, 1]))).toEqual([[0, 1, 2], [0, 0, 0]]);
    expect(toNested(await o.pad(r, arange(3), [1, 1], { mode: 'replicate' }))).toEqual([0, 0, 1, 2, 2]);
  });
  it('reports bad padding', async () => {
    expect(await errorOf(() => o.pad(r, arange(3), [3, 0], { mode: 'reflect' }))).toBe('pad: reflect padding must be smaller than the axis, got [3,0] for axis 0 of [3]');
    expect(await errorOf(() => o.pad(r, arange(3), [1]))).toBe('pad: pads must hold an even count of at most 2 amounts for [3], got [1]');
    expect(await errorOf(() => o.pad(r, arange(3), [-1, 0]))).toBe('pad: pad amounts must be non-negative integers, got [-1,0]');
  });
});
