import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { arange, fromArray, toNested } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

describe("pad mode 'circular'", () => {
  it('reads x at (i - before) mod n on every padded axis', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3, 4), fc.array(fc.nat({ max: 4 }), { minLength: 6, maxLength: 6 }), async (x, amounts) => {
        const k = x.shape.length;
        // amounts at most the axis size (pads[2i], pads[2i+1] belong to axis k-1-i)
        const pads = amounts.slice(0, 2 * k).map((p, i) => Math.min(p, x.shape[k - 1 - Math.floor(i / 2)] ?? 0));
        const y = await unchanged([x], () => o.pad(r, x, pads, { mode: 'circular' }));
        const before = (a: number) => pads[2 * (k - 1 - a)] ?? 0;
        const want = build(y.shape, (idx) =>
          at(x, idx.map((i, a) => {
            const n = x.shape[a] ?? 1;
            return (((i - before(a)) % n) + n) % n;
          })),
        );
        expectClose(y, want, 0, 0);
      }),
      { numRuns: 50 },
    );
  });
  it('wraps around, corners included, and allows a pad equal to the axis', async () => {
    expect(toNested(await o.pad(r, arange(3), [2, 1], { mode: 'circular' }))).toEqual([1, 2, 0, 1, 2, 0]);
    expect(toNested(await o.pad(r, arange(3), [3, 3], { mode: 'circular' }))).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(toNested(await o.pad(r, fromArray([[1, 2], [3, 4]]), [1, 0, 0, 1], { mode: 'circular' }))).toEqual([[2, 1, 2], [4, 3, 4], [2, 1, 2]]);
    const x = arange(4);
    expect(await o.pad(r, x, [0, 0], { mode: 'circular' })).toBe(x);
  });
  it('reports a pad larger than its axis', async () => {
    expect(await errorOf(() => o.pad(r, arange(3), [4, 0], { mode: 'circular' }))).toBe('pad: circular padding must be at most the axis size, got [4,0] for axis 0 of [3]');
    expect(await errorOf(() => o.pad(r, fromArray([[1, 2]]), [0, 0, 0, 2], { mode: 'circular' }))).toBe('pad: circular padding must be at most the axis size, got [0,2] for axis 0 of [1,2]');
    // @ts-expect-error: a mode outside PadOpMode
    expect(await errorOf(() => o.pad(r, arange(3), [1, 1], { mode: 'wrap' }))).toBe("pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got wrap");
  });
});
