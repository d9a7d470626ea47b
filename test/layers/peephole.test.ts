// Peephole fusion in sequences (layers/structural/sequence.ts, Kind.fuseNext): a Conv2d followed
// by ReLU / LeakyReLU runs as one fused conv on a backend with conv epilogues, SamePad(replicate)
// followed by its MaxPool2d as one 'same' max pool, and the evaluations agree with the reference
// backend's (and bit for bit with the same backend's unfused run); a LoRA on the conv ends the
// match; errors keep their paths; a counting backend shows the calls saved.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/Backend.ts';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { referenceBackend as ref } from '../../src/backend/reference/index.ts';
import { Conv2dLora, LoraAdapter } from '../../src/adapters/index.ts';
import { run } from '../../src/context/run.ts';
import { valueAndGrad } from '../../src/grad/index.ts';
import { sum } from '../../src/ops/reduce.ts';
import type { AnyLayer } from '../../src/core/Layer.ts';
import { LeakyReLU, ReLU, Sigmoid } from '../../src/layers/activation/activations.ts';
import { Conv2d } from '../../src/layers/conv/Conv2d.ts';
import { MaxPool2d } from '../../src/layers/sampling/pooling.ts';
import { Chain } from '../../src/layers/structural/Chain.ts';
import { Residual } from '../../src/layers/structural/Residual.ts';
import { SamePad } from '../../src/models/faceapi/SamePad.ts';
import { TinyFaceDetector } from '../../src/models/faceapi/TinyFaceDetector.ts';
import { withPointwiseLora } from '../../examples/faces/pointwiseLora.ts';
import { randn } from '../../src/tensor/random.ts';
import { makeTensor, type Tensor } from '../../src/tensor/Tensor.ts';
import { errorOf } from '../ops/helpers.ts';

const be = createGpujsBackend({ mode: 'webasm' });
afterAll(() => be.destroy());

// A backend that counts the calls of each method (`binary:prelu`, `conv2dEpilogue`, ...) of `inner`.
function counting(inner: Backend): { backend: Backend; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrapped: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(inner)) {
    wrapped[k] = typeof f !== 'function' ? f : (...args: unknown[]) => {
      const key = k + (typeof args[0] === 'string' ? `:${args[0]}` : '');
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return (f as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { backend: wrapped as unknown as Backend, calls };
}
// The same backend without its fused forms: the unfused evaluation.
function unfused(b: Backend): Backend {
  const { conv2dEpilogue: _, ...rest } = b as Backend & { conv2dEpilogue?: unknown };
  return rest;
}
const total = (calls: Map<string, number>): number => [...calls.values()].reduce((a, b) => a + b, 0);
const out = async (m: AnyLayer, x: Tensor, b: Backend): Promise<Tensor> => (await run(m, [x], { backend: b })).output as Tensor;
const sameBits = (got: Tensor, want: Tensor): void => {
  expect(got.shape).toEqual(want.shape);
  for (let i = 0; i < want.size; i++) if (!Object.is(got.data[i], want.data[i])) expect.fail(`element ${i}: got ${got.data[i]}, want ${want.data[i]}`);
};
const close = (got: Tensor, want: Tensor): void => {
  expect(got.shape).toEqual(want.shape);
  for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i]! - want.data[i]!)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(want.data[i]!)));
};

const activationArb = fc.oneof(
  fc.constant(() => ReLU()),
  fc.double({ min: -1, max: 1, noNaN: true }).map((negativeSlope) => () => LeakyReLU({ negativeSlope })),
);

