import { describe, expect, it } from 'vitest';
import {
  type AnyLayer, Chain, CanopyError, fromArray, layerEquals, printTree, provide, randn, referenceBackend, run, zeros, type Tensor,
} from '../../src/index.ts';
import { stateDict, trainableParams } from '../../src/io/stateDict.ts';
import * as L from '../../src/layers/index.ts';
import { UNet } from './blocks.ts';

const opts = { backend: referenceBackend };

async function errorOf(p: Promise<unknown>): Promise<CanopyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return e as CanopyError;
  }
  throw new Error('expected an error');
}

describe('bad inputs name both shapes and the layer path', () => {
  it('Linear', async () => {
    const m = Chain(L.Linear({ inFeatures: 4, outFeatures: 2 }), L.Linear({ inFeatures: 3, outFeatures: 1 }));
    const e = await errorOf(run(m, [zeros([5, 4])], opts));
    expect(e.code).toBe('shape');
    expect(e.message.split('\n')[0]).toBe('Linear: input must be [..., 3], got [5,2] (at Linear_2)');
    expect(e.path).toBe('Linear_2');
  });

  it.each([
    [L.Conv2d({ inChannels: 3, outChannels: 2, kernelSize: 3 }), [1, 4, 8, 8], 'Conv2d: input must be [N, 3, H, W], got [1,4,8,8]'],
    [L.GroupNorm({ channels: 4, numGroups: 2 }), [1, 3, 2, 2], 'GroupNorm: input must be [N, 4, ...], got [1,3,2,2]'],
    [L.LayerNorm({ normalizedShape: 8 }), [2, 7], 'LayerNorm: input must be [..., 8], got [2,7]'],
    [L.BatchNorm2d({ numFeatures: 2 }), [2, 2], 'BatchNorm2d: input must be [N, 2, H, W], got [2,2]'],
    [L.SelfAttention2d({ channels: 4 }), [1, 4, 3], 'SelfAttention2d: input must be [N, 4, H, W], got [1,4,3]'],
    [L.GLU(L.SiLU()), [2, 3], 'GLU: input must be [..., 2n] (an even last axis), got [2,3]'],
    [L.Embedding({ numEmbeddings: 3, embeddingDim: 2 }), [2], 'Embedding: indices must lie in [0, 3), got 0 in input [2]'],
  ] as const)('%#', async (layer, shape, msg) => {
    const x = layer.kind.name === 'Embedding' ? fromArray([0, 5], 'int32') : zeros(shape as unknown as number[]);
    const e = await errorOf(run(layer, [x], opts));
    expect(e.message.split(' (at ')[0]).toBe(layer.kind.name === 'Embedding' ? 'Embedding: indices must lie in [0, 3), got 5 in input [2]' : msg);
  });

  it('ScaledDotProductAttention lists the three shapes', async () => {
    const e = await errorOf(run(L.ScaledDotProductAttention({ numHeads: 2 }), [zeros([1, 3, 4]), zeros([1, 2, 5]), zeros([1, 2, 4])], opts));
    expect(e.message.split(' (at ')[0]).toBe(
      'ScaledDotProductAttention: query, key and value must be [B, Lq, D], [B, Lk, D], [B, Lk, Dv] with D and Dv divisible by numHeads 2, got [1,3,4], [1,2,5] and [1,2,4]',
    );
  });

  it('a non-tensor input and a wrong arity', async () => {
    expect((await errorOf(run(L.ReLU(), [[1, 2]] as never, opts))).message).toMatch(/^ReLU: input 0 must be a Tensor, got an array/);
    expect((await errorOf(run(L.ReLU(), [zeros([1]), zeros([1])] as never, opts))).message).toMatch(/^ReLU: expects 1 input, got 2/);
  });

  it('constructor arguments are checked', () => {
    expect(() => L.Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, groups: 2 })).toThrowError(
      'Conv2d: inChannels and outChannels must be divisible by groups 2, got 3 and 4',
    );
    expect(() => L.Conv2d({ inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, padding: 'same' })).toThrowError(
      "Conv2d: padding 'same' needs stride 1, got stride (2, 2)",
    );
    expect(() => L.GroupNorm({ channels: 6, numGroups: 4 })).toThrowError('GroupNorm: channels must be divisible by numGroups, got 6 and 4');
    expect(() => L.Slicing({ step: 0 })).toThrowError('Slicing: step must be a positive integer, got 0');
  });
});

