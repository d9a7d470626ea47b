// Key maps: each layout conversion against its index formula, every problem reported at once,
// and a converted state dict that survives safetensors and loadStateDict.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyKeyMap, convertLayout, stateDictSize } from '../../src/io/keyMap.ts';
import { permuteTensor } from '../../src/tensor/strided.ts';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.ts';
import { loadStateDict, stateDict } from '../../src/io/stateDict.ts';
import { Conv2d } from '../../src/layers/conv/Conv2d.ts';
import { Linear } from '../../src/layers/linear/Linear.ts';
import { Chain } from '../../src/layers/structural/Chain.ts';
import { arange } from '../../src/tensor/create.ts';
import { makeTensor } from '../../src/tensor/Tensor.ts';
import { leftOf, rightOf } from './helpers.ts';

const counting = (shape: number[]) => makeTensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape);

describe('layout conversions', () => {
  it('convHWIO: out[o,i,y,x] = in[y,x,i,o]', () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), ([kh, kw, ci, co]) => {
      const t = counting([kh, kw, ci, co]);
      const o = convertLayout(t, 'convHWIO');
      expect(o.shape).toEqual([co, ci, kh, kw]);
      for (let a = 0; a < co; a++) for (let i = 0; i < ci; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
        expect(o.data[((a * ci + i) * kh + y) * kw + x]).toBe(t.data[((y * kw + x) * ci + i) * co + a]);
      }
    }), { numRuns: 20 });
  });

  it('depthwise: out[c·M+m,0,y,x] = in[y,x,c,m]', () => {
    const [kh, kw, c, m] = [3, 2, 4, 3];
    const t = counting([kh, kw, c, m]);
    const o = convertLayout(t, 'depthwise');
    expect(o.shape).toEqual([c * m, 1, kh, kw]);
    for (let ci = 0; ci < c; ci++) for (let mi = 0; mi < m; mi++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
      expect(o.data[((ci * m + mi) * kh + y) * kw + x]).toBe(t.data[((y * kw + x) * c + ci) * m + mi]);
    }
  });

  it('dense transposes, identity returns the same tensor, inputs are untouched', () => {
    const t = counting([2, 3]);
    const before = Float32Array.from(t.data);
    expect([...convertLayout(t, 'dense').data]).toEqual([0, 3, 1, 4, 2, 5]);
    expect(convertLayout(t, 'identity')).toBe(t);
    expect([...t.data]).toEqual([...before]);
    expect(permuteTensor(arange(3), [0]).shape).toEqual([3]);
  });

  it('rejects a rank that does not fit the layout', () => {
    expect(() => convertLayout(counting([3, 3, 2]), 'convHWIO')).toThrow('convertLayout: a convHWIO tensor must be [kh, kw, in, out], got [3,3,2]');
  });
});

describe('applyKeyMap', () => {
  it('reports every problem in one error', () => {
    const src = new Map([['a', counting([2, 2])], ['b', counting([3])], ['extra', counting([1])]]);
    const err = leftOf(applyKeyMap(src, [
      { from: 'a', to: 'X.weight', layout: 'convHWIO' },
      { from: 'b', to: 'X.bias' },
      { from: 'gone', to: 'Y.bias' },
      { from: 'b', to: 'X.bias' },
    ]));
    expect(err.code).toBe('io');
    expect(err.message).toBe([
      'applyKeyMap: every entry must find its source tensor in a fitting layout and every source tensor must be mapped, got 4 problems:',
      '  layout: a as convHWIO must be [kh, kw, in, out], got [2,2]',
      '  missing: gone (for Y.bias)',
      '  duplicate target: X.bias (from b)',
      '  unmapped: extra [1]',
    ].join('\n'));
    expect(rightOf(applyKeyMap(src, [{ from: 'b', to: 'X.bias' }], { strict: false })).size).toBe(1);
  });

  it('converts TensorFlow weights into a state dict that loads, saves as safetensors and loads back', () => {
    const model = Chain(Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3 }), Linear({ inFeatures: 4, outFeatures: 5 }));
    const tf = new Map([
      ['conv/filters', counting([3, 3, 2, 3])], ['conv/bias', counting([3])],
      ['fc/weights', counting([4, 5])], ['fc/bias', counting([5])],
    ]);
    const dict = rightOf(applyKeyMap(tf, [
      { from: 'conv/filters', to: 'Conv2d.weight', layout: 'convHWIO' },
      { from: 'conv/bias', to: 'Conv2d.bias' },
      { from: 'fc/weights', to: 'Linear.weight', layout: 'dense' },
      { from: 'fc/bias', to: 'Linear.bias' },
    ]));
    expect(stateDictSize(dict)).toBe(54 + 3 + 20 + 5);
    const loaded = loadStateDict(model, dict);
    const bytes = encodeSafetensors(stateDict(loaded));
    const back = loadStateDict(model, rightOf(decodeSafetensors(bytes)).tensors);
    for (const [k, t] of stateDict(loaded)) expect([...stateDict(back).get(k)!.data]).toEqual([...t.data]);
  });
});
