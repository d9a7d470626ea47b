// Shape arithmetic shared by tensors, backends and ops: broadcasting, strides, axis normalisation.

import { CanopyError } from '../errors.ts';
import { showShape } from './Tensor.ts';

// --- broadcasting

/**
 * NumPy broadcasting of two shapes (right-aligned; a dimension of 1 stretches).
 * Throws a shape CanopyError naming `op` and both shapes when they do not broadcast.
 *
 * @example
 * ```ts
 * import { broadcastShapes } from 'canopy-nn';
 * broadcastShapes([2, 1, 3], [4, 1], 'add'); // [2, 4, 3]
 * ```
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new CanopyError('shape', `${op}: shapes must broadcast, got ${showShape(a)} and ${showShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

// --- strides

/**
 * Row-major strides of a shape (elements, not bytes).
 *
 * @example
 * ```ts
 * import { stridesOf } from './shape.ts';
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 * ```
 * @internal
 */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] ?? 1;
  }
  return s;
}

/**
 * Strides for reading a tensor of `shape` as if broadcast to `target` (stride 0 on stretched or
 * missing leading axes). `target` must be a broadcast of `shape`.
 *
 * @example
 * ```ts
 * import { broadcastStrides } from './shape.ts';
 * broadcastStrides([3], [2, 3]); // [0, 1]
 * ```
 * @internal
 */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const off = target.length - shape.length;
  return target.map((_, i) => {
    const j = i - off;
    if (j < 0) return 0;
    return shape[j] === 1 ? 0 : (own[j] ?? 0);
  });
}

// --- axes

/**
 * Resolves a possibly negative axis against `rank` (Python style), with an error naming `op`.
 *
 * @example
 * ```ts
 * import { normalizeAxis } from 'canopy-nn';
 * normalizeAxis(-1, 3, 'softmax'); // 2
 * ```
 */
export function normalizeAxis(axis: number, rank: number, op = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const range = rank === 0 ? 'no valid axis for a rank-0 tensor' : `axis must be in [${-rank}, ${rank - 1}]`;
    throw new CanopyError('argument', `${op}: ${range}, got axis ${axis} for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves a list of axes (or all axes when `undefined`) to sorted distinct non-negative axes;
 * a repeated axis is an error.
 *
 * @example
 * ```ts
 * import { normalizeAxes } from './shape.ts';
 * normalizeAxes([-1, 0], 3, 'sum'); // [0, 2]
 * ```
 * @internal
 */
export function normalizeAxes(axes: number | readonly number[] | undefined, rank: number, op = 'axes'): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(a, rank, op)).sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) {
      throw new CanopyError('argument', `${op}: axes must be distinct, got [${list.join(',')}] for rank ${rank}`);
    }
  }
  return out;
}

/**
 * The axes a reduction (sum, mean, softmax, ...) runs over: {@link normalizeAxes}, except that a
 * 0-d tensor accepts axis 0 or -1 and reduces over no axis, as PyTorch (which wraps a scalar's dim
 * as if it had rank 1: `torch.sum(torch.tensor(3.), 0)` is 3).
 *
 * @example
 * ```ts
 * import { reductionAxes } from './shape.ts';
 * reductionAxes(-1, 0, 'sum'); // []
 * ```
 * @internal
 */
export function reductionAxes(axes: number | readonly number[] | undefined, rank: number, op = 'axes'): number[] {
  if (rank === 0 && axes !== undefined) {
    const list = typeof axes === 'number' ? [axes] : axes;
    if (list.length > 1 || list.some((a) => a !== 0 && a !== -1)) {
      throw new CanopyError('argument', `${op}: the axis of a 0-d tensor must be 0 or -1, got [${list.join(',')}]`);
    }
    return [];
  }
  return normalizeAxes(axes, rank, op);
}

/** True when two shapes are equal. @internal */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
