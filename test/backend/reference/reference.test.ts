import { describe, expect, it } from 'vitest';
import { referenceBackend as r, erf } from '../../../src/backend/reference/index.ts';
import { arange, fromArray, toNested } from '../../../src/tensor/index.ts';

const m = (shape: number[]) => r.reshape(arange(shape.reduce((a, b) => a * b, 1)), shape);

describe('reference backend', () => {
  it('erf matches known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 14);
    expect(erf(2.9)).toBeCloseTo(0.9999589021219005, 12);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
    expect(erf(Infinity)).toBe(1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
  it('broadcasts binary ops and propagates NaN through max', () => {
    expect(toNested(r.binary('add', m([2, 1]), fromArray([10, 20, 30])))).toEqual([[10, 20, 30], [11, 21, 31]]);
    expect(toNested(r.binary('max', fromArray([NaN, 1]), fromArray([0, 2])))).toEqual([NaN, 2]);
    // prelu: a > 0 ? a : a * b, the slope broadcast (per channel here); NaN stays NaN, -0 stays -0.
    expect(toNested(r.binary('prelu', fromArray([[-2, 3], [-4, NaN]]), fromArray([[0.5], [0.25]])))).toEqual([[-1, 3], [-1, NaN]]);
    expect(Object.is(r.binary('prelu', fromArray([-0]), fromArray(0.1)).data[0], -0)).toBe(true);
    expect(toNested(r.where(fromArray([1, 0]), fromArray([1, 2]), fromArray(9)))).toEqual([1, 9]);
  });
  it('reduces with keepdims, NaN and argmax ties', () => {
    expect(toNested(r.reduce('sum', m([2, 3]), [1], true))).toEqual([[3], [12]]);
    expect(toNested(r.reduce('max', fromArray([[1, NaN], [3, 4]]), [1], false))).toEqual([NaN, 4]);
    expect(toNested(r.argmax(fromArray([[1, 5, 5], [NaN, 2, NaN]]), 1, false))).toEqual([1, 0]);
  });
  it('moves data', () => {
    expect(toNested(r.permute(m([2, 3]), [1, 0]))).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(toNested(r.expand(fromArray([[1], [2]]), [2, 2]))).toEqual([[1, 1], [2, 2]]);
    expect(toNested(r.slice(arange(5), [4], [-2], [3]))).toEqual([4, 2, 0]);
    expect(toNested(r.pad(arange(3), [[2, 2]], 'reflect', 0))).toEqual([2, 1, 0, 1, 2, 1, 0]);
    expect(toNested(r.pad(arange(3), [[2, 1]], 'replicate', 0))).toEqual([0, 0, 0, 1, 2, 2]);
    expect(toNested(r.pad(arange(2), [[1, 0]], 'constant', -Infinity))).toEqual([-Infinity, 0, 1]);
    expect(toNested(r.concat([m([1, 2]), m([1, 1])], 1))).toEqual([[0, 1, 0]]);
    expect(toNested(r.gather(m([3, 2]), fromArray([2, 0], 'int32'), 0))).toEqual([[4, 5], [0, 1]]);
  });
  it('contracts', () => {
    expect(toNested(r.matmul(m([1, 2, 2]), m([1, 2, 2])))).toEqual([[[2, 3], [6, 11]]]);
    const x = m([1, 1, 3, 3]);
    const w = fromArray([[[[1, 1], [1, 1]]]]);
    const p = { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 } as const;
    expect(toNested(r.conv2d(x, w, p))).toEqual([[[[8, 12], [20, 24]]]]);
    const t = r.convTranspose2d(fromArray([[[[1]]]]), w, { stride: [1, 1], dilation: [1, 1], padding: [0, 0], outputPadding: [0, 0], groups: 1 });
    expect(toNested(t)).toEqual([[[[1, 1], [1, 1]]]]);
    const pool = { kernel: [2, 2], stride: [2, 2], padding: [1, 1], outShape: [2, 2], countIncludePad: true } as const;
    expect(toNested(r.pool2d('avg', x, pool))).toEqual([[[[0, 0.75], [2.25, 6]]]]);
    expect(toNested(r.pool2d('avg', x, { ...pool, countIncludePad: false }))).toEqual([[[[0, 1.5], [4.5, 6]]]]);
    expect(toNested(r.pool2d('max', x, pool))).toEqual([[[[0, 2], [6, 8]]]]);
  });
  it('reports bad primitive input naming the primitive', () => {
    expect(() => r.matmul(m([1, 2, 3]), m([1, 2, 3]))).toThrow('reference.matmul: needs [B,M,K] x [B,K,N], got [1,2,3] and [1,2,3]');
    expect(() => r.gather(m([2]), fromArray([2], 'int32'), 0)).toThrow('reference.gather: index 2 out of range [0, 2) for axis 0 of [2]');
  });
});
