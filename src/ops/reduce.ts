// Reductions over axes with keepdims: one op per reduce primitive (sum, max, min), and mean,
// variance and argmax.
// `axes` undefined reduces every axis; negative axes count from the end.

import { reduceOps, type Backend, type ReduceOp } from '../backend/Backend.ts';
import { normalizeAxis, reductionAxes } from '../tensor/shape.ts';
import { sizeOf, type Tensor } from '../tensor/Tensor.ts';
import { div, mul, sub } from './elementwise.ts';
import { checkOptionKeys } from './checkArgs.ts';
import { asFloat, fail, showShape, type Operand } from './util.ts';

/** Options of the reductions. */
export interface ReduceOptions {
  /** Keep reduced axes as size 1. Default `false`. */
  readonly keepdims?: boolean;
}

/** Options of {@link variance}. */
export interface VarOptions extends ReduceOptions {
  /** Divide by `n - 1` (Bessel's correction) rather than `n`. Default `true` (as `torch.var`). */
  readonly unbiased?: boolean;
}

/** Axes given to a reduction: one axis, several, or `undefined` for all. */
export type Axes = number | readonly number[] | undefined;

/** A reduction: `(backend, x, axes?, options?) => y`. */
export type ReduceFn = (b: Backend, x: Operand, axes?: Axes, options?: ReduceOptions) => Promise<Tensor>;

/** The op of reduce primitive `op`; `max`/`min` of an empty axis is an error (no identity). */
const reduceOp = (op: ReduceOp): ReduceFn => async (b, x, axes, options = {}) => {
  checkOptionKeys(op, options, ['keepdims']);
  const t = await asFloat(b, op, x);
  const ax = reductionAxes(axes, t.shape.length, op);
  if (op !== 'sum' && ax.some((a) => t.shape[a] === 0)) {
    fail('shape', op, `reduced axes must be non-empty, got axes [${ax.join(',')}] of ${showShape(t.shape)}`);
  }
  return b.reduce(op, t, ax, options.keepdims ?? false);
};

/**
 * One op per reduce primitive, `op(b, x, axes?, { keepdims })` over `axes` (all by default):
 * `sum`, `max` and `min` (NaN propagates; empty axes are an error).
 *
 * @example
 * ```ts
 * import { sum, max, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await sum(b, fromArray([[1, 2], [3, 4]]), 1)); // [3, 7]
 * toNested(await sum(b, fromArray([[1, 2], [3, 4]]))); // 10
 * toNested(await max(b, fromArray([[1, 5], [3, 4]]), -1, { keepdims: true })); // [[5], [4]]
 * ```
 */
export const { sum, max, min } = Object.fromEntries(reduceOps.map((op) => [op, reduceOp(op)])) as Record<ReduceOp, ReduceFn>;

/** The number of elements reduced over `axes` of `t`, as a float32 scalar divisor. */
const countOf = (t: Tensor, axes: readonly number[]): number => sizeOf(axes.map((a) => t.shape[a] ?? 1));

/**
 * Mean over `axes`: `sum / n` (an empty reduction gives NaN, as PyTorch).
 *
 * @example
 * ```ts
 * import { mean, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await mean(b, fromArray([[1, 2], [3, 4]]), 0, { keepdims: true })); // [[2, 3]]
 * ```
 */
export async function mean(b: Backend, x: Operand, axes?: Axes, options: ReduceOptions = {}): Promise<Tensor> {
  checkOptionKeys('mean', options, ['keepdims']);
  const t = await asFloat(b, 'mean', x);
  const ax = reductionAxes(axes, t.shape.length, 'mean');
  return div(b, await b.reduce('sum', t, ax, options.keepdims ?? false), countOf(t, ax));
}

/**
 * Variance over `axes`, two-pass (`torch.var`; unbiased by default, NaN when `n - 1 = 0`).
 *
 * @example
 * ```ts
 * import { variance, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await variance(b, fromArray([1, 2, 3, 4]))); // 1.6666666269302368
 * toNested(await variance(b, fromArray([1, 2, 3, 4]), 0, { unbiased: false })); // 1.25
 * ```
 */
export async function variance(b: Backend, x: Operand, axes?: Axes, options: VarOptions = {}): Promise<Tensor> {
  checkOptionKeys('var', options, ['keepdims', 'unbiased']);
  const t = await asFloat(b, 'var', x);
  const ax = reductionAxes(axes, t.shape.length, 'var');
  const n = countOf(t, ax);
  const d = await sub(b, t, await mean(b, t, ax, { keepdims: true }));
  const ss = await b.reduce('sum', await mul(b, d, d), ax, options.keepdims ?? false);
  return div(b, ss, (options.unbiased ?? true) ? n - 1 : n);
}

/**
 * Index of the first maximum along `axis` as int32; without `axis`, over the flattened tensor
 * (as `torch.argmax`). A NaN counts as the maximum.
 *
 * @example
 * ```ts
 * import { argmax, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await argmax(b, fromArray([[1, 5], [7, 4]]), 1)); // [1, 0]
 * toNested(await argmax(b, fromArray([[1, 5], [7, 4]]))); // 2
 * ```
 */
export async function argmax(b: Backend, x: Operand, axis?: number, options: ReduceOptions = {}): Promise<Tensor> {
  checkOptionKeys('argmax', options, ['keepdims']);
  let t = await asFloat(b, 'argmax', x);
  let ax = 0;
  // A 0-d tensor takes axis 0 or -1, as PyTorch (its argmax is 0): it is flattened like no axis.
  if (axis !== undefined && t.shape.length === 0) reductionAxes(axis, 0, 'argmax');
  const flat = axis === undefined || t.shape.length === 0;
  if (flat) t = await b.reshape(t, [t.size]);
  else ax = normalizeAxis(axis, t.shape.length, 'argmax');
  if ((t.shape[ax] ?? 0) === 0) fail('shape', 'argmax', `axis must be non-empty, got axis ${ax} of ${showShape(t.shape)}`);
  const keep = options.keepdims ?? false;
  if (flat) {
    const r = await b.argmax(t, 0, false);
    return keep ? b.reshape(r, (typeof x === 'number' ? [] : x.shape).map(() => 1)) : r;
  }
  return b.argmax(t, ax, keep);
}
