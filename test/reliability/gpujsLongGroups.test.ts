// Issue 11, items 1-2: gpu.js reductions and products over groups longer than 2^24 end (gpu.js
// counts loops in float32), and long sums are accurate (blocked, compensated summation).
import { afterAll, describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { referenceBackend as ref } from '../../src/backend/reference/index.ts';
import { REDUCE_BLOCK } from '../../src/backend/gpujs/kernels/reduce.ts';
import { MATMUL_MAX_K } from '../../src/backend/gpujs/kernels/matmul.ts';
import { groupNorm, layerNorm } from '../../src/ops/norm.ts';
import { makeTensor } from '../../src/tensor/Tensor.ts';
import { expectClose, tensorOf } from '../backend/gpujs/helpers.ts';
import { runChild } from './child.ts';

const modes = ['async', 'webasm', 'cpu'] as const;
const backends = modes.map((mode) => createGpujsBackend({ mode }));
afterAll(() => backends.forEach((b) => b.destroy()));

describe('reductions past 2^24 elements', () => {
  it('max, argmax and sum of arange(2^24 + 2) end, in a child process (webasm)', () => {
    const r = runChild(
      `import { createGpujsBackend } from './src/backend/gpujs/index.ts';
import { makeTensor } from './src/tensor/Tensor.ts';
const be = createGpujsBackend({ mode: 'webasm' });
const n = 2 ** 24 + 2;
const d = new Float32Array(n); for (let i = 0; i < n; i++) d[i] = i;
const x = makeTensor(d, [n], 'float32');
const m = (await be.reduce('max', x, [0], false)).data[0];
const a = (await be.argmax(x, 0, false)).data[0];
const s = (await be.reduce('sum', makeTensor(new Float32Array(n).fill(1), [n], 'float32'), [0], false)).data[0];
be.destroy();
console.log(JSON.stringify([m, a, s]));`,
      150_000,
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    // float32(2^24 + 1) is 2^24, first reached at index 2^24; the sum of 2^24 + 2 ones rounds to 2^24 + 2.
    expect(JSON.parse(r.stdout.trim())).toEqual([2 ** 24, 2 ** 24, 2 ** 24 + 2]);
  }, 160_000); // about 5 s alone; the limit only has to tell a hang from a loaded machine

  it('a product with K > 2^24 ends, in a child process (webasm)', () => {
    const r = runChild(
      `import { createGpujsBackend } from './src/backend/gpujs/index.ts';
import { makeTensor } from './src/tensor/Tensor.ts';
const be = createGpujsBackend({ mode: 'webasm' });
const k = 2 ** 24 + 3;
const a = makeTensor(new Float32Array(k).fill(0.5), [1, 1, k], 'float32');
const b = makeTensor(new Float32Array(k).fill(2), [1, k, 1], 'float32');
console.log(JSON.stringify((await be.matmul(a, b)).data[0]));
be.destroy();`,
      150_000,
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toBe(2 ** 24 + 4); // float32(2^24 + 3)
  }, 160_000);
});

describe.each(modes.map((m, i) => [m, backends[i]!] as const))('long groups (%s)', (_, be) => {
  it('sum(full([1e7], 10)) is 1e8', async () => {
    const n = 1e7;
    const y = await be.reduce('sum', makeTensor(new Float32Array(n).fill(10), [n], 'float32'), [0], false);
    expect(y.data[0]).toBe(1e8);
  });

  it('every reduction over several blocks matches the reference, NaN and ties included', async () => {
    const r = REDUCE_BLOCK * 3 + 17;
    const x = tensorOf([2, r, 3], 5);
    const d = Float32Array.from(x.data);
    d[(0 * r + REDUCE_BLOCK + 5) * 3 + 1] = NaN; // a NaN in the second block of one column
    d[(1 * r + 2 * REDUCE_BLOCK + 1) * 3 + 2] = 100; // a tie across blocks: the first wins
    d[(1 * r + 3 * REDUCE_BLOCK + 2) * 3 + 2] = 100;
    const t = makeTensor(d, [2, r, 3], 'float32');
    for (const op of ['sum', 'max', 'min'] as const) expectClose(await be.reduce(op, t, [1], false), ref.reduce(op, t, [1], false), 1e-5);
    expectClose(await be.argmax(t, 1, false), ref.argmax(t, 1, false), 0);
  });

  it('a long sum is within a few float32 roundings of the float64 sum', async () => {
    const n = REDUCE_BLOCK * REDUCE_BLOCK + 3; // three passes
    const x = tensorOf([n], 7, 1);
    const d = Float32Array.from(x.data, (v) => Math.abs(v) + 1); // positive terms: the hard case for a running sum
    const t = makeTensor(d, [n], 'float32');
    const got = (await be.reduce('sum', t, [0], false)).data[0]!;
    const want = d.reduce((s, v) => s + v, 0);
    expect(Math.abs(got - want) / want).toBeLessThan(4 * 2 ** -24 * 3);
  });

  it('a product with K past one pass matches the reference', async () => {
    const k = MATMUL_MAX_K * 2 + 5;
    const a = tensorOf([2, 3, k], 1);
    const b = tensorOf([2, k, 5], 2);
    expectClose(await be.matmul(a, b), ref.matmul(a, b), 1e-5);
    const a1 = tensorOf([1, 5, k], 3);
    const b1 = tensorOf([1, k, 2], 4);
    expectClose(await be.matmul(a1, b1), ref.matmul(a1, b1), 1e-5);
  });

  it('layerNorm over 2^18 and a one-group groupNorm stay within float32 rounding of the reference', async () => {
    const x = makeTensor(Float32Array.from(tensorOf([1, 2 ** 18], 9).data, (v) => v + 1000), [1, 2 ** 18], 'float32');
    expectClose(await layerNorm(be, x, [2 ** 18]), await layerNorm(ref, x, [2 ** 18]), 1e-3);
    const g = makeTensor(Float32Array.from(tensorOf([1, 4, 128, 128], 10).data, (v) => v * 3 + 50), [1, 4, 128, 128], 'float32');
    expectClose(await groupNorm(be, g, 1), await groupNorm(ref, g, 1), 1e-3);
  });
});
