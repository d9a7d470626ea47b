// Shape layers (Refiners' basics): Flatten, Unflatten, Reshape (keeps the batch dim), Transpose,
// Permute, Squeeze, Unsqueeze. They move elements only and keep the dtype; the ops check the axes.
import { CanopyError } from '../../errors.ts';
import { flatten, permute, reshape, squeeze, transpose, unflatten, unsqueeze } from '../../ops/shape.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { normalizeAxis } from '../../tensor/shape.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

// --- utils

/** `{ attrs }` once every option named is an integer (`what` names an array's entries). */
function intAttrs<O extends Record<string, number | readonly number[]>>(op: string, attrs: O): { attrs: O } {
  for (const [k, v] of Object.entries(attrs)) {
    for (const n of typeof v === 'number' ? [v] : v) {
      if (!Number.isInteger(n)) throw new CanopyError('argument', `${op}: ${typeof v === 'number' ? k : `${k} entries`} must be an integer, got ${n}`);
    }
  }
  return { attrs };
}

// --- constructors

/** Options of {@link Flatten}. */
export interface FlattenOptions {
  /** First axis merged. Default `0`. */
  readonly startDim?: number;
  /** Last axis merged (inclusive). Default `-1`. */
  readonly endDim?: number;
}

/**
 * Merges axes `startDim..endDim` into one.
 *
 * @example
 * ```ts
 * import { Flatten, zeros, run } from 'canopy-nn';
 * (await run(Flatten({ startDim: 1 }), [zeros([2, 3, 4])])).output.shape; // [2, 12]
 * ```
 */
export const Flatten = defineLayer({
  name: 'Flatten',
  defaults: { startDim: 0, endDim: -1 },
  inputs: ['tensor'],
  init: ({ startDim = 0, endDim = -1 }: FlattenOptions = {}) => intAttrs('Flatten', { startDim, endDim }),
  forward: ([x]: [Tensor], { attrs: { startDim, endDim } }, env) => flatten(backendOf(env), x, startDim, endDim),
});

/**
 * Splits axis `dim` into the sizes given as a second input (Refiners' `forward(x, sizes)`).
 *
 * @example
 * ```ts
 * import { Unflatten, zeros, run } from 'canopy-nn';
 * (await run(Unflatten({ dim: 1 }), [zeros([2, 12]), [3, 4]])).output.shape; // [2, 3, 4]
 * ```
 */
export const Unflatten = defineLayer({
  name: 'Unflatten',
  inputs: ['tensor', 'any'],
  init: ({ dim }: { readonly dim: number }) => intAttrs('Unflatten', { dim }),
  forward: ([x, sizes]: [Tensor, readonly number[]], { attrs: { dim } }, env) => {
    if (!Array.isArray(sizes) || !sizes.every((s) => Number.isInteger(s))) {
      throw new CanopyError('argument', `Unflatten: sizes (input 1) must be an array of integers, got ${JSON.stringify(sizes)}`);
    }
    return unflatten(backendOf(env), x, dim, sizes);
  },
});

/**
 * Reshapes every sample: `[N, ...]` → `[N, ...shape]` (the batch dim is kept, as in Refiners;
 * one entry of `shape` may be `-1`).
 *
 * @example
 * ```ts
 * import { Reshape, zeros, run } from 'canopy-nn';
 * (await run(Reshape({ shape: [3, -1] }), [zeros([2, 12])])).output.shape; // [2, 3, 4]
 * ```
 */
export const Reshape = defineLayer({
  name: 'Reshape',
  inputs: ['tensor'],
  init: ({ shape }: { readonly shape: readonly number[] }) => intAttrs('Reshape', { shape: Object.freeze([...shape]) }),
  forward: ([x]: [Tensor], { attrs: { shape } }, env) => {
    if (x.shape.length === 0) throw new CanopyError('shape', `Reshape: input must have a batch dim [N, ...], got ${showShape(x.shape)}`);
    return reshape(backendOf(env), x, [x.shape[0]!, ...shape]);
  },
});

/**
 * Swaps axes `dim0` and `dim1`.
 *
 * @example
 * ```ts
 * import { Transpose, zeros, run } from 'canopy-nn';
 * (await run(Transpose({ dim0: 1, dim1: 2 }), [zeros([2, 3, 4])])).output.shape; // [2, 4, 3]
 * ```
 */
export const Transpose = defineLayer({
  name: 'Transpose',
  inputs: ['tensor'],
  init: ({ dim0, dim1 }: { readonly dim0: number; readonly dim1: number }) => intAttrs('Transpose', { dim0, dim1 }),
  forward: ([x]: [Tensor], { attrs: { dim0, dim1 } }, env) => transpose(backendOf(env), x, dim0, dim1),
});

/**
 * Reorders axes: output axis `i` is input axis `dims[i]`.
 *
 * @example
 * ```ts
 * import { Permute, zeros, run } from 'canopy-nn';
 * (await run(Permute({ dims: [0, 2, 3, 1] }), [zeros([1, 3, 4, 5])])).output.shape; // [1, 4, 5, 3]
 * ```
 */
export const Permute = defineLayer({
  name: 'Permute',
  inputs: ['tensor'],
  init: ({ dims }: { readonly dims: readonly number[] }) => intAttrs('Permute', { dims: Object.freeze([...dims]) }),
  forward: ([x]: [Tensor], { attrs: { dims } }, env) => permute(backendOf(env), x, dims),
});

/**
 * Removes axis `dim` if it has size 1 (else returns the input, as `torch.squeeze(x, dim)`).
 *
 * @example
 * ```ts
 * import { Squeeze, zeros, run } from 'canopy-nn';
 * (await run(Squeeze({ dim: 1 }), [zeros([2, 1, 3])])).output.shape; // [2, 3]
 * ```
 */
export const Squeeze = defineLayer({
  name: 'Squeeze',
  inputs: ['tensor'],
  init: ({ dim }: { readonly dim: number }) => intAttrs('Squeeze', { dim }),
  forward: ([x]: [Tensor], { attrs: { dim } }, env) => {
    const a = normalizeAxis(dim, x.shape.length, 'Squeeze');
    // torch.squeeze(dim) leaves a dim that is not 1 alone; so does Refiners' Squeeze.
    return x.shape[a] === 1 ? squeeze(backendOf(env), x, a) : x;
  },
});

/**
 * Inserts a size-1 axis at `dim`.
 *
 * @example
 * ```ts
 * import { Unsqueeze, zeros, run } from 'canopy-nn';
 * (await run(Unsqueeze({ dim: 0 }), [zeros([2, 3])])).output.shape; // [1, 2, 3]
 * ```
 */
export const Unsqueeze = defineLayer({
  name: 'Unsqueeze',
  inputs: ['tensor'],
  init: ({ dim }: { readonly dim: number }) => intAttrs('Unsqueeze', { dim }),
  forward: ([x]: [Tensor], { attrs: { dim } }, env) => unsqueeze(backendOf(env), x, dim),
});
