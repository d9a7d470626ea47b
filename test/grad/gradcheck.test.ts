import { describe, expect, it } from 'vitest';
import { Linear, Conv2d, ReLU, Chain, Tanh, randn } from '../../src/index.ts';
import { gradCheck, unetGradientsEqual } from 'canopy/laws';

describe('gradCheck', () => {
  it('linear', async () => {
    const r = await gradCheck(Chain(Linear({ inFeatures: 3, outFeatures: 4, seed: 3 }), Tanh()), [randn([2, 3], 1)]);
    expect(r.mismatches).toEqual([]);
  });
  it('conv', async () => {
    const r = await gradCheck(Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, seed: 3 } as never), [randn([2, 2, 5, 6], 1)]);
    expect(r.mismatches).toEqual([]);
  });
  it('unet', async () => {
    expect(await unetGradientsEqual(3, 4, randn([2, 4], 5))).toBe(true);
  });
});