describe('Conv2d then an activation', () => {
  it('fused equals unfused on the same backend bit for bit, and the reference within float32 tolerance', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom([3, 5, 3, 1], [4, 4, 3, 4], [6, 9, 1, 1], [8, 6, 3, 2]), activationArb, fc.boolean(), fc.nat(1000), async ([c, o, k, groups], act, useBias, seed) => {
        const m = Chain(Conv2d({ inChannels: c, outChannels: o, kernelSize: k, groups, useBias, padding: 1, seed }), act(), Sigmoid());
        const x = randn([1, c, 6, 7], seed);
        const counted = counting(be);
        const fused = await out(m, x, counted.backend);
        expect(counted.calls.get('conv2dEpilogue')).toBe(1);
        expect([counted.calls.get('binary:prelu'), counted.calls.get('binary:max')]).toEqual([undefined, undefined]);
        sameBits(fused, await out(m, x, unfused(be)));
        close(fused, await out(m, x, ref));
      }),
      { numRuns: 20 },
    );
  });

  it('saves the activation\'s kernel call (a counter over the calls), also inside a Residual', async () => {
    const conv = Conv2d({ inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1, seed: 3 });
    const m = Residual(conv, LeakyReLU({ negativeSlope: 0.1 }));
    // The same computation with the activation in a Chain of its own: not a sibling, not fused.
    const apart = Residual(conv, Chain(LeakyReLU({ negativeSlope: 0.1 })));
    const x = randn([1, 4, 5, 5], 1);
    const f = counting(be);
    const u = counting(be);
    sameBits(await out(m, x, f.backend), await out(apart, x, u.backend));
    expect(total(f.calls)).toBe(total(u.calls) - 1);
    expect(u.calls.get('binary:prelu')).toBe(1);
    expect(f.calls.get('binary:prelu')).toBeUndefined();
  });

  it('does not fuse a conv under a LoRA (the delta adds before the activation), and matches the reference', async () => {
    const conv = Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 1, seed: 5 });
    const lora = Conv2dLora('l', { inChannels: 3, outChannels: 4, rank: 2, seed: 6 });
    const m = Chain(LoraAdapter(conv, lora), LeakyReLU({ negativeSlope: 0.1 }));
    const x = randn([1, 3, 4, 4], 2);
    const f = counting(be);
    const got = await out(m, x, f.backend);
    expect(f.calls.get('binary:prelu')).toBe(1);
    close(got, await out(m, x, ref));
  });

  it('does not fuse on a backend without conv epilogues, nor a conv that has its own activation', async () => {
    const r = counting(ref);
    await out(Chain(Conv2d({ inChannels: 2, outChannels: 2, kernelSize: 1 }), ReLU()), randn([1, 2, 3, 3], 0), r.backend);
    expect(r.calls.get('binary:max')).toBe(1);
    const g = counting(be);
    await out(Chain(Conv2d({ inChannels: 2, outChannels: 2, kernelSize: 1, activation: 'relu' }), ReLU()), randn([1, 2, 3, 3], 0), g.backend);
    expect(g.calls.get('binary:max')).toBe(1);
  });

  it('keeps the error and its path of the layer that fails', async () => {
    const m = Chain(Chain(Conv2d({ inChannels: 3, outChannels: 2, kernelSize: 1 }), LeakyReLU()));
    const message = (b: Backend): Promise<string> => errorOf(() => run(m, [randn([1, 2, 3, 3], 0)], { backend: b }));
    const got = await message(be);
    expect(got).toContain('Conv2d: input must be [N, 3, H, W], got [1,2,3,3]');
    expect(got).toContain('Chain.Conv2d');
    expect(got).toBe(await message(ref));
  });
});

