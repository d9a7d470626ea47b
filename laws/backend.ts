// Backend laws: any Backend must agree with the reference backend on every primitive, and must
// not mutate its inputs. Pure predicates (`agreesWithReference`) plus the fast-check properties
// that drive them (`backendProperties`, `backendAgreesWithReference`), for the gpu.js backend's
// tests and for users writing their own backend.

import fc from 'fast-check';
import {
  binaryOps, unaryOps, type Backend, type BinaryOp, type PadMode, type ReduceOp, type Step, type UnaryOp,
} from '../src/backend/Backend.ts';
import { referenceBackend } from '../src/backend/reference/index.ts';
import { fromTypedArray, makeTensor, showShape, sizeOf, type Tensor } from '../src/tensor/index.ts';

// --- model

/** Tolerances and sizes of the backend laws. */
export interface BackendLawOptions {
  /** Relative tolerance against the reference. Default `1e-4`. */
  readonly rtol?: number;
  /** Absolute tolerance, multiplied by `max(1, max |reference output|)`. Default `1e-5`. */
  readonly atol?: number;
  /** Runs per property. Default `30`. */
  readonly numRuns?: number;
  /** Largest dimension in random shapes. Default `5`. */
  readonly maxDim?: number;
}

/** One primitive call, made on any backend. */
export type PrimitiveCall = (b: Backend) => Step<Tensor>;

// --- predicates

/**
 * Runs `call` on `backend` and on the reference; returns `undefined` when they agree (same shape
 * and dtype; values within tolerance scaled to magnitude; NaN where the reference has NaN; equal
 * infinities) and the inputs are unchanged, else a description of the first difference.
 *
 * @example
 * ```ts
 * import { agreesWithReference } from 'canopy-nn/laws';
 * import { fromArray, referenceBackend } from 'canopy-nn';
 * const x = fromArray([1, 2]);
 * await agreesWithReference(referenceBackend, (b) => b.unary('exp', x), [x]); // undefined
 * ```
 */
export async function agreesWithReference(
  backend: Backend,
  call: PrimitiveCall,
  inputs: readonly Tensor[] = [],
  options: BackendLawOptions = {},
): Promise<string | undefined> {
  const { rtol = 1e-4, atol = 1e-5 } = options;
  const before = inputs.map((t) => Array.from(t.data));
  const want = await call(referenceBackend);
  const got = await call(backend);
  for (const [i, t] of inputs.entries()) {
    const b = before[i] ?? [];
    if (t.data.some((v, k) => !Object.is(v, b[k]))) return `${backend.name}: input ${i} ${showShape(t.shape)} was mutated`;
  }
  if (got.dtype !== want.dtype || got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return `${backend.name}: got ${showShape(got.shape)} ${got.dtype}, reference ${showShape(want.shape)} ${want.dtype}`;
  }
  let scale = 1;
  for (const v of want.data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.size; i++) {
    const w = want.data[i] ?? 0;
    const g = got.data[i] ?? 0;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= atol * scale + rtol * Math.abs(w);
    if (!ok) return `${backend.name}: element ${i} of ${showShape(want.shape)} is ${g}, reference ${w}`;
  }
  return undefined;
}

// --- arbitraries

const values = (n: number, lo = -3, hi = 3): fc.Arbitrary<Float32Array> =>
  fc.array(fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true }), { minLength: n, maxLength: n }).map((v) => Float32Array.from(v));

const tensorArb = (shape: readonly number[], lo?: number, hi?: number): fc.Arbitrary<Tensor> =>
  values(sizeOf(shape), lo, hi).map((d) => makeTensor(d, shape, 'float32'));

const shapeArb = (minRank: number, maxRank: number, maxDim: number): fc.Arbitrary<number[]> =>
  fc.integer({ min: minRank, max: maxRank }).chain((r) => fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: r, maxLength: r }));

const randomTensor = (minRank: number, maxRank: number, maxDim: number, lo?: number, hi?: number): fc.Arbitrary<Tensor> =>
  shapeArb(minRank, maxRank, maxDim).chain((s) => tensorArb(s, lo, hi));

