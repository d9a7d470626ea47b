// Issue 11, "done when": a fuzz of the public op surface. Random shapes (zero-size and size-1 dims
// included), dtypes, options and values (NaN, ±Inf), on the reference backend and on every gpu.js
// mode that runs here. Each call must give the reference result (within float32 tolerance) or a
// CanopyError, the same on every backend: never another error, a hang or a silently different
// value. Seeded by test/setup.ts; a modest number of runs keeps it to a few seconds.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/Backend.ts';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { referenceBackend as ref } from '../../src/backend/reference/index.ts';
import { CanopyError } from '../../src/errors.ts';
import * as O from '../../src/ops/index.ts';
import { makeTensor, type Tensor } from '../../src/tensor/Tensor.ts';
import { expectClose } from '../backend/gpujs/helpers.ts';

const modes = ['async', 'webasm', 'cpu'] as const;
const backends = modes.map((mode) => createGpujsBackend({ mode }));
afterAll(() => backends.forEach((b) => b.destroy()));

// --- arbitraries

const dim = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1) }, { weight: 5, arbitrary: fc.integer({ min: 2, max: 5 }) });
const shapeArb = (minRank = 0, maxRank = 4) => fc.array(dim, { minLength: minRank, maxLength: maxRank });
const value = fc.oneof(
  { weight: 12, arbitrary: fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e30) },
);
const tensorArb = (shape: fc.Arbitrary<number[]>, dtypes: readonly ('float32' | 'int32')[] = ['float32', 'float32', 'float32', 'int32']) =>
  fc.tuple(shape, fc.constantFrom(...dtypes)).chain(([s, dtype]) => {
    const n = s.reduce((p, d) => p * d, 1);
    return fc.array(value, { minLength: n, maxLength: n }).map((vs) =>
      dtype === 'int32' ? makeTensor(Int32Array.from(vs, (v) => (Number.isFinite(v) ? Math.trunc(v) : 0)), s, 'int32') : makeTensor(Float32Array.from(vs), s, 'float32'),
    );
  });
const axisArb = fc.integer({ min: -5, max: 4 });

type Call = { name: string; run: (b: Backend) => Promise<Tensor | readonly Tensor[]> };

const calls: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(fc.constantFrom('exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'relu', 'gelu', 'silu', 'neg'), tensorArb(shapeArb())).map(([op, x]) => ({
    name: `${op}(${x.dtype} [${x.shape}])`,
    run: (b: Backend) => (O as unknown as Record<string, (b: Backend, x: Tensor) => Promise<Tensor>>)[op]!(b, x),
  })),
  fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'div', 'maximum'), tensorArb(shapeArb(0, 3)), tensorArb(shapeArb(0, 3))).map(([op, x, y]) => ({
    name: `${op}([${x.shape}], [${y.shape}])`,
    run: (b: Backend) => (O as unknown as Record<string, (b: Backend, x: Tensor, y: Tensor) => Promise<Tensor>>)[op]!(b, x, y),
  })),
  fc.tuple(fc.constantFrom('sum', 'mean', 'max', 'min'), tensorArb(shapeArb()), fc.option(fc.array(axisArb, { maxLength: 3 }), { nil: undefined }), fc.boolean()).map(([op, x, axes, keepdims]) => ({
    name: `${op}([${x.shape}], ${JSON.stringify(axes)}, ${keepdims})`,
    run: (b: Backend) => (O as unknown as Record<string, (b: Backend, x: Tensor, a: unknown, o: unknown) => Promise<Tensor>>)[op]!(b, x, axes, { keepdims }),
  })),
  fc.tuple(tensorArb(shapeArb()), fc.option(axisArb, { nil: undefined })).map(([x, axis]) => ({ name: `argmax([${x.shape}], ${axis})`, run: (b: Backend) => O.argmax(b, x, axis) })),
  fc.tuple(fc.constantFrom('softmax', 'logSoftmax'), tensorArb(shapeArb()), axisArb).map(([op, x, axis]) => ({
    name: `${op}([${x.shape}], ${axis})`,
    run: (b: Backend) => (op === 'softmax' ? O.softmax(b, x, axis) : O.logSoftmax(b, x, axis)),
  })),
  fc.tuple(tensorArb(shapeArb(1, 3)), tensorArb(shapeArb(1, 3))).map(([x, y]) => ({ name: `matmul([${x.shape}], [${y.shape}])`, run: (b: Backend) => O.matmul(b, x, y) })),
  fc.tuple(tensorArb(shapeArb(1, 4)), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 }), fc.option(fc.double({ min: -1, max: 1e-3 }), { nil: undefined })).map(([x, ns, eps]) => ({
    name: `layerNorm([${x.shape}], [${ns}], eps ${eps})`,
    run: (b: Backend) => O.layerNorm(b, x, ns, eps === undefined ? {} : { eps }),
  })),
  fc.tuple(tensorArb(shapeArb(2, 4)), fc.integer({ min: 0, max: 4 })).map(([x, g]) => ({ name: `groupNorm([${x.shape}], ${g})`, run: (b: Backend) => O.groupNorm(b, x, g) })),
  fc.tuple(tensorArb(shapeArb(3, 4)), tensorArb(shapeArb(4, 4)), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 })).map(([x, w, padding, stride, groups]) => ({
    name: `conv2d([${x.shape}], [${w.shape}], p${padding} s${stride} g${groups})`,
    run: (b: Backend) => O.conv2d(b, x, w, { padding, stride, groups }),
  })),
  fc.tuple(tensorArb(shapeArb(3, 4)), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.constantFrom('max', 'avg')).map(([x, k, padding, ceilMode, op]) => ({
    name: `${op}Pool2d([${x.shape}], ${k}, p${padding}, ceil ${ceilMode})`,
    run: (b: Backend) => (op === 'max' ? O.maxPool2d(b, x, k, { padding, ceilMode }) : O.avgPool2d(b, x, k, { padding, ceilMode })),
  })),
  fc.tuple(tensorArb(shapeArb(1, 4)), fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 6 }), fc.constantFrom('constant', 'reflect', 'replicate')).map(([x, pads, mode]) => ({
    name: `pad([${x.shape}], [${pads}], ${mode})`,
    run: (b: Backend) => O.pad(b, x, pads, { mode: mode as never }),
  })),
);

// --- the property

type Outcome = { ok: readonly Tensor[] } | { error: CanopyError };

async function outcome(c: Call, b: Backend): Promise<Outcome> {
  try {
    const r = await c.run(b);
    return { ok: Array.isArray(r) ? (r as readonly Tensor[]) : [r as Tensor] };
  } catch (e) {
    if (!(e instanceof CanopyError)) throw new Error(`${c.name} on ${b.name}: expected a result or a CanopyError, got ${String(e)}`, { cause: e });
    return { error: e };
  }
}

describe('fuzz: every op gives the reference result or a CanopyError, on every backend', () => {
  it('random calls', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async (c) => {
        const want = await outcome(c, ref);
        for (const be of backends) {
          const got = await outcome(c, be);
          if ('error' in want) {
            expect('error' in got ? got.error.code : `a result for ${c.name}`).toBe(want.error.code);
          } else {
            if ('error' in got) throw new Error(`${c.name}: the reference gave a result, ${be.name} ${got.error.message}`);
            expect(got.ok.length).toBe(want.ok.length);
            got.ok.forEach((t, i) => expectClose(t, want.ok[i]!, 1e-4));
          }
        }
      }),
      { numRuns: Number(process.env.CANOPY_FUZZ_RUNS ?? 150) },
    );
  });
});
