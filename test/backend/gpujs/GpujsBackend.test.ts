// Every primitive of the gpu.js backend against the reference backend, on random shapes (1 and odd
// sizes included) and values. Modes: webasm (sync), async (webasm on the worker pool), cpu.
// webasm accumulates in float32 and cpu in float64; tolerances are scaled to the magnitude.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryOps, reduceOps, unaryOps, type Backend } from '../../../src/backend/Backend.ts';
import { createGpujsBackend, type GpujsMode } from '../../../src/backend/gpujs/index.ts';
import { referenceBackend as ref } from '../../../src/backend/reference/index.ts';
import { broadcastShapes } from '../../../src/tensor/shape.ts';
import { fromArray } from '../../../src/tensor/create.ts';
import { makeTensor } from '../../../src/tensor/Tensor.ts';
import { broadcastableTo, expectClose, seedArb, shapeArb, tensorOf } from './helpers.ts';

const modes: readonly [GpujsMode, number][] = [
  ['webasm', 30],
  ['async', 12],
  ['cpu', 12],
];
// async with every kernel on the worker pool (by default small ones run inline, as webasm).
const backends = new Map(modes.map(([m]) => [m, createGpujsBackend({ mode: m, threadedMinWork: 0 })]));
afterAll(() => {
  for (const be of backends.values()) be.destroy();
});

