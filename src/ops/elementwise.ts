// Elementwise ops with NumPy broadcasting: arithmetic, math functions, comparisons, where, clamp.
// Each is one primitive call (or a few); numbers are accepted as float32 scalars, int32 inputs are
// cast to float32. Broadcasting errors name the op and both shapes.

import type { Backend, BinaryOp, UnaryOp } from '../backend/Backend.ts';
import { broadcastShapes } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { asFloat, fail, type Operand } from './util.ts';

// --- binary

async function binaryOp(b: Backend, op: BinaryOp, name: string, x: Operand, y: Operand): Promise<Tensor> {
  const [a, c] = [await asFloat(b, name, x), await asFloat(b, name, y)];
  broadcastShapes(a.shape, c.shape, name); // the error names the user op, not the primitive
  return b.binary(op, a, c);
}

/**
 * `x + y` with broadcasting.
 *
 * @example
 * ```ts
 * import { add, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await add(b, fromArray([[1], [2]]), fromArray([10, 20]))); // [[11, 21], [12, 22]]
 * ```
 */
export async function add(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'add', 'add', x, y);
}

/**
 * `x - y` with broadcasting.
 *
 * @example
 * ```ts
 * import { sub, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await sub(b, fromArray([3, 4]), 1)); // [2, 3]
 * ```
 */
export async function sub(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'sub', 'sub', x, y);
}

/**
 * `x * y` with broadcasting.
 *
 * @example
 * ```ts
 * import { mul, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await mul(b, fromArray([1, 2]), 3)); // [3, 6]
 * ```
 */
export async function mul(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'mul', 'mul', x, y);
}

/**
 * `x / y` with broadcasting (IEEE: 1/0 = Infinity, 0/0 = NaN).
 *
 * @example
 * ```ts
 * import { div, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await div(b, fromArray([1, 2]), 2)); // [0.5, 1]
 * ```
 */
export async function div(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'div', 'div', x, y);
}

/**
 * `x ** y` with broadcasting (`torch.pow`: a negative base with a fractional exponent is NaN).
 *
 * @example
 * ```ts
 * import { pow, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await pow(b, fromArray([2, 3]), 2)); // [4, 9]
 * ```
 */
export async function pow(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'pow', 'pow', x, y);
}

/**
 * Elementwise maximum (`torch.maximum`: NaN propagates).
 *
 * @example
 * ```ts
 * import { maximum, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await maximum(b, fromArray([1, 5]), 3)); // [3, 5]
 * ```
 */
export async function maximum(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'max', 'maximum', x, y);
}

/**
 * Elementwise minimum (`torch.minimum`: NaN propagates).
 *
 * @example
 * ```ts
 * import { minimum, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await minimum(b, fromArray([1, 5]), 3)); // [1, 3]
 * ```
 */
export async function minimum(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'min', 'minimum', x, y);
}

/**
 * `x < y` as 1/0 float32 (NaN compares false).
 *
 * @example
 * ```ts
 * import { less, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await less(b, fromArray([1, 5]), 3)); // [1, 0]
 * ```
 */
export async function less(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'lt', 'less', x, y);
}

/**
 * `x > y` as 1/0 float32 (NaN compares false).
 *
 * @example
 * ```ts
 * import { greater, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await greater(b, fromArray([1, 5]), 3)); // [0, 1]
 * ```
 */
export async function greater(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'lt', 'greater', y, x);
}

/**
 * `x == y` as 1/0 float32.
 *
 * @example
 * ```ts
 * import { equal, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await equal(b, fromArray([1, 3]), 3)); // [0, 1]
 * ```
 */
export async function equal(b: Backend, x: Operand, y: Operand): Promise<Tensor> {
  return binaryOp(b, 'eq', 'equal', x, y);
}

// --- unary

async function unaryOp(b: Backend, op: UnaryOp, x: Operand): Promise<Tensor> {
  return b.unary(op, await asFloat(b, op, x));
}

