// Reductions over axes with keepdims: sum, mean, max, min, var, argmax.
// `axes` undefined reduces every axis; negative axes count from the end.

import type { Backend, ReduceOp } from '../backend/Backend.ts';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.ts';
import { sizeOf, type Tensor } from '../tensor/Tensor.ts';
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

async function reduceOp(b: Backend, op: ReduceOp, name: string, x: Operand, axes: Axes, options: ReduceOptions): Promise<Tensor> {
  const t = await asFloat(b, name, x);
  const ax = normalizeAxes(axes, t.shape.length, name);
  if (op !== 'sum' && ax.some((a) => t.shape[a] === 0)) {
    fail('shape', name, `reduced axes must be non-empty, got axes [${ax.join(',')}] of ${showShape(t.shape)}`);
  }
  return b.reduce(op, t, ax, options.keepdims ?? false);
}

/**
 * Sum over `axes` (all by default).
 *
 * @example
 * ```ts
 * import { sum, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await sum(b, fromArray([[1, 2], [3, 4]]), 1)); // [3, 7]
 * toNested(await sum(b, fromArray([[1, 2], [3, 4]]))); // 10
 * ```
 */
export async function sum(b: Backend, x: Operand, axes?: Axes, options: ReduceOptions = {}): Promise<Tensor> {
  return reduceOp(b, 'sum', 'sum', x, axes, options);
}

/**
 * Mean over `axes` (an empty reduction gives NaN, as PyTorch).
 *
 * @example
 * ```ts
 * import { mean, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await mean(b, fromArray([[1, 2], [3, 4]]), 0, { keepdims: true })); // [[2, 3]]
 * ```
 */
export async function mean(b: Backend, x: Operand, axes?: Axes, options: ReduceOptions = {}): Promise<Tensor> {
  const t = await asFloat(b, 'mean', x);
  const ax = normalizeAxes(axes, t.shape.length, 'mean');
  const n = sizeOf(ax.map((a) => t.shape[a] ?? 1));
  const s = await b.reduce('sum', t, ax, options.keepdims ?? false);
  return b.binary('div', s, await asFloat(b, 'mean', n));
}

/**
 * Maximum over `axes` (NaN propagates; empty axes are an error).
 *
 * @example
 * ```ts
 * import { max, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await max(b, fromArray([[1, 5], [3, 4]]), -1)); // [5, 4]
 * ```
 */
export async function max(b: Backend, x: Operand, axes?: Axes, options: ReduceOptions = {}): Promise<Tensor> {
  return reduceOp(b, 'max', 'max', x, axes, options);
}

/**
 * Minimum over `axes` (NaN propagates; empty axes are an error).
 *
 * @example
 * ```ts
 * import { min, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await min(b, fromArray([[1, 5], [3, 4]]), -1)); // [1, 3]
 * ```
 */
export async function min(b: Backend, x: Operand, axes?: Axes, options: ReduceOptions = {}): Promise<Tensor> {
  return reduceOp(b, 'min', 'min', x, axes, options);
}

/**
 * Variance over `axes`, two-pass (`torch.var`; unbiased by default, NaN when `n - 1 = 0`).
 *
 * @example
 * ```ts
 * import { variance, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await variance(b, fromArray([1, 2, 3, 4]))); // 1.6666666269302368
 * toNested(await variance(b, fromArray([1, 2, 3, 4]), 0, { unbiased: false })); // 1.25
 * ```
 */
export async function variance(b: Backend, x: Operand, axes?: Axes, options: VarOptions = {}): Promise<Tensor> {
  const t = await asFloat(b, 'var', x);
  const ax = normalizeAxes(axes, t.shape.length, 'var');
  const n = sizeOf(ax.map((a) => t.shape[a] ?? 1));
  const m = await b.binary('div', await b.reduce('sum', t, ax, true), await asFloat(b, 'var', n));
  const d = await b.binary('sub', t, m);
  const ss = await b.reduce('sum', await b.binary('mul', d, d), ax, options.keepdims ?? false);
  const denom = (options.unbiased ?? true) ? n - 1 : n;
  return b.binary('div', ss, await asFloat(b, 'var', denom));
}

/**
 * Index of the first maximum along `axis` as int32; without `axis`, over the flattened tensor
 * (as `torch.argmax`). A NaN counts as the maximum.
 *
 * @example
 * ```ts
 * import { argmax, fromArray, referenceBackend as b, toNested } from 'canopy';
 * toNested(await argmax(b, fromArray([[1, 5], [7, 4]]), 1)); // [1, 0]
 * toNested(await argmax(b, fromArray([[1, 5], [7, 4]]))); // 2
 * ```
 */
export async function argmax(b: Backend, x: Operand, axis?: number, options: ReduceOptions = {}): Promise<Tensor> {
  let t = await asFloat(b, 'argmax', x);
  let ax = 0;
  if (axis === undefined) t = await b.reshape(t, [t.size]);
  else ax = normalizeAxis(axis, t.shape.length, 'argmax');
  if ((t.shape[ax] ?? 0) === 0) fail('shape', 'argmax', `axis must be non-empty, got axis ${ax} of ${showShape(t.shape)}`);
  const keep = options.keepdims ?? false;
  if (axis === undefined) {
    const r = await b.argmax(t, 0, false);
    return keep ? b.reshape(r, (typeof x === 'number' ? [] : x.shape).map(() => 1)) : r;
  }
  return b.argmax(t, ax, keep);
}