describe.each(modes)('gpujs %s vs reference', (mode, numRuns) => {
  const be: Backend = backends.get(mode)!;
  const runs = { numRuns };

  it('unary ops', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...unaryOps), shapeArb(), seedArb, async (op, shape, seed) => {
        const x = tensorOf(shape, seed, 2);
        expectClose(await be.unary(op, x), ref.unary(op, x), 2e-6, true);
      }),
      runs,
    );
  });

  it('binary ops with broadcasting', async () => {
    const arb = shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastableTo(s), fc.boolean()));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...binaryOps), arb, seedArb, async (op, [sa, sb, swap], seed) => {
        const [a, b] = swap ? [tensorOf(sb, seed), tensorOf(sa, seed + 1)] : [tensorOf(sa, seed), tensorOf(sb, seed + 1)];
        expectClose(await be.binary(op, a, b), ref.binary(op, a, b), 2e-6, true);
      }),
      runs,
    );
  });

  it('where with three broadcast operands', async () => {
    const arb = shapeArb().chain((s) => fc.tuple(broadcastableTo(s), broadcastableTo(s), broadcastableTo(s)));
    await fc.assert(
      fc.asyncProperty(arb, seedArb, async ([sc, sa, sb], seed) => {
        const c = ref.binary('lt', tensorOf(sc, seed), fromArray(0));
        const a = tensorOf(sa, seed + 1);
        const b = tensorOf(sb, seed + 2);
        const got = await be.where(c, a, b);
        expect(got.shape).toEqual(broadcastShapes(broadcastShapes(sc, sa), sb));
        expectClose(got, ref.where(c, a, b), 0);
      }),
      runs,
    );
  });

  it('reduce over random axes, keepdims or not', async () => {
    const arb = shapeArb().chain((s) =>
      fc.tuple(fc.constant(s), fc.subarray(s.map((_, i) => i), { minLength: 1 }), fc.boolean()),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reduceOps), arb, seedArb, async (op, [shape, axes, keep], seed) => {
        const x = tensorOf(shape, seed);
        expectClose(await be.reduce(op, x, axes, keep), ref.reduce(op, x, axes, keep), 1e-5);
      }),
      runs,
    );
  });

  it('argmax', async () => {
    const arb = shapeArb().chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }), fc.boolean()));
    await fc.assert(
      fc.asyncProperty(arb, seedArb, async ([shape, axis, keep], seed) => {
        const x = tensorOf(shape, seed);
        expectClose(await be.argmax(x, axis, keep), ref.argmax(x, axis, keep), 0);
      }),
      runs,
    );
  });

  it('matmul, batched, M/K/N not multiples of 4', async () => {
    const dim = fc.integer({ min: 1, max: 9 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), dim, dim, dim, seedArb, async (b, m, k, n, seed) => {
        const x = tensorOf([b, m, k], seed);
        const y = tensorOf([b, k, n], seed + 1);
        expectClose(await be.matmul(x, y), ref.matmul(x, y), 1e-5);
      }),
      runs,
    );
  });

  it('conv2d with stride, dilation, groups and asymmetric padding', async () => {
    const small = (max: number) => fc.integer({ min: 1, max });
    const arb = fc.record({
      n: small(2), groups: small(3), cg: small(3), og: small(5), kh: small(3), kw: small(3),
      sh: small(2), sw: small(2), dh: small(2), dw: small(2),
      pads: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)), extraH: fc.nat(4), extraW: fc.nat(4),
    });
    await fc.assert(
      fc.asyncProperty(arb, seedArb, async (q, seed) => {
        // Input just large enough for one output, plus a random extra.
        const h = Math.max(1, q.dh * (q.kh - 1) + 1 - q.pads[0] - q.pads[1]) + q.extraH;
        const w = Math.max(1, q.dw * (q.kw - 1) + 1 - q.pads[2] - q.pads[3]) + q.extraW;
        const x = tensorOf([q.n, q.groups * q.cg, h, w], seed);
        const wt = tensorOf([q.groups * q.og, q.cg, q.kh, q.kw], seed + 1);
        const p = { stride: [q.sh, q.sw], dilation: [q.dh, q.dw], padding: q.pads, groups: q.groups } as const;
        expectClose(await be.conv2d(x, wt, p), ref.conv2d(x, wt, p), 1e-5);
      }),
      runs,
    );
  });

  it('convTranspose2d with stride, dilation, padding, output padding and groups', async () => {
    const small = (max: number) => fc.integer({ min: 1, max });
    const arb = fc
      .record({ n: small(2), groups: small(2), cg: small(3), og: small(3), kh: small(3), kw: small(3), sh: small(3), sw: small(2), dh: small(2), dw: small(2), h: small(4), w: small(4) })
      .chain((q) =>
        fc.record({
          q: fc.constant(q),
          ph: fc.integer({ min: 0, max: q.dh * (q.kh - 1) }),
          pw: fc.integer({ min: 0, max: q.dw * (q.kw - 1) }),
          oph: fc.integer({ min: 0, max: Math.max(q.sh, q.dh) - 1 }),
          opw: fc.integer({ min: 0, max: Math.max(q.sw, q.dw) - 1 }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(arb, seedArb, async ({ q, ph, pw, oph, opw }, seed) => {
        fc.pre((q.h - 1) * q.sh + q.dh * (q.kh - 1) + 1 - 2 * ph + oph > 0);
        fc.pre((q.w - 1) * q.sw + q.dw * (q.kw - 1) + 1 - 2 * pw + opw > 0);
        const x = tensorOf([q.n, q.groups * q.cg, q.h, q.w], seed);
        const wt = tensorOf([q.groups * q.cg, q.og, q.kh, q.kw], seed + 1);
        const p = { stride: [q.sh, q.sw], dilation: [q.dh, q.dw], padding: [ph, pw], outputPadding: [oph, opw], groups: q.groups } as const;
        expectClose(await be.convTranspose2d(x, wt, p), ref.convTranspose2d(x, wt, p), 1e-5);
      }),
      runs,
    );
  });

  it('pool2d max and avg, with padding, ceil mode and countIncludePad', async () => {
    const small = (max: number) => fc.integer({ min: 1, max });
    const arb = fc
      .record({ op: fc.constantFrom('max' as const, 'avg' as const), kh: small(3), kw: small(3), sh: small(3), sw: small(2), ceil: fc.boolean(), cip: fc.boolean(), h: small(7), w: small(7) })
      .chain((q) => fc.record({ q: fc.constant(q), ph: fc.nat(Math.floor(q.kh / 2)), pw: fc.nat(Math.floor(q.kw / 2)) }));
    await fc.assert(
      fc.asyncProperty(arb, seedArb, async ({ q, ph, pw }, seed) => {
        const h = Math.max(q.h, q.kh);
        const w = Math.max(q.w, q.kw);
        const outDim = (d: number, k: number, s: number, p: number): number => {
          let o = (q.ceil ? Math.ceil : Math.floor)((d + 2 * p - k) / s) + 1;
          if (q.ceil && (o - 1) * s >= d + p) o--; // PyTorch: the last window must start inside
          return o;
        };
        const p = { kernel: [q.kh, q.kw], stride: [q.sh, q.sw], padding: [ph, pw], outShape: [outDim(h, q.kh, q.sh, ph), outDim(w, q.kw, q.sw, pw)], countIncludePad: q.cip } as const;
        const x = tensorOf([2, 3, h, w], seed);
        expectClose(await be.pool2d(q.op, x, p), ref.pool2d(q.op, x, p), 1e-6, true);
      }),
      runs,
    );
  });

  it('movement: permute, expand, slice, pad, concat, reshape, gather, cast', async () => {
    const arb = shapeArb().chain((s) =>
      fc.record({
        shape: fc.constant(s),
        perm: fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }),
        starts: fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }))),
        steps: fc.tuple(...s.map(() => fc.integer({ min: -2, max: 2 }).filter((v) => v !== 0))),
        pads: fc.tuple(...s.map((d) => fc.tuple(fc.nat(d - 1), fc.nat(d - 1)))),
        mode: fc.constantFrom('constant' as const, 'reflect' as const, 'replicate' as const),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arb, seedArb, async (q, seed) => {
        const x = tensorOf(q.shape, seed);
        expectClose(await be.permute(x, q.perm), ref.permute(x, q.perm), 0);
        const counts = q.shape.map((d, a) => (q.steps[a]! > 0 ? Math.ceil((d - q.starts[a]!) / q.steps[a]!) : Math.floor(q.starts[a]! / -q.steps[a]!) + 1));
        expectClose(await be.slice(x, q.starts, q.steps, counts), ref.slice(x, q.starts, q.steps, counts), 0);
        expectClose(await be.pad(x, q.pads, q.mode, -Infinity), ref.pad(x, q.pads, q.mode, -Infinity), 0);
        const one = q.shape.map((d, a) => (a === 0 ? 1 : d));
        const y = tensorOf(one, seed + 1);
        expectClose(await be.expand(y, q.shape), ref.expand(y, q.shape), 0);
        expectClose(await be.concat([x, y], 0), ref.concat([x, y], 0), 0);
        expectClose(await be.reshape(x, [x.size]), ref.reshape(x, [x.size]), 0);
        const idx = makeTensor(Int32Array.from({ length: 3 }, (_, i) => (seed + i) % q.shape[0]!), [3], 'int32');
        expectClose(await be.gather(x, idx, 0), ref.gather(x, idx, 0), 0);
        expectClose(await be.cast(x, 'int32'), ref.cast(x, 'int32'), 0);
      }),
      runs,
    );
  });
});