/**
 * `-x`.
 *
 * @example
 * ```ts
 * import { neg, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await neg(b, fromArray([1, -2]))); // [-1, 2]
 * ```
 */
export async function neg(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'neg', x);
}

/**
 * `e ** x`.
 *
 * @example
 * ```ts
 * import { exp, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await exp(b, fromArray([0]))); // [1]
 * ```
 */
export async function exp(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'exp', x);
}

/**
 * Natural logarithm (log 0 = -Infinity, log of a negative = NaN).
 *
 * @example
 * ```ts
 * import { log, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await log(b, fromArray([1, 0]))); // [0, -Infinity]
 * ```
 */
export async function log(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'log', x);
}

/**
 * Square root.
 *
 * @example
 * ```ts
 * import { sqrt, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await sqrt(b, fromArray([4, 9]))); // [2, 3]
 * ```
 */
export async function sqrt(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'sqrt', x);
}

/**
 * `1 / sqrt(x)`.
 *
 * @example
 * ```ts
 * import { rsqrt, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await rsqrt(b, fromArray([4]))); // [0.5]
 * ```
 */
export async function rsqrt(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'rsqrt', x);
}

/**
 * Absolute value.
 *
 * @example
 * ```ts
 * import { abs, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await abs(b, fromArray([-1, 2]))); // [1, 2]
 * ```
 */
export async function abs(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'abs', x);
}

/**
 * Sine (radians).
 *
 * @example
 * ```ts
 * import { sin, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await sin(b, fromArray([0]))); // [0]
 * ```
 */
export async function sin(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'sin', x);
}

/**
 * Cosine (radians).
 *
 * @example
 * ```ts
 * import { cos, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await cos(b, fromArray([0]))); // [1]
 * ```
 */
export async function cos(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'cos', x);
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { tanh, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await tanh(b, fromArray([0, Infinity]))); // [0, 1]
 * ```
 */
export async function tanh(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'tanh', x);
}

/**
 * Logistic sigmoid `1 / (1 + e^-x)`.
 *
 * @example
 * ```ts
 * import { sigmoid, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await sigmoid(b, fromArray([0]))); // [0.5]
 * ```
 */
export async function sigmoid(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'sigmoid', x);
}

/**
 * Gauss error function.
 *
 * @example
 * ```ts
 * import { erf, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await erf(b, fromArray([0]))); // [0]
 * ```
 */
export async function erf(b: Backend, x: Operand): Promise<Tensor> {
  return unaryOp(b, 'erf', x);
}

// --- selection

/**
 * `cond != 0 ? x : y` per element, all three broadcast (`torch.where`).
 *
 * @example
 * ```ts
 * import { where, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await where(b, fromArray([1, 0]), fromArray([1, 2]), -1)); // [1, -1]
 * ```
 */
export async function where(b: Backend, cond: Operand, x: Operand, y: Operand): Promise<Tensor> {
  const [c, a, d] = [await asFloat(b, 'where', cond, 'condition'), await asFloat(b, 'where', x), await asFloat(b, 'where', y)];
  broadcastShapes(broadcastShapes(c.shape, a.shape, 'where'), d.shape, 'where');
  return b.where(c, a, d);
}

/**
 * Clamps into `[min, max]` (either bound optional; `torch.clamp`, NaN propagates).
 *
 * @example
 * ```ts
 * import { clamp, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await clamp(b, fromArray([-2, 0.5, 3]), 0, 1)); // [0, 0.5, 1]
 * ```
 */
export async function clamp(b: Backend, x: Operand, min?: number, max?: number): Promise<Tensor> {
  if (min === undefined && max === undefined) fail('argument', 'clamp', 'at least one of min and max must be given, got neither');
  let t = await asFloat(b, 'clamp', x);
  if (min !== undefined) t = await b.binary('max', t, await asFloat(b, 'clamp', min));
  if (max !== undefined) t = await b.binary('min', t, await asFloat(b, 'clamp', max));
  return t;
}
