import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { broadcastShapes, fromArray, toNested } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

const binaries = [
  ['add', o.add, (a: number, b: number) => a + b],
  ['sub', o.sub, (a: number, b: number) => a - b],
  ['mul', o.mul, (a: number, b: number) => a * b],
  ['div', o.div, (a: number, b: number) => a / b],
  ['maximum', o.maximum, Math.max],
  ['minimum', o.minimum, Math.min],
] as const;

const unaries = [
  ['neg', o.neg, (v: number) => -v],
  ['exp', o.exp, Math.exp],
  ['abs', o.abs, Math.abs],
  ['sin', o.sin, Math.sin],
  ['cos', o.cos, Math.cos],
  ['tanh', o.tanh, Math.tanh],
  ['sigmoid', o.sigmoid, (v: number) => 1 / (1 + Math.exp(-v))],
  ['sqrt', o.sqrt, Math.sqrt],
  ['log', o.log, Math.log],
  ['rsqrt', o.rsqrt, (v: number) => 1 / Math.sqrt(v)],
] as const;

// Pairs of tensors whose shapes broadcast: drop or set to 1 some dims of a common shape.
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 })
  .chain((shape) =>
    fc.tuple(
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.integer({ min: 0, max: shape.length }),
    ).chain(([ones, drop]) => {
      const a = shape;
      const b = shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
      return fc.tuple(anyTensorOf(a), anyTensorOf(b));
    }),
  );
function anyTensorOf(shape: number[]) {
  return fc.array(fc.float({ min: -3, max: 3, noNaN: true }), { minLength: shape.reduce((x, y) => x * y, 1), maxLength: shape.reduce((x, y) => x * y, 1) })
    .map((v) => build(shape, (() => { let k = 0; return () => v[k++] ?? 0; })()));
}

describe('binary ops broadcast like NumPy', () => {
  for (const [name, f, spec] of binaries) {
    it(`${name} matches the naive broadcast`, async () => {
      await fc.assert(
        fc.asyncProperty(broadcastPair, async ([a, b]) => {
          const y = await unchanged([a, b], () => f(r, a, b));
          const shape = broadcastShapes(a.shape, b.shape);
          const idxOf = (t: typeof a, idx: number[]) => idx.slice(idx.length - t.shape.length).map((i, k) => (t.shape[k] === 1 ? 0 : i));
          expectClose(y, build(shape, (idx) => spec(at(a, idxOf(a, idx)), at(b, idxOf(b, idx)))), 1e-6, 1e-6);
          // commutative ops agree when swapped
          if (name === 'add' || name === 'mul') expectClose(await f(r, b, a), y, 0, 0);
        }),
        { numRuns: 40 },
      );
    });
  }
  it('names the op and both shapes on mismatch', async () => {
    expect(await errorOf(() => o.add(r, fromArray([[1, 2, 3]]), fromArray([1, 2])))).toBe('add: shapes must broadcast, got [1,3] and [2]');
    expect(await errorOf(() => o.where(r, fromArray([1, 0]), fromArray([1, 2, 3]), 0))).toBe('where: shapes must broadcast, got [2] and [3]');
  });
  it('accepts numbers and int32 tensors', async () => {
    expect(toNested(await o.mul(r, fromArray([1, 2], 'int32'), 0.5))).toEqual([0.5, 1]);
    expect(toNested(await o.pow(r, 2, fromArray([3])))).toEqual([8]);
    expect(toNested(await o.greater(r, fromArray([1, 5]), 3))).toEqual([0, 1]);
    expect(toNested(await o.equal(r, fromArray([3, 5]), 3))).toEqual([1, 0]);
  });
});

describe('unary ops', () => {
  for (const [name, f, spec] of unaries) {
    it(`${name} matches Math`, async () => {
      await fc.assert(
        fc.asyncProperty(anyTensor(0, 3), async (x) => {
          const y = await unchanged([x], () => f(r, x));
          expectClose(y, build(x.shape, (idx) => spec(at(x, idx))), 1e-6, 1e-6);
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('NaN and infinities propagate as PyTorch', () => {
  it('through arithmetic, max/min and clamp', async () => {
    const x = fromArray([NaN, Infinity, -Infinity, 1]);
    expect(toNested(await o.add(r, x, 1))).toEqual([NaN, Infinity, -Infinity, 2]);
    expect(toNested(await o.maximum(r, x, 0))).toEqual([NaN, Infinity, 0, 1]);
    expect(toNested(await o.clamp(r, x, -1, 1))).toEqual([NaN, 1, -1, 1]);
    expect(toNested(await o.div(r, fromArray([1, 0, -1]), 0))).toEqual([Infinity, NaN, -Infinity]);
    expect(toNested(await o.sigmoid(r, fromArray([-Infinity, Infinity, -1000])))).toEqual([0, 1, 0]);
  });
});

describe('where and clamp', () => {
  it('where selects per element', async () => {
    await fc.assert(
      fc.asyncProperty(broadcastPair, async ([a, b]) => {
        const cond = await o.greater(r, a, 0);
        const y = await o.where(r, cond, a, b);
        expectClose(y, await o.add(r, await o.mul(r, cond, a), await o.mul(r, await o.sub(r, 1, cond), b)), 1e-6, 1e-6);
      }),
      { numRuns: 30 },
    );
  });
  it('clamp needs a bound', async () => {
    expect(await errorOf(() => o.clamp(r, fromArray([1])))).toBe('clamp: at least one of min and max must be given, got neither');
    expect(toNested(await o.clamp(r, fromArray([-5, 5]), undefined, 2))).toEqual([-5, 2]);
  });
  it('rejects non-tensors', async () => {
    expect(await errorOf(() => o.add(r, [1, 2] as never, 1))).toBe('add: input must be a Tensor, got object');
  });
});