describe('a Chain whose last child is a Conv2d, then an activation', () => {
  it('fuses the last child (the face detector\'s separable blocks); a LoRA on the pointwise convs ends it; values as unfused', async () => {
    const detector = TinyFaceDetector();
    const x = randn([1, 3, 64, 64], 4, 128, 60);
    const f = counting(be);
    const fused = await out(detector, x, f.backend);
    expect(f.calls.get('binary:prelu')).toBeUndefined();
    expect([f.calls.get('pad'), f.calls.get('pool2d:max')]).toEqual([undefined, 6]); // no replicate-pad copy before the pools
    sameBits(fused, await out(detector, x, unfused(be)));
    const adapted = withPointwiseLora(detector);
    const a = counting(be);
    sameBits(await out(adapted, x, a.backend), await out(adapted, x, unfused(be)));
    expect(a.calls.get('binary:prelu')).toBe(5); // conv0 still fuses: no LoRA on it
  });

  it('keeps the error and path of an inner child', async () => {
    // The last child (fused with the ReLU) gets the wrong channels.
    const m = Chain(Chain(Conv2d({ inChannels: 3, outChannels: 2, kernelSize: 1 }), Conv2d({ inChannels: 4, outChannels: 2, kernelSize: 1 })), ReLU());
    const message = (b: Backend): Promise<string> => errorOf(() => run(m, [randn([1, 3, 2, 2], 0)], { backend: b }));
    const got = await message(be);
    expect(got).toContain('Conv2d: input must be [N, 4, H, W], got [1,2,2,2]');
    expect(got).toContain('Chain.Conv2d_2');
    expect(got).toBe(await message(ref));
  });
});

describe('SamePad(replicate) then MaxPool2d', () => {
  it('runs as one max pool without the padded copy, with the values of pad then pool on each backend', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.nat(1000), async (h, w, k, s, seed) => {
        const m = Chain(SamePad({ kernelSize: k, stride: s, mode: 'replicate' }), MaxPool2d({ kernelSize: k, stride: s }), Sigmoid());
        const d = Float32Array.from(randn([1, 2, h, w], seed).data);
        if (seed % 4 === 0) d[seed % d.length] = Number.NaN;
        const x = makeTensor(d, [1, 2, h, w]);
        for (const b of [ref, be]) {
          const c = counting(b);
          const got = await out(m, x, c.backend);
          expect(c.calls.get('pad')).toBeUndefined();
          // The unfused evaluation: the two layers run one after the other.
          const padded = await out(SamePad({ kernelSize: k, stride: s, mode: 'replicate' }), x, b);
          sameBits(got, await out(Chain(MaxPool2d({ kernelSize: k, stride: s }), Sigmoid()), padded, b));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('gives the gradients of pad then pool (under valueAndGrad, where it fuses too)', async () => {
    const loss = async (b: Backend, m: AnyLayer, t: Tensor): Promise<Tensor> => sum(b, (await run(m, [t], { backend: b })).output as Tensor);
    for (const [k, s] of [[2, 2], [3, 1], [3, 2], [2, 1]] as const) {
      const pad = SamePad({ kernelSize: k, stride: s, mode: 'replicate' });
      const pool = MaxPool2d({ kernelSize: k, stride: s });
      const x = randn([1, 2, 5, 6], k * 10 + s);
      const fused = await valueAndGrad(loss, { backend: ref })(Chain(pad, pool), x);
      const apart = await valueAndGrad(loss, { backend: ref })(Chain(pad, Chain(pool)), x);
      expect(fused.value).toBe(apart.value);
      sameBits(fused.inputGrads[0]!, apart.inputGrads[0]!);
    }
  });

  it('does not fuse another pool window, a constant pad, or a pool with its own padding', async () => {
    const x = randn([1, 1, 5, 5], 0);
    for (const m of [
      Chain(SamePad({ kernelSize: 2, stride: 2, mode: 'replicate' }), MaxPool2d({ kernelSize: 3, stride: 2 })),
      Chain(SamePad({ kernelSize: 2, stride: 2 }), MaxPool2d({ kernelSize: 2, stride: 2 })),
      Chain(SamePad({ kernelSize: 2, stride: 2, mode: 'replicate' }), MaxPool2d({ kernelSize: 2, stride: 2, padding: 1 })),
    ]) {
      const c = counting(ref);
      await out(m, x, c.backend);
      expect(c.calls.get('pad')).toBe(1);
    }
  });
});
