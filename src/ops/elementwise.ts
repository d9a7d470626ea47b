// Elementwise ops with NumPy broadcasting, generated from the backend's primitive tables
// (tinygrad's mathtraits): one op per unary and binary primitive, under PyTorch's name, and the
// few derived ops (greater, where, clamp) written over them. Numbers are accepted as float32
// scalars, int32 inputs are cast to float32; a broadcasting error names the op and both shapes.

import { binaryOps, unaryOps, type Backend, type BinaryOp, type UnaryOp } from '../backend/Backend.ts';
import { broadcastShapes } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { asFloat, fail, type Operand } from './util.ts';

// --- model

/** An elementwise op of one operand: `(backend, x) => y`. */
export type UnaryFn = (b: Backend, x: Operand) => Promise<Tensor>;
/** An elementwise op of two broadcast operands: `(backend, x, y) => z`. */
export type BinaryFn = (b: Backend, x: Operand, y: Operand) => Promise<Tensor>;

// --- constructors

/** The op of unary primitive `op` (its errors name `op`). @internal */
export const unaryOp = (op: UnaryOp): UnaryFn => async (b, x) => b.unary(op, await asFloat(b, op, x));

/** The op of binary primitive `op`, its errors naming `name` (the user op, not the primitive). @internal */
export const binaryOp = (op: BinaryOp, name: string): BinaryFn => async (b, x, y) => {
  const [a, c] = [await asFloat(b, name, x), await asFloat(b, name, y)];
  broadcastShapes(a.shape, c.shape, name);
  return b.binary(op, a, c);
};

// The public op of each primitive (PyTorch's name), or null where the primitive is reached through
// another op (`prelu` is `leakyRelu`, src/ops/activation.ts). Complete by `satisfies`: a new
// primitive fails to compile here until it is given its op or none.
const unaryNames = {
  exp: 'exp', log: 'log', sqrt: 'sqrt', rsqrt: 'rsqrt', abs: 'abs', sin: 'sin', cos: 'cos', tanh: 'tanh', sigmoid: 'sigmoid', erf: 'erf',
  gelu: null, silu: null, // reached through the activations (src/ops/activation.ts)
} as const satisfies Record<UnaryOp, string | null>;
const binaryNames = {
  add: 'add', sub: 'sub', mul: 'mul', div: 'div', pow: 'pow',
  max: 'maximum', min: 'minimum', lt: 'less', eq: 'equal', prelu: null,
} as const satisfies Record<BinaryOp, string | null>;

type OpsOf<T extends Record<string, string | null>, F> = { readonly [K in keyof T as T[K] & string]: F };

function opsOf<P extends string, T extends Record<P, string | null>, F>(
  ops: readonly P[], names: T, make: (op: P, name: string) => F,
): OpsOf<T, F> {
  return Object.fromEntries(ops.flatMap((op) => (names[op] === null ? [] : [[names[op], make(op, names[op] as string)]]))) as OpsOf<T, F>;
}

// --- the ops

/**
 * One op per unary primitive, `op(b, x)`: `exp`, `log` (log 0 = -Infinity, of a negative NaN),
 * `sqrt`, `rsqrt` (`1/√x`), `abs`, `sin`, `cos` (radians), `tanh`, `sigmoid` (`1 / (1 + e^-x)`)
 * and `erf` (Gauss error function).
 *
 * @example
 * ```ts
 * import { exp, log, rsqrt, tanh, sigmoid, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await exp(b, fromArray([0]))); // [1]
 * toNested(await log(b, fromArray([1, 0]))); // [0, -Infinity]
 * toNested(await rsqrt(b, fromArray([4]))); // [0.5]
 * toNested(await tanh(b, fromArray([0, Infinity]))); // [0, 1]
 * toNested(await sigmoid(b, fromArray([0]))); // [0.5]
 * ```
 */
export const { exp, log, sqrt, rsqrt, abs, sin, cos, tanh, sigmoid, erf } = opsOf(unaryOps, unaryNames, unaryOp);

/**
 * One op per binary primitive, `op(b, x, y)` with broadcasting: `add`, `sub`, `mul`, `div`
 * (IEEE: 1/0 = Infinity, 0/0 = NaN), `pow` (C's `pow`, as `torch.pow`), `maximum` and `minimum`
 * (`torch.maximum`: NaN propagates), `less` and `equal` (1/0 as float32, NaN compares false).
 *
 * @example
 * ```ts
 * import { add, sub, div, pow, maximum, less, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await add(b, fromArray([[1], [2]]), fromArray([10, 20]))); // [[11, 21], [12, 22]]
 * toNested(await sub(b, fromArray([3, 4]), 1)); // [2, 3]
 * toNested(await div(b, fromArray([1, 2]), 2)); // [0.5, 1]
 * toNested(await pow(b, fromArray([2, 3]), 2)); // [4, 9]
 * toNested(await maximum(b, fromArray([1, 5]), 3)); // [3, 5]
 * toNested(await less(b, fromArray([1, 5]), 3)); // [1, 0]
 * ```
 */
export const { add, sub, mul, div, pow, maximum, minimum, less, equal } = opsOf(binaryOps, binaryNames, binaryOp);

// --- derived ops

const [negated, lessNamedGreater] = [binaryOp('mul', 'neg'), binaryOp('lt', 'greater')];

/**
 * `-x`, as `x · -1` (the same bits, one pass).
 *
 * @example
 * ```ts
 * import { neg, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await neg(b, fromArray([1, -2]))); // [-1, 2]
 * ```
 */
export const neg: UnaryFn = (b, x) => negated(b, x, -1);

/**
 * `x > y` as 1/0 float32 (NaN compares false): `less` with its operands swapped.
 *
 * @example
 * ```ts
 * import { greater, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await greater(b, fromArray([1, 5]), 3)); // [0, 1]
 * ```
 */
export const greater: BinaryFn = (b, x, y) => lessNamedGreater(b, y, x);

/**
 * `cond != 0 ? x : y` per element, all three broadcast (`torch.where`).
 *
 * @example
 * ```ts
 * import { where, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await where(b, fromArray([1, 0]), fromArray([1, 2]), -1)); // [1, -1]
 * ```
 */
export async function where(b: Backend, cond: Operand, x: Operand, y: Operand): Promise<Tensor> {
  const [c, a, d] = [await asFloat(b, 'where', cond, 'condition'), await asFloat(b, 'where', x), await asFloat(b, 'where', y)];
  broadcastShapes(broadcastShapes(c.shape, a.shape, 'where'), d.shape, 'where');
  return b.where(c, a, d);
}

const [clampMin, clampMax] = [binaryOp('max', 'clamp'), binaryOp('min', 'clamp')];

/**
 * Clamps into `[min, max]` (either bound optional; `torch.clamp`, NaN propagates).
 *
 * @example
 * ```ts
 * import { clamp, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await clamp(b, fromArray([-2, 0.5, 3]), 0, 1)); // [0, 0.5, 1]
 * ```
 */
export async function clamp(b: Backend, x: Operand, min?: number, max?: number): Promise<Tensor> {
  if (min === undefined && max === undefined) fail('argument', 'clamp', 'at least one of min and max must be given, got neither');
  let t = await asFloat(b, 'clamp', x);
  if (min !== undefined) t = await clampMin(b, t, min);
  if (max !== undefined) t = await clampMax(b, t, max);
  return t;
}