/** A deterministic large tensor (for sizes above gpu.js's default loop limit of 1000). */
function big(shape: readonly number[], seed: number): Tensor {
  const d = new Float32Array(sizeOf(shape));
  let s = seed >>> 0 || 1;
  for (let i = 0; i < d.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    d[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return makeTensor(d, shape, 'float32');
}

// --- properties

/**
 * Fast-check properties, one per primitive (unary and binary ops one each), comparing `backend`
 * with the reference on random small shapes (including 1 and odd sizes), plus `large` cases whose
 * reduced or contracted axes exceed 1000.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { backendProperties } from 'canopy-nn/laws';
 * import { referenceBackend } from 'canopy-nn';
 * const props = backendProperties(referenceBackend);
 * await fc.assert(props['unary.exp']!, { numRuns: 5 });
 * ```
 */
export function backendProperties(backend: Backend, options: BackendLawOptions = {}): Record<string, fc.IAsyncProperty<never>> {
  const m = options.maxDim ?? 5;
  const props: Record<string, fc.IAsyncProperty<never>> = {};
  const law = <T extends unknown[]>(name: string, arb: fc.Arbitrary<T>, make: (...a: T) => [PrimitiveCall, Tensor[]]): void => {
    props[name] = fc.asyncProperty(arb, async (args) => {
      const [call, inputs] = make(...args);
      const problem = await agreesWithReference(backend, call, inputs, options);
      if (problem !== undefined) throw new Error(`${name}: ${problem}`);
    }) as unknown as fc.IAsyncProperty<never>;
  };

  const positive: readonly UnaryOp[] = ['log', 'sqrt', 'rsqrt'];
  for (const op of unaryOps) {
    law(`unary.${op}`, fc.tuple(randomTensor(0, 4, m, positive.includes(op) ? 0.01 : -4, 4)), (x) => [(b) => b.unary(op, x), [x]]);
  }
  const pair = shapeArb(0, 4, m).chain((s) =>
    fc.tuple(fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.nat(s.length)).chain(([ones, drop]) =>
      fc.tuple(tensorArb(s, 0.1, 3), tensorArb(s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)), -3, 3)),
    ),
  );
  for (const op of binaryOps) law(`binary.${op}`, pair, (a, c) => [(b) => b.binary(op as BinaryOp, a, c), [a, c]]);
  law('where', pair, (a, c) => [(b) => b.where(c, a, c), [a, c]]);
  law('cast', fc.tuple(randomTensor(0, 3, m, -100, 100)), (x) => [(b) => b.cast(x, 'int32'), [x]]);

  const withAxes = randomTensor(1, 4, m).chain((x) => fc.tuple(fc.constant(x), fc.subarray(x.shape.map((_, i) => i), { minLength: 1 }), fc.boolean()));
  for (const op of ['sum', 'max', 'min'] as const satisfies readonly ReduceOp[]) {
    law(`reduce.${op}`, withAxes, (x, axes, keep) => [(b) => b.reduce(op, x, axes, keep), [x]]);
  }
  law('argmax', withAxes, (x, axes, keep) => [(b) => b.argmax(x, axes[0] ?? 0, keep), [x]]);
  law('reshape', fc.tuple(randomTensor(0, 4, m)), (x) => [(b) => b.reshape(x, [x.size]), [x]]);
  law('permute', randomTensor(1, 4, m).chain((x) => fc.tuple(fc.constant(x), fc.shuffledSubarray(x.shape.map((_, i) => i), { minLength: x.shape.length }))), (x, axes) => [(b) => b.permute(x, axes), [x]]);
  law('expand', shapeArb(1, 4, m).chain((target) => fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }).chain((ones) =>
    fc.tuple(fc.constant(target), tensorArb(target.map((d, i) => (ones[i] ? 1 : d)))))), (target, x) => [(b) => b.expand(x, target), [x]]);
  law('slice', randomTensor(1, 4, m).chain((x) => fc.tuple(fc.constant(x), fc.array(fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0), fc.nat()), { minLength: x.shape.length, maxLength: x.shape.length }))), (x, specs) => {
    const starts = specs.map(([s], a) => s % (x.shape[a] ?? 1));
    const steps = specs.map(([, st]) => st);
    const shape = specs.map(([, st, c], a) => {
      const room = st > 0 ? Math.floor(((x.shape[a] ?? 1) - 1 - (starts[a] ?? 0)) / st) + 1 : Math.floor((starts[a] ?? 0) / -st) + 1;
      return c % (room + 1);
    });
    return [(b) => b.slice(x, starts, steps, shape), [x]];
  });
  law('pad', randomTensor(1, 3, m).chain((x) => fc.tuple(fc.constant(x), fc.constantFrom<PadMode>('constant', 'reflect', 'replicate'), fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: x.shape.length, maxLength: x.shape.length }))), (x, mode, raw) => {
    const pads = raw.map(([p, q], a) => (mode === 'reflect' ? ([Math.min(p, (x.shape[a] ?? 1) - 1), Math.min(q, (x.shape[a] ?? 1) - 1)] as const) : ([p, q] as const)));
    return [(b) => b.pad(x, pads, mode, mode === 'constant' ? -Infinity : 0), [x]];
  });
  law('concat', shapeArb(1, 3, m).chain((s) => fc.tuple(fc.nat(s.length - 1), fc.array(fc.integer({ min: 1, max: m }), { minLength: 1, maxLength: 3 })).chain(([axis, sizes]) =>
    fc.tuple(fc.constant(axis), fc.tuple(...sizes.map((n) => tensorArb(s.map((d, i) => (i === axis ? n : d)))))))), (axis, xs) => [(b) => b.concat(xs, axis), xs]);
  law('matmul', fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 * m }), fc.integer({ min: 1, max: 2 * m }), fc.integer({ min: 1, max: 2 * m })).chain(([B, M, K, N]) => fc.tuple(tensorArb([B, M, K]), tensorArb([B, K, N]))), (a, c) => [(b) => b.matmul(a, c), [a, c]]);
  const conv = fc.record({ n: fc.integer({ min: 1, max: 2 }), g: fc.integer({ min: 1, max: 2 }), cg: fc.integer({ min: 1, max: 3 }), og: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 3, max: 7 }), w: fc.integer({ min: 3, max: 7 }), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), d: fc.integer({ min: 1, max: 2 }), p: fc.nat(1) });
  law('conv2d', conv.chain((c) => fc.tuple(fc.constant(c), tensorArb([c.n, c.cg * c.g, c.h, c.w]), tensorArb([c.og * c.g, c.cg, c.k, c.k]))), (c, x, w) =>
    [(b) => b.conv2d(x, w, { stride: [c.s, c.s], dilation: [c.d, 1], padding: [c.p, 0, c.p, 1], groups: c.g }), [x, w]]);
  law('convTranspose2d', conv.chain((c) => fc.tuple(fc.constant(c), tensorArb([c.n, c.cg * c.g, c.h, c.w]), tensorArb([c.cg * c.g, c.og, c.k, c.k]))), (c, x, w) =>
    [(b) => b.convTranspose2d(x, w, { stride: [c.s, c.s], dilation: [c.d, 1], padding: [0, 0], outputPadding: [c.s - 1, 0], groups: c.g }), [x, w]]);
  law('pool2d', fc.tuple(fc.constantFrom<'max' | 'avg'>('max', 'avg'), fc.boolean(), fc.integer({ min: 1, max: 3 }), fc.nat(1), tensorArb([2, 2, 5, 6])), (op, inc, k, p, x) => {
    const pad = Math.min(p, Math.floor(k / 2));
    const out = (n: number) => Math.floor((n + 2 * pad - k) / k) + 1;
    return [(b) => b.pool2d(op, x, { kernel: [k, k], stride: [k, k], padding: [pad, pad], outShape: [out(5), out(6)], countIncludePad: inc }), [x]];
  });
  law('gather', randomTensor(1, 3, m).chain((x) => fc.tuple(fc.constant(x), fc.nat(x.shape.length - 1), fc.array(fc.nat(100), { minLength: 1, maxLength: 6 }))), (x, axis, raw) => {
    const idx = fromTypedArray(Int32Array.from(raw.map((v) => v % (x.shape[axis] ?? 1))), [raw.length]);
    return [(b) => b.gather(x, idx, axis), [x, idx]];
  });
  // Sizes above 1000 along reduced / contracted axes: gpu.js silently cuts loops bounded by an
  // argument at loopMaxIterations (default 1000).
  law('large', fc.tuple(fc.constantFrom('sum', 'matmul', 'conv2d', 'avgpool'), fc.nat(1000)), (which, seed) => {
    if (which === 'sum') {
      const x = big([3, 2500], seed);
      return [(b) => b.reduce('sum', x, [1], false), [x]];
    }
    if (which === 'matmul') {
      const a = big([1, 4, 1500], seed);
      const c = big([1, 1500, 3], seed + 1);
      return [(b) => b.matmul(a, c), [a, c]];
    }
    if (which === 'conv2d') {
      const x = big([1, 128, 4, 4], seed);
      const w = big([2, 128, 3, 3], seed + 1);
      return [(b) => b.conv2d(x, w, { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }), [x, w]];
    }
    const x = big([1, 1, 40, 40], seed);
    return [(b) => b.pool2d('avg', x, { kernel: [40, 40], stride: [40, 40], padding: [0, 0], outShape: [1, 1], countIncludePad: true }), [x]];
  });
  return props;
}

/**
 * Asserts every backend law (throws with fast-check's report on the first failure).
 *
 * @example
 * ```ts
 * import { backendAgreesWithReference } from 'canopy-nn/laws';
 * import { referenceBackend } from 'canopy-nn';
 * await backendAgreesWithReference(referenceBackend, { numRuns: 3 });
 * ```
 */
export async function backendAgreesWithReference(backend: Backend, options: BackendLawOptions = {}): Promise<void> {
  for (const [name, prop] of Object.entries(backendProperties(backend, options))) {
    try {
      await fc.assert(prop, { numRuns: name === 'large' ? 4 : (options.numRuns ?? 30) });
    } catch (e) {
      throw new Error(`backend law ${name} failed for ${backend.name}`, { cause: e });
    }
  }
}
