// Shared helpers of the op tests: arbitraries of small tensors, naive index helpers, checks.
import fc from 'fast-check';
import { expect } from 'vitest';
import { referenceBackend } from '../../src/backend/reference/index.ts';
import { CanopyError } from '../../src/errors.ts';
import { fromTypedArray, makeTensor, sizeOf, type Tensor } from '../../src/tensor/index.ts';
import { stridesOf } from '../../src/tensor/shape.ts';

export const r = referenceBackend;

/** A shape of `rank` dims each in [1, max]. */
export const shapeArb = (rank: number, max = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max }), { minLength: rank, maxLength: rank });

/** A float32 tensor of `shape` with moderate values. */
export const tensorOf = (shape: readonly number[], lo = -4, hi = 4): fc.Arbitrary<Tensor> =>
  fc
    .array(fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
    .map((v) => fromTypedArray(Float32Array.from(v), shape));

/** A tensor of a random shape with rank in [minRank, maxRank]. */
export const anyTensor = (minRank = 0, maxRank = 3, maxDim = 4): fc.Arbitrary<Tensor> =>
  fc.integer({ min: minRank, max: maxRank }).chain((rk) => shapeArb(rk, maxDim)).chain((s) => tensorOf(s));

/** Element at multi-index `idx`. */
export const at = (t: Tensor, idx: readonly number[]): number => {
  const st = stridesOf(t.shape);
  return t.data[idx.reduce((o, i, k) => o + i * (st[k] ?? 0), 0)] ?? NaN;
};

/** Builds a float32 tensor of `shape` from a function of the multi-index. */
export const build = (shape: readonly number[], f: (idx: number[]) => number): Tensor => {
  const n = sizeOf(shape);
  const data = new Float32Array(n);
  const idx = shape.map(() => 0);
  for (let i = 0; i < n; i++) {
    let rem = i;
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k] = rem % (shape[k] ?? 1);
      rem = Math.floor(rem / (shape[k] ?? 1));
    }
    data[i] = f(idx);
  }
  return makeTensor(data, shape, 'float32');
};

/** Asserts shape equality and closeness scaled to magnitude. */
export const expectClose = (got: Tensor, want: Tensor, rtol = 1e-5, atol = 1e-5): void => {
  expect(got.shape).toEqual(want.shape);
  for (let i = 0; i < want.size; i++) {
    const g = got.data[i] ?? NaN;
    const w = want.data[i] ?? NaN;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      expect(g, `element ${i}`).toBe(w);
      continue;
    }
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      throw new Error(`element ${i}: got ${g}, want ${w} (shape [${want.shape.join(',')}])`);
    }
  }
};

/** Runs `f` and checks that none of `inputs` changed (data bytes and shape). */
export async function unchanged<T>(inputs: readonly Tensor[], f: () => Promise<T>): Promise<T> {
  const copies = inputs.map((t) => [Array.from(t.data), [...t.shape]] as const);
  const out = await f();
  inputs.forEach((t, i) => {
    expect(Array.from(t.data)).toEqual(copies[i]?.[0]);
    expect([...t.shape]).toEqual(copies[i]?.[1]);
  });
  return out;
}

/** The message of the CanopyError that `f` rejects with. */
export async function errorOf(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return (e as Error).message;
  }
  throw new Error('expected a CanopyError, nothing was thrown');
}
