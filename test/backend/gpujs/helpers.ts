// Shared helpers of the gpu.js backend tests: arbitraries and a magnitude-scaled comparison.
import fc from 'fast-check';
import { expect } from 'vitest';
import { randn } from '../../../src/tensor/random.ts';
import type { Tensor } from '../../../src/tensor/Tensor.ts';

/** A shape of rank 1..maxRank with dims 1..maxDim (1 and odd sizes included). */
export const shapeArb = (maxRank = 4, maxDim = 5): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 1, maxLength: maxRank });

/** A random float32 tensor of `shape` from a seed (shrinks through the seed and the shape). */
export const tensorOf = (shape: readonly number[], seed: number, scale = 1): Tensor => randn(shape, seed, 0, scale);

/** Seeds for tensors. */
export const seedArb = fc.integer({ min: 0, max: 1_000_000 });

/** `shape` with some dims set to 1 and some leading dims dropped: a shape that broadcasts to it. */
export const broadcastableTo = (shape: readonly number[]): fc.Arbitrary<number[]> =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }), fc.integer({ min: 0, max: shape.length }))
    .map(([ones, drop]) => shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop));

/**
 * Expects equal shapes and dtypes, and values within `tol * (1 + scale)` where `scale` is the
 * element's magnitude (`perElement`) or the largest magnitude of `want` (sums and products, whose
 * float32 rounding grows with the terms). NaN must meet NaN and infinities must match exactly.
 */
export function expectClose(got: Tensor, want: Tensor, tol: number, perElement = false): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  let scale = 0;
  for (let i = 0; i < want.size; i++) {
    const w = Math.abs(want.data[i]!);
    if (Number.isFinite(w)) scale = Math.max(scale, w);
  }
  for (let i = 0; i < want.size; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w)) expect.fail(`element ${i}: got ${g}, want ${w}`);
      continue;
    }
    const bound = tol * (1 + (perElement ? Math.abs(w) : scale));
    if (!(Math.abs(g - w) <= bound)) expect.fail(`element ${i}: got ${g}, want ${w} (tolerance ${bound})`);
  }
}
