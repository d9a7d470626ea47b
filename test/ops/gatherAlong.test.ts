import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, fromTypedArray, randn, tensorEquals, toNested, type Tensor } from '../../src/tensor/index.ts';
import { anyTensor, at, build, errorOf, r, unchanged } from './helpers.ts';

/** An int32 index for `torch.gather(x, axis, index)`: any size on `axis`, at most x's elsewhere. */
const indexFor = (x: Tensor, axis: number): fc.Arbitrary<Tensor> => {
  const n = x.shape[axis] ?? 1;
  const dims = x.shape.map((d, k) => fc.integer({ min: k === axis ? 0 : 1, max: k === axis ? 5 : d }));
  return fc.tuple(...dims).chain((shape) => {
    const size = shape.reduce((p, d) => p * d, 1);
    return fc
      .array(fc.integer({ min: 0, max: n - 1 }), { minLength: size, maxLength: size })
      .map((v) => fromTypedArray(Int32Array.from(v), shape));
  });
};

describe('gatherAlong (torch.gather)', () => {
  it('out[..., i_axis, ...] = x[..., index[...], ...] on any axis', async () => {
    const arb = anyTensor(1, 3).chain((x) =>
      fc.nat({ max: x.shape.length - 1 }).chain((axis) => indexFor(x, axis).map((index) => ({ x, axis, index }))),
    );
    await fc.assert(
      fc.asyncProperty(arb, fc.boolean(), async ({ x, axis, index }, negativeAxis) => {
        const ax = negativeAxis ? axis - x.shape.length : axis;
        const y = await unchanged([x, index], () => o.gatherAlong(r, x, ax, index));
        const want = build(index.shape, (i) => at(x, i.map((v, k) => (k === axis ? at(index, i) : v))));
        expect(y.shape).toEqual(index.shape);
        expect(tensorEquals(y, want)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
  it('matches the PyTorch docs example and keeps int32 data', async () => {
    const x = fromArray([[1, 2], [3, 4]]);
    expect(toNested(await o.gatherAlong(r, x, 1, fromArray([[0, 0], [1, 0]], 'int32')))).toEqual([[1, 1], [4, 3]]);
    expect(toNested(await o.gatherAlong(r, x, 0, fromArray([[1, 0]], 'int32')))).toEqual([[3, 2]]);
    const xi = fromArray([[10, 20, 30]], 'int32');
    const yi = await o.gatherAlong(r, xi, -1, fromArray([[2, 2, 0, 1]], 'int32'));
    expect(yi.dtype).toBe('int32');
    expect(toNested(yi)).toEqual([[30, 30, 10, 20]]);
    expect(o.withBackend(r).gatherAlong).toBeTypeOf('function');
  });
  it('gives an empty output for an empty index', async () => {
    const y = await o.gatherAlong(r, randn([2, 3], 0), 1, fromTypedArray(new Int32Array(0), [2, 0]));
    expect(y.shape).toEqual([2, 0]);
  });
  it('reports bad input with the op, the index and the sizes', async () => {
    const x = randn([4, 3], 0);
    expect(await errorOf(() => o.gatherAlong(r, x, 0, fromArray([[4, 0, 1]], 'int32')))).toBe('gatherAlong: index must be in [0, 4) for axis 0 of [4,3], got 4');
    expect(await errorOf(() => o.gatherAlong(r, x, 1, fromArray([[0, -1]], 'int32')))).toBe('gatherAlong: index must be in [0, 3) for axis 1 of [4,3], got -1');
    expect(await errorOf(() => o.gatherAlong(r, x, 1, fromArray([[0, 1]])))).toBe('gatherAlong: index must be int32, got float32');
    expect(await errorOf(() => o.gatherAlong(r, x, 1, fromArray([0, 1], 'int32')))).toBe("gatherAlong: index must have the input's rank 2, got index [2] for input [4,3]");
    expect(await errorOf(() => o.gatherAlong(r, x, 1, fromArray([[0], [0], [0], [0], [0]], 'int32')))).toBe("gatherAlong: index dims must not exceed the input's except on axis 1, got index [5,1] for input [4,3]");
    expect(await errorOf(() => o.gatherAlong(r, x, 2, fromArray([[0]], 'int32')))).toBe('gatherAlong: axis must be in [-2, 1], got axis 2 for rank 2');
  });
});
