// The comparison itself: it must catch what matters (shape, NaN, Inf sign, errors beyond the
// tolerance) and accept float32 rounding.
import { describe, expect, it } from 'vitest';
import { referenceBackend } from '../../src/backend/reference/index.ts';
import { fromArray } from '../../src/tensor/create.ts';
import { makeTensor } from '../../src/tensor/Tensor.ts';
import { check } from './check.ts';
import { compareTensor, tolerances } from './compare.ts';
import { loadFamily } from './fixtures.ts';

describe('compareTensor', () => {
  it('accepts float32 rounding and rejects errors beyond the tolerance', () => {
    const want = fromArray([1, -2, 10]);
    expect(compareTensor(fromArray([1 + 1e-6, -2, 10.0005]), want, [])).toBeUndefined();
    expect(compareTensor(fromArray([1.001, -2, 10]), want, [])?.reason).toBe(
      '1/3 elements differ; worst at [0] got 1.001000 want 1 (|err| 1.00e-3, 5.0× the tolerance; scale 10)',
    );
  });

  it('scales the absolute tolerance with the largest input', () => {
    const want = fromArray([0]);
    expect(compareTensor(fromArray([5e-3]), want, [fromArray([1000])])).toBeUndefined();
    expect(compareTensor(fromArray([5e-3]), want, [fromArray([1])])).toBeDefined();
  });

  it('requires NaN where PyTorch has NaN and equal infinities', () => {
    const want = fromArray([NaN, Infinity, -Infinity]);
    expect(compareTensor(fromArray([NaN, Infinity, -Infinity]), want, [])).toBeUndefined();
    expect(compareTensor(fromArray([0, Infinity, -Infinity]), want, [])?.reason).toMatch(/NaN\/Inf mismatch at \[0\] got 0 want NaN/);
    expect(compareTensor(fromArray([NaN, -Infinity, -Infinity]), want, [])).toBeDefined();
    expect(compareTensor(fromArray([NaN, Infinity, 1e38]), want, [])).toBeDefined();
    expect(compareTensor(fromArray([NaN]), fromArray([1]), [])).toBeDefined();
  });

  it('compares int32 exactly and checks shapes', () => {
    expect(tolerances.int32).toEqual({ atol: 0, rtol: 0 });
    expect(compareTensor(fromArray([1, 2], 'int32'), fromArray([1, 3], 'int32'), [])).toBeDefined();
    expect(compareTensor(makeTensor(new Float32Array(2), [2, 1]), makeTensor(new Float32Array(2), [2]), [])?.reason).toBe(
      'shape [2,1] vs expected [2]',
    );
  });

  it('notices a fixture output perturbed by 0.1%', async () => {
    const c = loadFamily('conv2d').find((k) => k.id === 'basic')!;
    expect(await check(referenceBackend, c)).toBeUndefined();
    const out = c.outputs[0]!;
    const data = Float32Array.from(out.data);
    data[7] = (data[7] ?? 0) * 1.001 + 1e-3;
    expect(await check(referenceBackend, { ...c, outputs: [makeTensor(data, out.shape)] })).toMatch(/^1\/100 elements differ; worst at \[0,0,1,2\]/);
  });
});
