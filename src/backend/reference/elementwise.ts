// Reference elementwise primitives: unary, binary (NumPy broadcasting), where, cast.
// Each element is computed in float64 by the JavaScript Math functions and rounded once to float32.

import type { BinaryOp, UnaryOp } from '../Backend.ts';
import { broadcastShapes, broadcastStrides } from '../../tensor/shape.ts';
import type { DType, Tensor } from '../../tensor/Tensor.ts';
import { alloc, check, checkFloat, coordsOf, offsetOf, sizeOf, wrap } from './util.ts';

// --- erf

/**
 * Gauss error function to about 1e-14: Taylor series for |x| < 3 (at most ~4 digits of
 * cancellation), continued fraction of erfc beyond.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  if (a > 10) return Math.sign(x);
  // erfc(a) = exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...))))
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/**
 * `x ** y` as C's (and PyTorch's) `pow`. JavaScript's Math.pow differs in exactly three places,
 * all NaN where C gives 1: `pow(1, NaN)` and `pow(±1, ±Infinity)`; `pow(x, ±0) = 1` already agrees.
 */
export function cPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

// --- tables

/** The specification of each unary primitive, in float64. */
export const unaryFns = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  erf,
  gelu: (v) => 0.5 * v * (1 + erf(v * Math.SQRT1_2)),
  silu: (v) => v / (1 + Math.exp(-v)),
} as const satisfies Record<UnaryOp, (v: number) => number>;

/** The specification of each binary primitive, in float64 (NaN propagates through max/min; pow is C's). */
export const binaryFns = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: cPow, // C pow, as torch: pow(1, NaN) = pow(-1, ±Inf) = 1 where Math.pow gives NaN
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  lt: (a, b) => (a < b ? 1 : 0),
  eq: (a, b) => (a === b ? 1 : 0),
  prelu: (a, b) => (a > 0 ? a : a * b),
} as const satisfies Record<BinaryOp, (a: number, b: number) => number>;

// --- primitives

export function unary(op: UnaryOp, x: Tensor): Tensor {
  checkFloat(x, 'unary');
  const f = unaryFns[op];
  const out = new Float32Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = f(x.data[i] ?? 0);
  return wrap(out, x.shape);
}

/** Reads several tensors broadcast to a common shape and writes `f` of their values. */
function broadcastMap(primitive: string, xs: readonly Tensor[], f: (vs: number[]) => number): Tensor {
  let shape: readonly number[] = [];
  for (const x of xs) shape = broadcastShapes(shape, x.shape, `reference.${primitive}`);
  const strides = xs.map((x) => broadcastStrides(x.shape, shape));
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  const coords = new Array<number>(shape.length).fill(0);
  const vs = new Array<number>(xs.length).fill(0);
  for (let i = 0; i < n; i++) {
    coordsOf(i, shape, coords);
    for (let k = 0; k < xs.length; k++) vs[k] = xs[k]?.data[offsetOf(coords, strides[k] ?? [])] ?? 0;
    out[i] = f(vs);
  }
  return wrap(out, shape);
}

export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  checkFloat(a, 'binary');
  checkFloat(b, 'binary');
  const f = binaryFns[op];
  return broadcastMap('binary', [a, b], (vs) => f(vs[0] ?? 0, vs[1] ?? 0));
}

export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  checkFloat(a, 'where');
  checkFloat(b, 'where');
  return broadcastMap('where', [cond, a, b], (vs) => (vs[0] !== 0 ? (vs[1] ?? 0) : (vs[2] ?? 0)));
}

export function cast(x: Tensor, dtype: DType): Tensor {
  check(dtype === 'float32' || dtype === 'int32', 'cast', () => `dtype must be float32 or int32, got ${String(dtype)}`);
  if (x.dtype === dtype) return x;
  const out = alloc(dtype, x.size);
  for (let i = 0; i < x.size; i++) out[i] = dtype === 'int32' ? Math.trunc(x.data[i] ?? 0) : (x.data[i] ?? 0);
  return wrap(out, x.shape);
}