describe('initialisation', () => {
  it('is identical across calls for a seed, different across seeds, and within PyTorch bounds', () => {
    const a = L.Linear({ inFeatures: 16, outFeatures: 8, seed: 3 });
    expect(layerEquals(a, L.Linear({ inFeatures: 16, outFeatures: 8, seed: 3 }))).toBe(true);
    expect(layerEquals(a, L.Linear({ inFeatures: 16, outFeatures: 8, seed: 4 }))).toBe(false);
    const w = a.params['weight']!;
    expect(w.data.every((v) => Math.abs(v) <= 0.25)).toBe(true);
    // spread like U(-1/4, 1/4): variance 1/(3·16)
    const n = L.Conv2d({ inChannels: 4, outChannels: 64, kernelSize: 3, seed: 1 }).params['weight']!;
    let s = 0;
    for (const v of n.data) s += v * v;
    expect(s / n.size).toBeCloseTo(1 / (3 * 36), 2);
    const e = L.Embedding({ numEmbeddings: 100, embeddingDim: 20 }).params['weight']!;
    let m2 = 0;
    for (const v of e.data) m2 += v * v;
    expect(m2 / e.size).toBeGreaterThan(0.85);
    expect(m2 / e.size).toBeLessThan(1.15);
    const bn = L.BatchNorm2d({ numFeatures: 2 }).params;
    expect([...bn['weight']!.data, ...bn['bias']!.data, ...bn['running_mean']!.data, ...bn['running_var']!.data]).toEqual([1, 1, 0, 0, 0, 0, 1, 1]);
  });

  it('composite layers derive a different seed per child', () => {
    const att = L.Attention({ embeddingDim: 4 });
    const sd = stateDict(att);
    expect(sd.get('Distribute.Linear_1.weight')!.data).not.toEqual(sd.get('Distribute.Linear_2.weight')!.data);
  });
});

describe('parameter counts and frozen parameters', () => {
  it('counts per layer and in total, buffers excluded', () => {
    const m = Chain(L.Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3 }), L.BatchNorm2d({ numFeatures: 8 }), L.Linear({ inFeatures: 8, outFeatures: 2 }));
    expect([...L.paramCountsByLayer(m)]).toEqual([['Conv2d', 224], ['BatchNorm2d', 16], ['Linear', 18]]);
    expect(L.countParams(m)).toEqual({ total: 258, trainable: 258, frozen: 0 });
  });

  it('frozen marks travel with the layers through edits; the rest stays trainable', () => {
    const base = Chain(L.Linear({ inFeatures: 2, outFeatures: 2 }), L.ReLU());
    const frozen = L.freezeParams(base);
    expect(L.isFrozen(frozen.children[0]!)).toBe(true);
    expect(frozen.children[1]).toBe(base.children[1]); // no params: unchanged
    expect(L.freezeParams(frozen)).toBe(frozen); // already frozen: same value
    const edited = Chain(L.Linear({ inFeatures: 2, outFeatures: 2, seed: 9 }), ...frozen.children);
    expect([...trainableParams(edited).keys()]).toEqual(['Linear_1.weight', 'Linear_1.bias']);
    expect(L.countParams(edited)).toEqual({ total: 12, trainable: 6, frozen: 6 });
    expect(printTree(frozen)).toContain('Linear(inFeatures=2, outFeatures=2, frozen=true)');
    expect(layerEquals(L.unfreezeParams(frozen), base)).toBe(true);
  });

  it('freezing keeps the weights and the input model untouched', () => {
    const base = L.Linear({ inFeatures: 2, outFeatures: 2 });
    const f = L.freezeParams(base);
    expect(f.params).toBe(base.params);
    expect(L.isFrozen(base)).toBe(false);
  });
});

