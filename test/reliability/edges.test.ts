// Issue 11, items 10-11 (the rest): 0-d reductions as PyTorch, 3-D interpolate, sizes past the
// limit, unknown option keys on the remaining ops and layers, misplaced options, attention shapes.
import { describe, expect, it } from 'vitest';
import { Attention, Concatenate, Conv2d, Identity, Lambda, LayerNorm, Linear, MaxPool2d, fromArray, referenceBackend as b, runSync, toNested, zeros, MAX_TENSOR_SIZE } from '../../src/index.ts';
import { argmax, interpolate, logSoftmax, pad, scaledDotProductAttention, max, mean, min, softmax, sum, variance } from '../../src/ops/index.ts';
import { CanopyError } from '../../src/errors.ts';
import { decodeTfjsWeights, parseTfjsManifest } from '../../src/io/tfjsManifest.ts';
import { leftOf, rightOf } from '../io/helpers.ts';
import { createRuntime } from '../../src/backend/gpujs/runtime.ts';

const rejection = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CanopyError);
  return (e as CanopyError).message;
};

describe('a 0-d tensor reduced over dim 0 or -1, as PyTorch', () => {
  const s = fromArray(3);
  it('sum, max, min, mean keep the value; softmax is 1, logSoftmax 0, argmax 0', async () => {
    for (const d of [0, -1]) {
      for (const f of [sum, max, min, mean]) expect(toNested(await f(b, s, d))).toBe(3);
      expect(toNested(await sum(b, s, [d], { keepdims: true }))).toBe(3);
      expect(toNested(await softmax(b, s, d))).toBe(1);
      expect(toNested(await logSoftmax(b, s, d))).toBe(0);
      expect(toNested(await argmax(b, s, d))).toBe(0);
      expect(toNested(await argmax(b, s, d, { keepdims: true }))).toBe(0);
    }
    expect(toNested(await softmax(b, s))).toBe(1);
    expect(Number.isNaN(toNested(await variance(b, s, 0)))).toBe(true); // n - 1 = 0, as torch.var
  });
  it('other dims are still refused', async () => {
    expect(await rejection(sum(b, s, 1))).toBe('sum: the axis of a 0-d tensor must be 0 or -1, got [1]');
    expect(await rejection(softmax(b, s, -2))).toBe('softmax: the axis of a 0-d tensor must be 0 or -1, got [-2]');
    expect(await rejection(argmax(b, s, 1))).toBe('argmax: the axis of a 0-d tensor must be 0 or -1, got [1]');
    expect(await rejection(sum(b, s, [0, -1]))).toBe('sum: the axis of a 0-d tensor must be 0 or -1, got [0,-1]');
    expect(await rejection(mean(b, s, 0.5))).toMatch(/^mean: the axis of a 0-d tensor must be 0 or -1, got \[0.5\]$/);
  });
});

describe('interpolate', () => {
  it('refuses a 3-D input, which PyTorch reads as [N, C, L], naming the layouts', async () => {
    const x3 = fromArray([[[1, 2], [3, 4]]]);
    expect(await rejection(interpolate(b, x3, { size: 4 }))).toBe('interpolate: input must be [N, C, H, W] (PyTorch reads a 3-D input as [N, C, L]; unsqueeze a [C, H, W] image to [1, C, H, W]), got [1,2,2]');
    expect(toNested(await interpolate(b, fromArray([[[[1, 2], [3, 4]]]]), { size: [1, 2] }))).toEqual([[[[1, 2]]]]);
  });
  it('refuses unknown option keys', async () => {
    expect(await rejection(interpolate(b, fromArray([[[[1]]]]), { size: 2, align_corners: true } as never))).toBe('interpolate: options must be among {size, scaleFactor, mode, alignCorners, halfPixelCenters, padding}, got an unknown option "align_corners"');
  });
});

describe('tfjs int32 weights', () => {
  const manifest = (scale: number, min: number) => rightOf(parseTfjsManifest(JSON.stringify([{
    paths: ['a'], weights: [{ name: 'w', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale, min } }],
  }])));
  it('dequantised out of int32 range is a Left, not a wrap', () => {
    const err = leftOf(decodeTfjsWeights(manifest(1e8, 0), new Map([['a', new Uint8Array([1, 255])]])));
    expect(err.code).toBe('io');
    expect(err.message).toBe('tfjs manifest: weight "w" of dtype int32 must dequantise into [-2147483648, 2147483647], got 25500000000 at index 1');
    expect(leftOf(decodeTfjsWeights(manifest(1, -3e9), new Map([['a', new Uint8Array([0, 0])]]))).message).toMatch(/got -3000000000 at index 0$/);
  });
  it('values at the ends of the range are kept', () => {
    const w = rightOf(decodeTfjsWeights(manifest(2 ** 32 - 1, -(2 ** 31)), new Map([['a', new Uint8Array([0, 1])]])));
    expect([...w.get('w')!.data]).toEqual([-2147483648, 2147483647]);
  });
});

describe('sizes past MAX_TENSOR_SIZE', () => {
  it('pad by 1e9 is refused before any kernel, naming pad and the shape', async () => {
    expect(await rejection(pad(b, zeros([1, 2]), [1e9, 1e9, 1e9, 1e9]))).toBe(`pad: a tensor must hold at most ${MAX_TENSOR_SIZE} elements, got [2000000001,2000000002] = 4000000006000000000 elements`);
    expect(await rejection(pad(b, zeros([3]), [2 ** 30, 2 ** 30]))).toMatch(/^pad: a tensor must hold at most \d+ elements, got \[2147483651\]/);
    expect(await rejection(pad(b, zeros([3]), [1, 1], { fill: 2 } as never))).toBe('pad: options must be among {mode, value}, got an unknown option "fill"');
  });
});

