// Fusion epilogues (src/backend/fused.ts): the gpu.js backend's fused conv2d + bias + activation
// against the composition of its own primitives, bit for bit, on every formulation conv2d picks
// (row kernel for depthwise and few-channel, four-rows matmul for pointwise, direct4 otherwise)
// and on each mode Node runs (webasm and async compute it inside the pointwise and row kernels, cpu
// and the WebGL modes in a JavaScript pass after the kernel); and the ops-level conv2d with an activation against the reference backend.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../../src/backend/Backend.ts';
import { composeEpilogue, hasConvEpilogue, type EpilogueActivation } from '../../../src/backend/fused.ts';
import { createGpujsBackend, type GpujsMode } from '../../../src/backend/gpujs/index.ts';
import { referenceBackend as ref } from '../../../src/backend/reference/index.ts';
import { conv2d } from '../../../src/ops/conv.ts';
import { leakyRelu, relu } from '../../../src/ops/activation.ts';
import { makeTensor, type Tensor } from '../../../src/tensor/Tensor.ts';
import { expectClose, seedArb, tensorOf } from './helpers.ts';

const modes: readonly [GpujsMode, number][] = [
  ['webasm', 25],
  ['async', 10],
  ['cpu', 10],
];
// async with every kernel on the worker pool (by default small ones run inline, as webasm).
const backends = new Map(modes.map(([m]) => [m, createGpujsBackend({ mode: m, threadedMinWork: 0 })]));
afterAll(() => {
  for (const be of backends.values()) be.destroy();
});

// Conv shapes that reach each formulation: [c, o, k, groups, stride].
const formulations = fc.constantFrom(
  [4, 4, 3, 4, 1], // depthwise: row kernel
  [3, 5, 3, 1, 1], // few input channels: row kernel
  [6, 9, 1, 1, 1], // pointwise: four-rows matmul
  [8, 6, 3, 2, 2], // grouped, strided: direct4
);
const activationArb: fc.Arbitrary<EpilogueActivation | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ op: 'relu' } as const),
  fc.double({ min: -2, max: 2, noNaN: true }).map((slope) => ({ op: 'prelu', slope }) as const),
);

// Some inputs NaN or ±0, so that the activations' NaN and zero cases are reached.
function withSpecials(t: Tensor, seed: number): Tensor {
  const d = Float32Array.from(t.data);
  for (let i = seed % 7; i < d.length; i += 11) d[i] = [Number.NaN, 0, -0][i % 3]!;
  return makeTensor(d, t.shape);
}

const sameBits = (got: Tensor, want: Tensor): void => {
  expect(got.shape).toEqual(want.shape);
  for (let i = 0; i < want.size; i++) if (!Object.is(got.data[i], want.data[i])) expect.fail(`element ${i}: got ${got.data[i]}, want ${want.data[i]}`);
};

describe.each(modes)('gpujs %s fused conv2d epilogue', (mode, numRuns) => {
  const be = backends.get(mode)!;

  it('equals conv2d, add and the activation as separate primitives, bit for bit', async () => {
    expect(hasConvEpilogue(be)).toBe(true);
    await fc.assert(
      fc.asyncProperty(formulations, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 9 }), fc.boolean(), activationArb, seedArb, async ([c, o, k, groups, stride], n, hw, useBias, activation, seed) => {
        const x = withSpecials(tensorOf([n, c, hw, hw + 1], seed), seed);
        const w = tensorOf([o, c / groups, k, k], seed + 1);
        const p: Conv2dParams = { stride: [stride, stride], dilation: [1, 1], padding: [1, 0, 0, 1], groups };
        const e = { ...(useBias ? { bias: tensorOf([o], seed + 2) } : {}), ...(activation === undefined ? {} : { activation }) };
        sameBits(await be.conv2dEpilogue(x, w, p, e), await composeEpilogue(be, await be.conv2d(x, w, p), e));
      }),
      { numRuns },
    );
  });

  // The epilogue inside the kernel (webasm, async) on the shapes the property's small planes miss:
  // a pointwise plane over several balanced tiles (29² = 841 columns: 2 × 424) with odd channels,
  // the face detector's conv0 (3 → 16, row kernel), and slopes whose literals need care.
  it.each([
    ['pointwise 5 → 7 over two tiles', [1, 5, 29, 29], [7, 5, 1, 1], { op: 'prelu', slope: Math.fround(0.1) }],
    ['pointwise 3 → 6 on 13², relu', [2, 6, 13, 13], [6, 6, 1, 1], { op: 'relu' }],
    ['conv0-like 3 → 16 3×3, leaky', [1, 3, 22, 21], [16, 3, 3, 3], { op: 'prelu', slope: Math.fround(0.1) }],
    ['pointwise, slope -0', [1, 6, 5, 5], [5, 6, 1, 1], { op: 'prelu', slope: -0 }],
    ['pointwise, slope 1e-7', [1, 6, 5, 5], [5, 6, 1, 1], { op: 'prelu', slope: 1e-7 }],
    ['pointwise, slope -2', [1, 6, 5, 5], [5, 6, 1, 1], { op: 'prelu', slope: -2 }],
  ] as const)('%s: bit for bit with the composition', async (_, xs, ws, activation) => {
    const x = withSpecials(tensorOf(xs, 31), 3);
    const w = tensorOf(ws, 32);
    const p: Conv2dParams = { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 };
    const e = { bias: tensorOf([ws[0]], 33), activation };
    sameBits(await be.conv2dEpilogue(x, w, p, e), await composeEpilogue(be, await be.conv2d(x, w, p), e));
    sameBits(await be.conv2dEpilogue(x, w, p, e), await composeEpilogue(ref, await be.conv2d(x, w, p), e));
  });

  it('ops conv2d with an activation equals conv2d then relu / leakyRelu on the reference backend', async () => {
    await fc.assert(
      fc.asyncProperty(formulations, fc.boolean(), seedArb, async ([c, o, k, groups, stride], leaky, seed) => {
        const x = tensorOf([1, c, 7, 6], seed);
        const w = tensorOf([o, c / groups, k, k], seed + 1);
        const bias = tensorOf([o], seed + 2);
        const opts = { bias, stride, groups, padding: 1 };
        const got = await conv2d(be, x, w, { ...opts, activation: leaky ? { op: 'prelu', slope: 0.1 } : { op: 'relu' } });
        const y = await conv2d(ref, x, w, opts);
        expectClose(got, await (leaky ? leakyRelu(ref, y, 0.1) : relu(ref, y)), 1e-5);
      }),
      { numRuns },
    );
  });
});

describe('conv2d activation option', () => {
  it('names a bad activation', async () => {
    const x = tensorOf([1, 1, 3, 3], 1);
    await expect(conv2d(ref, x, tensorOf([1, 1, 1, 1], 2), { activation: { op: 'prelu', slope: Number.NaN } })).rejects.toThrow(
      "conv2d: activation must be { op: 'relu' } or { op: 'prelu', slope: <finite number> }, got {\"op\":\"prelu\",\"slope\":null}",
    );
  });
});
