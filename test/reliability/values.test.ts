// Issue 11, items 10-11 (the part fixed here): no silent wrap, no wrong dtype label, no ignored
// option, no NaN eps; huge shapes and bad arguments are CanopyErrors naming the function.
import { describe, expect, it } from 'vitest';
import { arange, fromArray, full, ones, referenceBackend as b, zeros, MAX_TENSOR_SIZE } from '../../src/index.ts';
import { avgPool2d, batchNorm, conv2d, groupNorm, layerNorm, maxPool2d } from '../../src/ops/index.ts';
import { CanopyError } from '../../src/errors.ts';
import { randn } from '../../src/tensor/random.ts';

function errorOf(f: () => unknown): CanopyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return e as CanopyError;
  }
  throw new Error('expected a CanopyError');
}
const rejection = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CanopyError);
  return (e as CanopyError).message;
};

describe('tensor creation', () => {
  it('int32 values that do not fit are refused, not wrapped', () => {
    expect(errorOf(() => fromArray([3e10], 'int32')).message).toBe('fromArray: int32 values must be in [-2147483648, 2147483647], got 30000000000');
    expect(errorOf(() => full([2], NaN, 'int32')).message).toBe('full: int32 values must be in [-2147483648, 2147483647], got NaN');
    expect(errorOf(() => arange(0, 4e9, 1e9, 'int32')).message).toBe('arange: int32 values must be in [-2147483648, 2147483647], got 3000000000');
    expect([...fromArray([2147483647, -2147483648], 'int32').data]).toEqual([2147483647, -2147483648]);
  });

  it('an unknown dtype is refused', () => {
    expect(errorOf(() => full([2], 1, 'float64' as never)).message).toBe("full: dtype must be 'float32' or 'int32', got 'float64'");
    expect(errorOf(() => fromArray([1], 'bool' as never)).message).toBe("fromArray: dtype must be 'float32' or 'int32', got 'bool'");
  });

  it('huge and negative shapes name the function called and the limit', () => {
    expect(errorOf(() => zeros([1e9, 1e9])).message).toBe(`zeros: a tensor must hold at most ${MAX_TENSOR_SIZE} elements, got [1000000000,1000000000] = 1000000000000000000 elements`);
    expect(errorOf(() => arange(1e12)).message).toBe(`arange: a tensor must hold at most ${MAX_TENSOR_SIZE} elements, got [1000000000000] = 1000000000000 elements`);
    expect(errorOf(() => zeros([-1])).message).toBe('zeros: dimensions must be non-negative integers, got [-1]');
    expect(errorOf(() => ones([2.5])).message).toBe('ones: dimensions must be non-negative integers, got [2.5]');
  });
});

describe('ops refuse what they would ignore or turn into NaN', () => {
  const x = randn([1, 2, 4, 4], 1);
  it('unknown option keys', async () => {
    expect(await rejection(maxPool2d(b, x, 2, { dilation: 2 } as never))).toBe('maxPool2d: options must be among {stride, padding, ceilMode}, got an unknown option "dilation"');
    expect(await rejection(avgPool2d(b, x, 2, { strides: 2 } as never))).toMatch(/^avgPool2d: options must be among \{.*\}, got an unknown option "strides"$/);
    expect(await rejection(conv2d(b, x, randn([2, 2, 1, 1], 2), { pad: 1 } as never))).toMatch(/^conv2d: options must be among \{.*\}, got an unknown option "pad"$/);
    expect(await rejection(layerNorm(b, x, [4], { epsilon: 1 } as never))).toMatch(/unknown option "epsilon"$/);
  });

  it('eps NaN, negative or infinite', async () => {
    expect(await rejection(groupNorm(b, x, 1, { eps: NaN }))).toBe('groupNorm: eps must be a finite number >= 0, got NaN');
    expect(await rejection(groupNorm(b, x, 1, { eps: -1 }))).toBe('groupNorm: eps must be a finite number >= 0, got -1');
    expect(await rejection(batchNorm(b, x, zeros([2]), ones([2]), { eps: Infinity }))).toBe('batchNorm: eps must be a finite number >= 0, got Infinity');
    expect((await groupNorm(b, x, 1, { eps: 0 })).shape).toEqual([1, 2, 4, 4]);
  });
});
