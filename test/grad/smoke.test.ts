import { describe, expect, it } from 'vitest';
import { Chain, Linear, ReLU, fromArray, run, sum, valueAndGrad, stateDict, toNested, referenceBackend, type Tensor, freezeParams } from '../../src/index.ts';

describe('valueAndGrad smoke', () => {
  it('linear', async () => {
    const model = Chain(Linear({ inFeatures: 2, outFeatures: 3, seed: 1 }), ReLU(), Linear({ inFeatures: 3, outFeatures: 1, seed: 2 }));
    const f = valueAndGrad(async (b, m: typeof model, x: Tensor) => sum(b, (await run(m, [x], { backend: b })).output), { backend: referenceBackend });
    const r = await f(model, fromArray([[1, 2], [3, -1]]));
    console.log(r.value, [...stateDict(r.grads)].map(([k, t]) => [k, toNested(t)]), toNested(r.inputGrads[0]!));
    const r2 = await f(freezeParams(model, { where: (p) => p === 'Linear_1' }), fromArray([[1, 2], [3, -1]]));
    expect([...stateDict(r2.grads).keys()]).toEqual(['Linear_2.weight', 'Linear_2.bias']);
  });
});
