import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { arange, fromArray, tensorEquals, toNested, zeros } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, r, unchanged } from './helpers.ts';

// `list(range(n))[start:end:step]` computed by CPython 3.
const python: [number, number | null, number | null, number | null, number[]][] = [
  [6, null, null, -1, [5, 4, 3, 2, 1, 0]],
  [6, -1, -7, -2, [5, 3, 1]],
  [6, 1, -1, null, [1, 2, 3, 4]],
  [6, 9, null, -3, [5, 2]],
  [6, -7, 3, 2, [0, 2]],
  [5, 3, 0, 1, []],
  [5, null, -8, -1, [4, 3, 2, 1, 0]],
  [1, -1, null, -1, [0]],
  [0, null, null, -1, []],
  [6, 2, 10, 3, [2, 5]],
  [6, 0, 0, -1, []],
  [5, -2, null, -2, [3, 1]],
];

/** Python slice semantics by filtering, a different formulation from `resolveSlice`. */
function pythonIndices(n: number, start: number | null, end: number | null, step: number): number[] {
  const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  if (step > 0) {
    const lo = start === null ? 0 : norm(start, 0, n);
    const hi = end === null ? n : norm(end, 0, n);
    return [...Array(n).keys()].filter((i) => i >= lo && i < hi && (i - lo) % step === 0);
  }
  const hi = start === null ? n - 1 : norm(start, -1, n - 1);
  const lo = end === null ? -1 : norm(end, -1, n - 1);
  return [...Array(n).keys()].reverse().filter((i) => i <= hi && i > lo && (hi - i) % -step === 0);
}

const bound = fc.option(fc.integer({ min: -9, max: 9 }), { nil: null });
const step = fc.option(fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0), { nil: null });

describe('slice', () => {
  it('matches CPython on a table', async () => {
    for (const [n, start, end, st, want] of python) {
      expect(toNested(await o.slice(r, arange(n), [{ start, end, step: st }])), JSON.stringify([n, start, end, st])).toEqual(want);
    }
  });
  it('matches the Python index list on random axes', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3, 6), fc.array(fc.tuple(bound, bound, step), { minLength: 3, maxLength: 3 }), async (x, specs) => {
        const sl = specs.slice(0, x.shape.length).map(([start, end, st]) => ({ start, end, step: st }));
        const y = await unchanged([x], () => o.slice(r, x, sl));
        const lists = x.shape.map((n, a) => pythonIndices(n, sl[a]?.start ?? null, sl[a]?.end ?? null, sl[a]?.step ?? 1));
        expect(y.shape).toEqual(lists.map((l) => l.length));
        const want = build(y.shape, (idx) => at(x, idx.map((i, a) => lists[a]?.[i] ?? -1)));
        expect(tensorEquals(y, want)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
  it('narrow picks a window', async () => {
    expect(toNested(await o.narrow(r, arange(5), 0, -2, 2))).toEqual([3, 4]);
    expect(await errorOf(() => o.narrow(r, arange(5), 0, 4, 2))).toBe('narrow: start 4 and length 2 must lie within axis 0 of [5]');
  });
  it('rejects a zero step and too many specs', async () => {
    expect(await errorOf(() => o.slice(r, arange(3), [{ step: 0 }]))).toBe('slice: step must be a non-zero integer, got 0');
    expect(await errorOf(() => o.slice(r, arange(3), [{}, {}]))).toBe('slice: got 2 slice specs for [3] of rank 1');
  });
});

describe('concat, stack, split, chunk', () => {
  it('concat(split(x)) = x on any axis', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3, 5), fc.integer({ min: 1, max: 3 }), fc.nat(), async (x, size, ax) => {
        const axis = ax % x.shape.length;
        const parts = await o.split(r, x, size, axis);
        expect(parts.length).toBe(Math.ceil((x.shape[axis] ?? 0) / size));
        expect(tensorEquals(await o.concat(r, parts, axis), x)).toBe(true);
        const chunks = await o.chunk(r, x, size, axis);
        expect(tensorEquals(await o.concat(r, chunks, axis), x)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
  it('split by sizes and stack', async () => {
    const [a, b] = await o.split(r, arange(5), [2, 3]);
    expect(toNested(a!)).toEqual([0, 1]);
    expect(toNested(b!)).toEqual([2, 3, 4]);
    expect(toNested(await o.stack(r, [fromArray([1, 2]), fromArray([3, 4])], 1))).toEqual([[1, 3], [2, 4]]);
    expect((await o.chunk(r, arange(5), 3)).map((t) => t.shape[0])).toEqual([2, 2, 1]);
  });
  it('reports mismatches', async () => {
    expect(await errorOf(() => o.concat(r, [zeros([2, 3]), zeros([2, 4])], 0))).toBe('concat: shapes must match except on axis 0, got [2,3] and [2,4]');
    expect(await errorOf(() => o.concat(r, []))).toBe('concat: needs at least one tensor, got 0');
    expect(await errorOf(() => o.split(r, arange(5), [2, 2]))).toBe('split: sizes must be non-negative integers summing to 5 (axis 0 of [5]), got [2,2]');
    expect(await errorOf(() => o.concat(r, [zeros([1]), zeros([1], 'int32')]))).toBe('concat: tensors must share a dtype, got float32 and int32');
  });
});
