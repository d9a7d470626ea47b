import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf } from '../../src/backend/reference/index.ts';
import * as o from '../../src/ops/index.ts';
import { fromArray, toNested } from '../../src/tensor/index.ts';
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
  it('propagates NaN and handles infinities', async () => {
    expect(toNested(await o.relu(r, fromArray([NaN, -Infinity])))).toEqual([NaN, 0]);
    expect(toNested(await o.gelu(r, fromArray([NaN, Infinity, -Infinity])))).toEqual([NaN, Infinity, NaN]);
    expect(toNested(await o.leakyRelu(r, fromArray([NaN])))).toEqual([NaN]);
  });
  it('rejects an unknown gelu approximation', async () => {
    expect(await errorOf(() => o.gelu(r, fromArray([1]), 'erf' as never))).toBe("gelu: approximate must be 'none', 'tanh' or 'sigmoid', got erf");
  });
});