describe('gpu.js WebAssembly kernels past 4 GiB', () => {
  it('are refused before compiling, naming the kernel and the bytes', () => {
    const rt = createRuntime('webasm');
    try {
      const src = () => 'function(a) { return a[0]; }';
      const one = new Float32Array([7]);
      expect(() => rt.kernel('huge', src, () => ({ output: [12e8] }))(one)).toThrow(new CanopyError('shape', "gpujs: a WebAssembly kernel's arguments and output must fit in 4293918720 bytes, got 4800000004 bytes for huge with output [1200000000]"));
      expect(() => rt.kernel('huge4', src, () => ({ output: [3e8], returnType: 'Array(4)' }))(one)).toThrow(/got 4800000004 bytes for huge4/);
      expect([...(rt.kernel('small', src, () => ({ output: [2] }))(one) as Float32Array)]).toEqual([7, 7]);
    } finally {
      rt.destroy();
    }
  });
});

describe('misplaced layer options', () => {
  it('Concatenate(layer, { dim }) shows the usage', () => {
    expect(() => Concatenate(Identity(), { dim: 1 } as never)).toThrow(new CanopyError('argument', 'Concatenate: options must come first, as Concatenate({ dim: 1 }, a, b), got {"dim":1} as argument 2'));
    expect(() => Concatenate({ dim: 0 }, Identity(), { dim: 1 } as never)).toThrow(/got \{"dim":1\} as argument 3$/);
    expect(runSync(Concatenate({ dim: 0 }, Lambda(() => [1]), Lambda(() => [2])), []).output).toEqual([1, 2]);
  });
});

describe('attention', () => {
  it('a batch mismatch names query, key and value', async () => {
    const q = zeros([2, 4, 8]);
    const k = zeros([3, 4, 8]);
    expect(await rejection(scaledDotProductAttention(b, q, k, k))).toBe('scaledDotProductAttention: query, key and value batch dims must broadcast, got query [2,4,8], key [3,4,8] and value [3,4,8]');
    expect(await rejection(scaledDotProductAttention(b, q, k, k, { numHeads: 2 }))).toMatch(/^scaledDotProductAttention: query, key and value batch dims must broadcast, got query \[2,4,8\]/);
    expect(await rejection(scaledDotProductAttention(b, q, q, zeros([3, 4, 8])))).toMatch(/batch dims must broadcast, got query \[2,4,8\], key \[2,4,8\] and value \[3,4,8\]$/);
    expect((await scaledDotProductAttention(b, zeros([2, 1, 4, 8]), zeros([2, 3, 4, 8]), zeros([1, 3, 4, 8]))).shape).toEqual([2, 3, 4, 8]);
    expect(await rejection(scaledDotProductAttention(b, q, q, q, { causal: true } as never))).toBe('scaledDotProductAttention: options must be among {numHeads, mask, isCausal, scale}, got an unknown option "causal"');
  });
});

describe('unknown option keys of the remaining ops', () => {
  const x = fromArray([[1, 2], [3, 4]]);
  it('reductions and argmax', async () => {
    expect(await rejection(sum(b, x, 0, { keepdim: true } as never))).toBe('sum: options must be among {keepdims}, got an unknown option "keepdim"');
    expect(await rejection(max(b, x, 0, true as never))).toBe('max: options must be an object, got boolean');
    expect(await rejection(mean(b, x, 0, { keepDims: true } as never))).toMatch(/^mean: .*unknown option "keepDims"$/);
    expect(await rejection(variance(b, x, 0, { correction: 0 } as never))).toBe('var: options must be among {keepdims, unbiased}, got an unknown option "correction"');
    expect(await rejection(argmax(b, x, 1, { keepdim: true } as never))).toMatch(/^argmax: .*unknown option "keepdim"$/);
    expect(toNested(await sum(b, x, 0, { keepdims: true }))).toEqual([[4, 6]]);
  });
});

describe('unknown option keys of layer constructors', () => {
  it('are refused, listing the keys the layer takes', () => {
    expect(() => Linear({ in_features: 2, outFeatures: 3 } as never)).toThrow(new CanopyError('argument', 'Linear: options must be among {inFeatures, outFeatures, bias, seed}, got an unknown option "in_features"'));
    expect(() => Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 3, bias: false } as never)).toThrow(/^Conv2d: options must be among \{.*useBias.*\}, got an unknown option "bias"$/);
    expect(() => MaxPool2d({ kernelSize: 2, dilation: 2 } as never)).toThrow(/^MaxPool2d: .*unknown option "dilation"$/);
    expect(() => LayerNorm({ normalizedShape: 4, epsilon: 1e-6 } as never)).toThrow(/^LayerNorm: .*unknown option "epsilon"$/);
    expect(() => Attention({ embeddingDim: 4, heads: 2 } as never)).toThrow(/^Attention: .*unknown option "heads"$/);
    expect(() => Linear(5 as never)).toThrow(new CanopyError('argument', 'Linear: options must be an object, got number'));
    expect(Linear({ inFeatures: 2, outFeatures: 3, bias: false, seed: 1 }).attrs).toEqual({ inFeatures: 2, outFeatures: 3, bias: false });
  });
});
