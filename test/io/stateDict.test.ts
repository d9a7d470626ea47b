import { describe, expect, it } from 'vitest';
import { Chain, Sum, fromArray, named, zeros, ones, referenceBackend, run, type Tensor } from '../../src/index.ts';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.ts';
import { loadStateDict, stateDict } from '../../src/io/stateDict.ts';
import { BatchNorm2d, Conv2d, Linear, ReLU, SelfAttention } from '../../src/layers/index.ts';
import { ResidualBlock } from '../layers/blocks.ts';

const mlp = () =>
  Chain(Linear({ inFeatures: 2, outFeatures: 3, seed: 1 }), ReLU(), Chain(Linear({ inFeatures: 3, outFeatures: 1, seed: 2 })));

describe('stateDict', () => {
  it("uses Refiners' keys: child names from the root, then the param name", () => {
    expect([...stateDict(mlp()).keys()]).toEqual(['Linear.weight', 'Linear.bias', 'Chain.Linear.weight', 'Chain.Linear.bias']);
    expect([...stateDict(Linear({ inFeatures: 1, outFeatures: 1 })).keys()]).toEqual(['weight', 'bias']);
    const twoLinears = Chain(Linear({ inFeatures: 2, outFeatures: 2 }), Linear({ inFeatures: 2, outFeatures: 2, bias: false }));
    expect([...stateDict(twoLinears).keys()]).toEqual(['Linear_1.weight', 'Linear_1.bias', 'Linear_2.weight']);
  });

  it("matches Refiners' ResidualBlock and SelfAttention keys", () => {
    expect([...stateDict(ResidualBlock({ inChannels: 4, outChannels: 6, numGroups: 2 })).keys()]).toEqual([
      'Chain.GroupNorm_1.weight', 'Chain.GroupNorm_1.bias', 'Chain.Conv2d_1.weight', 'Chain.Conv2d_1.bias',
      'Chain.GroupNorm_2.weight', 'Chain.GroupNorm_2.bias', 'Chain.Conv2d_2.weight', 'Chain.Conv2d_2.bias',
      'Conv2d.weight', 'Conv2d.bias',
    ]);
    expect([...stateDict(SelfAttention({ embeddingDim: 4 })).keys()]).toEqual([
      'Distribute.Linear_1.weight', 'Distribute.Linear_1.bias', 'Distribute.Linear_2.weight', 'Distribute.Linear_2.bias',
      'Distribute.Linear_3.weight', 'Distribute.Linear_3.bias', 'Linear.weight', 'Linear.bias',
    ]);
    expect([...stateDict(BatchNorm2d({ numFeatures: 2 })).keys()]).toEqual(['weight', 'bias', 'running_mean', 'running_var']);
  });
});

