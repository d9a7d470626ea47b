// Shape ops: reshape (with -1), transpose, permute, squeeze, unsqueeze, flatten, unflatten,
// broadcastTo. They keep the dtype.

import type { Backend } from '../backend/Backend.ts';
import { broadcastShapes, normalizeAxes, normalizeAxis, shapesEqual } from '../tensor/shape.ts';
import { sizeOf, type Tensor } from '../tensor/Tensor.ts';
import { checkTensor, fail, showShape } from './util.ts';

/** Resolves one `-1` in `shape` against `size`. @internal */
export function inferShape(op: string, shape: readonly number[], from: readonly number[]): number[] {
  const size = sizeOf(from);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    fail('shape', op, `shape must be non-negative integers with at most one -1, got ${showShape(shape)}`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  if (free === 1) {
    if (known === 0 || size % known !== 0) fail('shape', op, `cannot infer -1 in ${showShape(shape)} for input ${showShape(from)} of size ${size}`);
    return shape.map((d) => (d === -1 ? size / known : d));
  }
  if (known !== size) fail('shape', op, `new shape must have ${size} elements like input ${showShape(from)}, got ${showShape(shape)}`);
  return [...shape];
}

/**
 * Same elements under a new shape; one dimension may be `-1` (inferred).
 *
 * @example
 * ```ts
 * import { reshape, arange, referenceBackend as b } from 'canopy-nn';
 * (await reshape(b, arange(6), [2, -1])).shape; // [2, 3]
 * ```
 */
export async function reshape(b: Backend, x: Tensor, shape: readonly number[]): Promise<Tensor> {
  checkTensor('reshape', x);
  const s = inferShape('reshape', shape, x.shape);
  return shapesEqual(s, x.shape) ? x : b.reshape(x, s);
}

/**
 * Reorders axes: output axis `i` is input axis `dims[i]` (negative allowed).
 *
 * @example
 * ```ts
 * import { permute, zeros, referenceBackend as b } from 'canopy-nn';
 * (await permute(b, zeros([2, 3, 4]), [2, 0, 1])).shape; // [4, 2, 3]
 * ```
 */
export async function permute(b: Backend, x: Tensor, dims: readonly number[]): Promise<Tensor> {
  checkTensor('permute', x);
  const rank = x.shape.length;
  if (dims.length !== rank) fail('shape', 'permute', `dims must list all ${rank} axes of ${showShape(x.shape)}, got [${dims.join(',')}]`);
  const axes = dims.map((d) => normalizeAxis(d, rank, 'permute'));
  if (new Set(axes).size !== rank) fail('argument', 'permute', `dims must be a permutation, got [${dims.join(',')}]`);
  return axes.every((a, i) => a === i) ? x : b.permute(x, axes);
}

/**
 * The shape ops derived from `reshape` and `permute` (PyTorch's names and axis conventions):
 * `transpose` swaps two axes (the last two by default), `squeeze` removes size-1 axes, `unsqueeze`
 * inserts one, `flatten` merges a range of axes, `unflatten` splits one, `broadcastTo` expands.
 *
 * @example
 * ```ts
 * import { transpose, squeeze, unsqueeze, flatten, unflatten, broadcastTo, zeros, referenceBackend as b } from 'canopy-nn';
 * (await transpose(b, zeros([2, 3, 4]), 0, -1)).shape; // [4, 3, 2]
 * (await squeeze(b, zeros([1, 3, 1]))).shape; // [3]
 * (await squeeze(b, zeros([1, 3, 1]), 0)).shape; // [3, 1]
 * (await unsqueeze(b, zeros([3]), -1)).shape; // [3, 1]
 * (await flatten(b, zeros([2, 3, 4]), 1)).shape; // [2, 12]
 * (await unflatten(b, zeros([2, 12]), 1, [3, -1])).shape; // [2, 3, 4]
 * (await broadcastTo(b, zeros([3]), [2, 3])).shape; // [2, 3]
 * ```
 */
export async function transpose(b: Backend, x: Tensor, dim0 = -2, dim1 = -1): Promise<Tensor> {
  checkTensor('transpose', x);
  const rank = x.shape.length;
  const [a, c] = [normalizeAxis(dim0, rank, 'transpose'), normalizeAxis(dim1, rank, 'transpose')];
  const axes = Array.from({ length: rank }, (_, i) => (i === a ? c : i === c ? a : i));
  return permute(b, x, axes);
}

/** Removes size-1 axes: the given ones (each must have size 1) or all of them; see {@link transpose}. */
export async function squeeze(b: Backend, x: Tensor, axes?: number | readonly number[]): Promise<Tensor> {
  checkTensor('squeeze', x);
  const drop = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axes, x.shape.length, 'squeeze');
  for (const a of drop) {
    if (x.shape[a] !== 1) fail('shape', 'squeeze', `axis ${a} must have size 1, got ${showShape(x.shape)}`);
  }
  return reshape(b, x, x.shape.filter((_, i) => !drop.includes(i)));
}

/** Inserts a size-1 axis at `axis` (in `[-rank-1, rank]`, as `torch.unsqueeze`); see {@link transpose}. */
export async function unsqueeze(b: Backend, x: Tensor, axis: number): Promise<Tensor> {
  checkTensor('unsqueeze', x);
  const a = normalizeAxis(axis, x.shape.length + 1, 'unsqueeze');
  return reshape(b, x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Merges axes `startDim..endDim` (inclusive) into one; see {@link transpose}. */
export async function flatten(b: Backend, x: Tensor, startDim = 0, endDim = -1): Promise<Tensor> {
  checkTensor('flatten', x);
  if (x.shape.length === 0) return reshape(b, x, [1]);
  const rank = x.shape.length;
  const [s, e] = [normalizeAxis(startDim, rank, 'flatten'), normalizeAxis(endDim, rank, 'flatten')];
  if (s > e) fail('argument', 'flatten', `startDim must not come after endDim, got ${startDim} and ${endDim} for rank ${rank}`);
  return reshape(b, x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/** Splits axis `axis` into `sizes` (one may be `-1`); see {@link transpose}. */
export async function unflatten(b: Backend, x: Tensor, axis: number, sizes: readonly number[]): Promise<Tensor> {
  checkTensor('unflatten', x);
  const a = normalizeAxis(axis, x.shape.length, 'unflatten');
  const inner = inferShape('unflatten', sizes, [x.shape[a] ?? 0]);
  return reshape(b, x, [...x.shape.slice(0, a), ...inner, ...x.shape.slice(a + 1)]);
}

/** Broadcasts to `shape` (NumPy rules; materialises the copy); see {@link transpose}. */
export async function broadcastTo(b: Backend, x: Tensor, shape: readonly number[]): Promise<Tensor> {
  checkTensor('broadcastTo', x);
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(target, shape)) fail('shape', 'broadcastTo', `cannot broadcast ${showShape(x.shape)} to ${showShape(shape)}`);
  if (shapesEqual(x.shape, shape)) return x;
  const lifted = await b.reshape(x, [...shape.slice(0, shape.length - x.shape.length).map(() => 1), ...x.shape]);
  return b.expand(lifted, shape);
}
