// Issue 11, items 4-5: state-dict keys never collide silently, a forged or missing dict is a clear
// error, and unexpected `num_batches_tracked` keys load in linear time.
import { describe, expect, it } from 'vitest';
import { Chain, named } from '../../src/index.ts';
import { loadStateDict, stateDict } from '../../src/io/stateDict.ts';
import { BatchNorm2d, Linear } from '../../src/layers/index.ts';
import { defineLayer } from '../../src/layers/define.ts';
import { zeros } from '../../src/tensor/create.ts';
import { CanopyError } from '../../src/errors.ts';
import { errorOf } from '../helpers/errorOf.ts';

const lin = (seed = 1) => Linear({ inFeatures: 2, outFeatures: 2, seed });


describe('state-dict keys', () => {
  it('names that could collide are refused by named()', () => {
    const rule = "named: a layer name must be non-empty, without '.', not starting with '~' and not ending in _<number> (the numbered names siblings get), got";
    expect(errorOf(() => named('Linear_1', lin())).message).toBe(`${rule} "Linear_1"`);
    expect(errorOf(() => named('a.b', lin())).message).toBe(`${rule} "a.b"`);
    expect(errorOf(() => named('', lin())).message).toBe(`${rule} ""`);
    expect(errorOf(() => named('~x', lin())).message).toBe(`${rule} "~x"`);
    expect(() => named('Linear1', lin())).not.toThrow();
  });

  it('a duplicate key is an error, not an overwrite (a kind named like a derived name)', () => {
    // defineLayer is another way to make a colliding name: the key walk still refuses it.
    const Odd = defineLayer({ name: 'Linear_1', forward: ([x]: [number]) => x });
    const oddWithParams = { ...Odd(), params: { weight: zeros([1]) } };
    const m = Chain(lin(1), lin(2), Object.freeze(oddWithParams) as ReturnType<typeof Odd>);
    const err = errorOf(() => stateDict(m));
    expect(err.message).toBe('stateDict: every parameter must have its own key, got "Linear_1.weight" for the nodes at child indices [0] and [2] (rename one with named())');
    expect(errorOf(() => loadStateDict(m, new Map())).message).toBe(err.message);
  });

  it('a missing, null or forged dict is a CanopyError naming what it got', () => {
    const m = lin();
    expect(errorOf(() => loadStateDict(m, null as never)).message).toBe('loadStateDict: the dict must be a Map or a plain object of Tensors, got null');
    expect(errorOf(() => loadStateDict(m, undefined as never)).message).toBe('loadStateDict: the dict must be a Map or a plain object of Tensors, got undefined');
    const forged = { _tag: 'Tensor', shape: [2, 2], dtype: 'float32', data: new Float32Array(1), size: 4 };
    expect(errorOf(() => loadStateDict(m, { weight: forged as never, bias: zeros([2]) })).message).toBe(
      'loadStateDict: every value must be a Tensor, got a tensor-like object of shape [2,2] holding 1 values at key "weight"',
    );
    const wrongType = { _tag: 'Tensor', shape: [2], dtype: 'float32', data: [1, 2], size: 2 };
    expect(errorOf(() => loadStateDict(m, { weight: zeros([2, 2]), bias: wrongType as never })).message).toBe(
      'loadStateDict: every value must be a Tensor, got a tensor-like object whose data does not match dtype float32 at key "bias"',
    );
  });

  it('loads 2,000 Linears with 4,000 unexpected num_batches_tracked keys in linear time', () => {
    const m = Chain(...Array.from({ length: 2000 }, (_, i) => Linear({ inFeatures: 1, outFeatures: 1, seed: i })));
    const dict = new Map(stateDict(m));
    for (let i = 0; i < 4000; i++) dict.set(`x${i}.num_batches_tracked`, zeros([]));
    const t0 = performance.now();
    const err = errorOf(() => loadStateDict(m, dict));
    const ms = performance.now() - t0;
    expect(err.message).toMatch(/got 4000 problems/);
    expect(ms).toBeLessThan(3000); // was quadratic: about 10 s here
    // A BatchNorm2d's own counter is still accepted.
    const bn = Chain(BatchNorm2d({ numFeatures: 2 }));
    const d = new Map(stateDict(bn));
    d.set('BatchNorm2d.num_batches_tracked', zeros([]));
    expect(() => loadStateDict(bn, d)).not.toThrow();
  });
});