describe('loadStateDict', () => {
  it('round-trips: loading a model its own dict gives an equal model, and another model the same outputs', async () => {
    const a = mlp();
    const b = Chain(Linear({ inFeatures: 2, outFeatures: 3, seed: 7 }), ReLU(), Chain(Linear({ inFeatures: 3, outFeatures: 1, seed: 8 })));
    const loaded = loadStateDict(b, stateDict(a));
    const x = fromArray([[0.5, -1]]);
    const [ya, yl] = [await run(a, [x], { backend: referenceBackend }), await run(loaded, [x], { backend: referenceBackend })];
    expect((yl.output as Tensor).data).toEqual((ya.output as Tensor).data);
    for (const [k, t] of stateDict(loaded)) expect(t).toBe(stateDict(a).get(k));
  });

  it('round-trips through safetensors bytes', () => {
    const m = ResidualBlock({ inChannels: 2, outChannels: 4, numGroups: 2 });
    const bytes = encodeSafetensors(stateDict(m));
    const back = decodeSafetensors(bytes);
    if (back._tag === 'Left') throw back.left;
    const m2 = loadStateDict(ResidualBlock({ inChannels: 2, outChannels: 4, numGroups: 2 }), back.right.tensors);
    for (const [k, t] of stateDict(m)) expect(stateDict(m2).get(k)!.data).toEqual(t.data);
  });

  it('accepts a plain object and returns a new model, leaving the input model and the dict untouched', () => {
    const m = mlp();
    const before = stateDict(m);
    const dict = { 'Linear.weight': zeros([3, 2]), 'Linear.bias': zeros([3]), 'Chain.Linear.weight': ones([1, 3]), 'Chain.Linear.bias': zeros([1]) };
    const frozenDict = Object.freeze({ ...dict });
    const out = loadStateDict(m, frozenDict);
    expect(out).not.toBe(m);
    for (const [k, t] of stateDict(m)) expect(t).toBe(before.get(k));
    expect(stateDict(out).get('Chain.Linear.weight')).toBe(dict['Chain.Linear.weight']);
    expect(Object.isFrozen(out)).toBe(true);
  });

  it('shares the subtrees it does not change, and returns the same model when nothing changes', () => {
    const m = Chain(Chain(Linear({ inFeatures: 1, outFeatures: 1 })), ReLU(), Chain(Linear({ inFeatures: 1, outFeatures: 1 })));
    const out = loadStateDict(m, { 'Chain_2.Linear.weight': ones([1, 1]) }, { strict: false });
    expect(out.children[0]).toBe(m.children[0]);
    expect(out.children[1]).toBe(m.children[1]);
    expect(out.children[2]).not.toBe(m.children[2]);
    expect(loadStateDict(m, stateDict(m))).toBe(m);
  });

  it('strict mode reports every missing, unexpected and mismatched key in one error', () => {
    const m = mlp();
    const dict = {
      'Linear.weight': zeros([2, 3]), // transposed
      'Linear.bias': fromArray([1, 2, 3], 'int32'), // wrong dtype
      'Chain.Linear.weight': zeros([1, 3]),
      'Linear_2.weight': zeros([1, 3]), // unexpected
      extra: zeros([1]), // unexpected
    };
    expect(() => loadStateDict(m, dict)).toThrowError(
      [
        "loadStateDict: the dict must hold exactly the model's keys with their shapes, got 5 problems:",
        '  missing: Chain.Linear.bias [1]',
        '  unexpected: Linear_2.weight [1,3]',
        '  unexpected: extra [1]',
        '  mismatch: Linear.weight: model [3,2], dict [2,3]',
        '  mismatch: Linear.bias: model float32, dict int32',
      ].join('\n'),
    );
  });

  it('non-strict mode ignores missing and unknown keys but still rejects shape mismatches (as PyTorch)', () => {
    const m = mlp();
    const out = loadStateDict(m, { 'Chain.Linear.bias': ones([1]), nope: zeros([2]) }, { strict: false });
    expect(stateDict(out).get('Chain.Linear.bias')!.data[0]).toBe(1);
    expect(stateDict(out).get('Linear.weight')).toBe(stateDict(m).get('Linear.weight'));
    expect(() => loadStateDict(m, { 'Chain.Linear.bias': ones([2]) }, { strict: false })).toThrowError(
      "loadStateDict: the dict must give every key it shares with the model the same shape, got 1 problem:\n  mismatch: Chain.Linear.bias: model [1], dict [2]",
    );
  });

  it("accepts PyTorch's BatchNorm num_batches_tracked, and only for a BatchNorm2d", () => {
    const m = named('Net', Chain(Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 1 }), BatchNorm2d({ numFeatures: 2 })));
    const dict = new Map(stateDict(m));
    dict.set('BatchNorm2d.num_batches_tracked', fromArray(3, 'int32'));
    expect(() => loadStateDict(m, dict)).not.toThrow();
    dict.set('Conv2d.num_batches_tracked', fromArray(3, 'int32'));
    expect(() => loadStateDict(m, dict)).toThrowError(/unexpected: Conv2d.num_batches_tracked/);
  });

  it('rejects values that are not tensors', () => {
    expect(() => loadStateDict(Sum(), { a: [1, 2] as unknown as Tensor })).toThrowError(
      'loadStateDict: every value must be a Tensor, got object at key "a"',
    );
  });
});