describe('printing follows Refiners (non-default constructor arguments only)', () => {
  it('prints layers', () => {
    expect(printTree(Chain(L.Conv2d({ inChannels: 2, outChannels: 4, kernelSize: 3, padding: 1 }), L.GeLU({ approximation: 'tanh' }), L.Slicing({ dim: 1 })))).toBe(
      [
        '(CHAIN)',
        '    ├── Conv2d(inChannels=2, outChannels=4, kernelSize=(3, 3), padding=(1, 1))',
        '    ├── GeLU(approximation=tanh)',
        '    └── Slicing(dim=1)',
      ].join('\n'),
    );
    expect(printTree(L.Attention({ embeddingDim: 4, numHeads: 2 })).split('\n')[0]).toBe(
      '(CHAIN) Attention(embeddingDim=4, keyEmbeddingDim=4, valueEmbeddingDim=4, innerDim=4, numHeads=2)',
    );
  });
});

describe('Downsample and Upsample share the sampling context', () => {
  it('a U-Net restores odd sizes without passing shapes around', async () => {
    const { output } = await run(UNet(), [randn([1, 2, 7, 9], 0)], opts);
    expect((output as Tensor).shape).toEqual([1, 2, 7, 9]);
  });

  it('without a provider, the error names the namespace', async () => {
    // (it does not compile either: run's options must supply `sampling.shapes`)
    const e = await errorOf(run(L.Downsample({ channels: 2, scaleFactor: 2 }) as AnyLayer, [zeros([1, 2, 4, 4])], opts));
    expect(e.code).toBe('context');
    expect(e.message).toMatch(/namespace "sampling" must be provided by an enclosing layer or passed to run/);
  });

  it('contexts do not leak between runs', async () => {
    const m = provide(Chain(L.Downsample({ channels: 1, scaleFactor: 2 }), L.Upsample({ channels: 1 })), { sampling: { shapes: [] } });
    const x = randn([1, 1, 5, 5], 1);
    const a = await run(m, [x], opts);
    const b = await run(m, [x], opts);
    expect((a.output as Tensor).data).toEqual((b.output as Tensor).data);
  });
});

describe('layers never mutate their inputs or weights', () => {
  it('a forward pass leaves input and parameter data unchanged', async () => {
    const layers = [
      L.Linear({ inFeatures: 4, outFeatures: 4 }), L.LayerNorm({ normalizedShape: 4 }), L.Softmax(), L.GeLU(),
      L.Multiply({ scale: 2, bias: 1 }), L.SelfAttention({ embeddingDim: 4, numHeads: 2 }), L.Slicing({ dim: 1, start: 1 }),
    ];
    for (const layer of layers) {
      const x = randn([2, 3, 4], 5);
      const xCopy = Float32Array.from(x.data);
      const params = [...stateDict(layer).values()].map((t) => [t, Float32Array.from(t.data)] as const);
      await run(layer, [x], opts);
      expect(x.data).toEqual(xCopy);
      for (const [t, copy] of params) expect(t.data).toEqual(copy);
    }
  });
});

describe('Converter and Parameter', () => {
  it('Converter casts every tensor input and spreads several', async () => {
    const m = Chain(L.Converter(), L.Converter({ dtype: 'int32' }));
    const { output } = await run(m, [fromArray([1.7, -2.2]), fromArray([3], 'int32')], opts);
    const [a, b] = output as unknown as Tensor[];
    expect([a!.dtype, [...a!.data], b!.dtype]).toEqual(['int32', [1, -2], 'int32']);
  });
});

describe('Conv2d activation (a fused epilogue where the backend has one)', () => {
  it('equals Conv2d then LeakyReLU / ReLU, prints the option and names a bad one', async () => {
    const x = randn([1, 2, 6, 5], 3);
    const conv = L.Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, seed: 4 });
    for (const [opt, act] of [[{ activation: 'leakyRelu', negativeSlope: 0.2 }, L.LeakyReLU({ negativeSlope: 0.2 })], [{ activation: 'relu' }, L.ReLU()]] as const) {
      const fused = L.Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, seed: 4, ...opt });
      expect([...(await run(fused, [x])).output.data]).toEqual([...(await run(Chain(conv, act), [x])).output.data]);
    }
    expect(printTree(L.Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 1, activation: 'leakyRelu', negativeSlope: Math.fround(0.1) }))).toBe(
      'Conv2d(inChannels=2, outChannels=3, kernelSize=(1, 1), activation=leakyRelu, negativeSlope=0.1)',
    );
    expect(() => L.Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 1, activation: 'gelu' as 'relu' })).toThrowError("Conv2d: activation must be 'none', 'relu' or 'leakyRelu', got gelu");
  });
});
