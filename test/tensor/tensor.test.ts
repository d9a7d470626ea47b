import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanopyError } from '../../src/errors.ts';
import {
  allClose, arange, broadcastShapes, deriveSeed, formatSummary, fromArray, fromTypedArray, full, isTensor, makeTensor,
  normalizeAxis, ones, randn, scalar, summary, tensorEquals, toNested, uniform, zeros,
} from '../../src/tensor/index.ts';
import { bfloat16BitsToNumber, float16BitsToNumber, numberToBfloat16Bits, numberToFloat16Bits } from '../../src/tensor/convert.ts';
import { normalizeAxes, stridesOf } from '../../src/tensor/shape.ts';

const msg = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
};

describe('Tensor value', () => {
  it('is frozen, with a frozen shape', () => {
    const t = fromArray([[1, 2], [3, 4]]);
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(isTensor(t)).toBe(true);
    expect(isTensor({ shape: [] })).toBe(false);
  });
  it('rejects bad shapes and mismatched data', () => {
    expect(msg(() => makeTensor(new Float32Array(3), [2, 2]))).toBe(
      'tensor: data length must equal the product of shape [2,2] = 4, got 3',
    );
    expect(msg(() => zeros([2, -1]))).toBe('zeros: dimensions must be non-negative integers, got [2,-1]');
    expect(msg(() => fromArray([[1, 2], [3]]))).toBe(
      'fromArray: nested arrays must be rectangular of shape [2,2], got length 1 at depth 1',
    );
  });
  it('round-trips nested arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const f32 = rows.map((r) => r.map((v) => Math.fround(v)));
        expect(toNested(fromArray(f32))).toEqual(f32);
      }),
    );
    expect(toNested(scalar(3))).toBe(3);
    expect(fromArray([]).shape).toEqual([0]);
  });
  it('creates constants and ranges', () => {
    expect([...full([2], 3).data]).toEqual([3, 3]);
    expect([...ones([3], 'int32').data]).toEqual([1, 1, 1]);
    expect([...arange(5).data]).toEqual([0, 1, 2, 3, 4]);
    expect([...arange(5, 0, -2).data]).toEqual([5, 3, 1]);
    expect(arange(0, 3, 1, 'int32').dtype).toBe('int32');
    expect(msg(() => arange(0, 1, 0))).toBe('arange: start, end and a non-zero step must be finite, got start 0, end 1, step 0');
  });
  it('converts load dtypes to float32', () => {
    expect(fromTypedArray(new Float64Array([1.5, 2]), [2]).dtype).toBe('float32');
    const h = fromTypedArray(new Uint16Array([0x3c00, 0xc000, 0x7c00, 0x0001]), [4], 'float16');
    expect([...h.data]).toEqual([1, -2, Infinity, 2 ** -24]);
    expect(bfloat16BitsToNumber(0x3f80)).toBe(1);
    expect(Number.isNaN(float16BitsToNumber(0x7e00))).toBe(true);
    // every finite float16 survives decode/encode
    for (let b = 0; b < 0x7c00; b += 37) expect(numberToFloat16Bits(float16BitsToNumber(b))).toBe(b);
    expect(numberToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(numberToBfloat16Bits(bfloat16BitsToNumber(0x4049))).toBe(0x4049);
    expect(msg(() => fromTypedArray(new Float32Array(1), [1], 'float16'))).toBe(
      'fromTypedArray: float16 data must be a Uint16Array of bit patterns, got Float32Array',
    );
  });
  it('copies typed arrays on load', () => {
    const src = new Float32Array([1, 2]);
    const t = fromTypedArray(src, [2]);
    src[0] = 9;
    expect(t.data[0]).toBe(1);
  });
});

describe('random', () => {
  it('is deterministic and pinned across machines', () => {
    expect(tensorEquals(randn([5, 3], 1), randn([5, 3], 1))).toBe(true);
    expect(tensorEquals(randn([5], 1), randn([5], 2))).toBe(false);
    // pinned values: these must never change (they fix the stream for every user's seeds)
    expect([...uniform([3], 0).data].map((v) => v.toFixed(6))).toMatchSnapshot();
    expect([...randn([3], 0).data].map((v) => v.toFixed(6))).toMatchSnapshot();
    expect(deriveSeed(1, 2)).toMatchSnapshot();
  });
  it('is prefix-stable (counter-based)', () => {
    const a = randn([10], 5);
    const b = randn([4], 5);
    expect([...a.data.slice(0, 4)]).toEqual([...b.data]);
  });
  it('has roughly the right moments', () => {
    const s = summary(randn([20000], 11));
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.std - 1)).toBeLessThan(0.03);
    const u = summary(uniform([20000], 3, -2, 2));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(2);
    expect(Math.abs(u.mean)).toBeLessThan(0.05);
  });
});

describe('shapes', () => {
  it('broadcasts and names both shapes on failure', () => {
    expect(broadcastShapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes([], [3])).toEqual([3]);
    expect(msg(() => broadcastShapes([2, 3], [4], 'add'))).toBe('add: shapes must broadcast, got [2,3] and [4]');
  });
  it('normalizes axes', () => {
    expect(normalizeAxis(-1, 3)).toBe(2);
    expect(normalizeAxes([-1, 0], 3)).toEqual([0, 2]);
    expect(msg(() => normalizeAxis(3, 3, 'softmax'))).toBe('softmax: axis must be in [-3, 2], got axis 3 for rank 3');
    expect(msg(() => normalizeAxes([0, -2], 2, 'sum'))).toBe('sum: axes must be distinct, got [0,-2] for rank 2');
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });
});

describe('summary and comparison', () => {
  it('summarises with NaN counted', () => {
    expect(formatSummary(fromArray([1, 3]))).toBe('[2] float32 min=1 max=3 mean=2 std=1 nan=0');
    const s = summary(fromArray([NaN, 2]));
    expect(s.nanCount).toBe(1);
    expect(s.mean).toBe(2);
  });
  it('compares with tolerances', () => {
    expect(allClose(fromArray([1, Infinity]), fromArray([1 + 1e-7, Infinity]))).toBe(true);
    expect(allClose(fromArray([Infinity]), fromArray([-Infinity]))).toBe(false);
    expect(allClose(fromArray([NaN]), fromArray([NaN]))).toBe(false);
    expect(allClose(fromArray([NaN]), fromArray([NaN]), { equalNan: true })).toBe(true);
    expect(allClose(fromArray([1, 2]), fromArray([1, 2, 3]))).toBe(false);
    expect(tensorEquals(fromArray([1]), fromArray([1], 'int32'))).toBe(false);
  });
});
