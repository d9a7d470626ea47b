import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf } from '../../src/backend/reference/index.ts';
import * as o from '../../src/ops/index.ts';
import { fromArray, toNested, type Tensor } from '../../src/tensor/index.ts';
import type { Backend } from '../../src/backend/Backend.ts';
import type { AnyLayer } from '../../src/core/Layer.ts';
import { run } from '../../src/context/run.ts';
import { valueAndGrad } from '../../src/grad/index.ts';
import { GeLU, SiLU } from '../../src/layers/activation/activations.ts';
import { anyTensor, at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const specs = [
  ['relu', (x: never) => o.relu(r, x), (v: number) => Math.max(v, 0)],
  ['leakyRelu', (x: never) => o.leakyRelu(r, x, 0.2), (v: number) => (v > 0 ? v : 0.2 * v)],
  ['silu', (x: never) => o.silu(r, x), (v: number) => v * sig(v)],
  ['gelu', (x: never) => o.gelu(r, x), (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  ['gelu tanh', (x: never) => o.gelu(r, x, 'tanh'), (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
  ['gelu sigmoid', (x: never) => o.gelu(r, x, 'sigmoid'), (v: number) => v * sig(1.702 * v)],
  ['hardSigmoid', (x: never) => o.hardSigmoid(r, x), (v: number) => Math.min(Math.max(v + 3, 0), 6) / 6],
  ['hardSwish', (x: never) => o.hardSwish(r, x), (v: number) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6],
] as const;

describe('activations', () => {
  for (const [name, f, spec] of specs) {
    it(`${name} matches its formula`, async () => {
      await fc.assert(
        fc.asyncProperty(anyTensor(0, 3), async (x) => {
          const y = await unchanged([x], () => f(x as never));
          expectClose(y, build(x.shape, (i) => spec(at(x, i))), 1e-5, 1e-6);
        }),
        { numRuns: 25 },
      );
    });
  }
  it('gelu and silu (one-pass primitives) equal their compositions from erf / sigmoid, within float32 rounding', async () => {
    await fc.assert(
      fc.asyncProperty(anyTensor(1, 3), async (x) => {
        const half = await o.mul(r, await o.add(r, await o.erf(r, await o.mul(r, x, Math.SQRT1_2)), 1), 0.5);
        expectClose(await o.gelu(r, x), await o.mul(r, x, half), 1e-6, 1e-7);
        expectClose(await o.silu(r, x), await o.mul(r, x, await o.sigmoid(r, x)), 1e-6, 1e-7);
      }),
      { numRuns: 40 },
    );
  });
  it('gelu and silu gradients (their VJP rules) equal the derivatives x·φ(x) + Φ(x) and σ(x)(1 + x(1 - σ(x)))', async () => {
    const x = fromArray([-6, -2.5, -1, -0.3, 0, 0.4, 1, 2.2, 5]);
    const dGelu = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-v * v / 2)) / Math.sqrt(2 * Math.PI);
    const dSilu = (v: number) => sig(v) * (1 + v * (1 - sig(v)));
    for (const [layer, d] of [[GeLU(), dGelu], [SiLU(), dSilu]] as const) {
      const loss = async (b: Backend, m: AnyLayer, t: Tensor): Promise<Tensor> => o.sum(b, (await run(m, [t], { backend: b })).output as Tensor);
      const { inputGrads } = await valueAndGrad(loss, { backend: r })(layer, x);
      expectClose(inputGrads[0]!, build(x.shape, ([i = 0]) => d(x.data[i]!)), 1e-5, 1e-6);
    }
  });
  it('propagates NaN and handles infinities', async () => {
    expect(toNested(await o.relu(r, fromArray([NaN, -Infinity])))).toEqual([NaN, 0]);
    expect(toNested(await o.gelu(r, fromArray([NaN, Infinity, -Infinity])))).toEqual([NaN, Infinity, NaN]);
    expect(toNested(await o.silu(r, fromArray([NaN, Infinity, -Infinity])))).toEqual([NaN, Infinity, NaN]);
    expect(toNested(await o.leakyRelu(r, fromArray([NaN])))).toEqual([NaN]);
  });
  it('rejects an unknown gelu approximation', async () => {
    expect(await errorOf(() => o.gelu(r, fromArray([1]), 'erf' as never))).toBe("gelu: approximate must be 'none', 'tanh' or 'sigmoid', got erf");
  });
});
