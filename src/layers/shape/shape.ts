// Shape layers (Refiners' basics): Flatten, Unflatten, Reshape (keeps the batch dim), Transpose,
// Permute, Squeeze, Unsqueeze. They move elements only and keep the dtype.
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { flatten, permute, reshape, squeeze, transpose, unflatten, unsqueeze } from '../../ops/shape.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { leaf, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

// --- utils

function checkAxis(op: string, x: Tensor, axis: number, rank = x.shape.length): void {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new CanopyError('shape', `${op}: dim ${axis} must index an input of rank ${rank}, got ${showShape(x.shape)}`);
  }
}

function checkInt(op: string, what: string, v: number): void {
  if (!Number.isInteger(v)) throw new CanopyError('argument', `${op}: ${what} must be an integer, got ${v}`);
}

// --- kinds

/** The Flatten kind. */
export const FlattenKind = tensorKind<{ startDim: number; endDim: number }>({
  name: 'Flatten',
  defaults: { startDim: 0, endDim: -1 },
  forward: (b, args, { startDim, endDim }) => {
    const x = tensorArg('Flatten', args);
    if (x.shape.length > 0) [startDim, endDim].forEach((d) => checkAxis('Flatten', x, d));
    return flatten(b, x, startDim, endDim);
  },
});

/** The Unflatten kind. */
export const UnflattenKind = tensorKind<{ dim: number }>({
  name: 'Unflatten',
  arity: 2,
  forward: (b, args, { dim }) => {
    const x = tensorArg('Unflatten', args);
    const sizes = args[1];
    if (!Array.isArray(sizes) || !sizes.every((s) => Number.isInteger(s))) {
      throw new CanopyError('argument', `Unflatten: sizes (input 1) must be an array of integers, got ${JSON.stringify(sizes)}`);
    }
    checkAxis('Unflatten', x, dim);
    return unflatten(b, x, dim, sizes as number[]);
  },
});

/** The Reshape kind. */
export const ReshapeKind = tensorKind<{ shape: readonly number[] }>({
  name: 'Reshape',
  forward: (b, args, { shape }) => {
    const x = tensorArg('Reshape', args);
    if (x.shape.length === 0) throw new CanopyError('shape', `Reshape: input must have a batch dim [N, ...], got ${showShape(x.shape)}`);
    return reshape(b, x, [x.shape[0]!, ...shape]);
  },
});

/** The Transpose kind. */
export const TransposeKind = tensorKind<{ dim0: number; dim1: number }>({
  name: 'Transpose',
  forward: (b, args, { dim0, dim1 }) => {
    const x = tensorArg('Transpose', args);
    checkAxis('Transpose', x, dim0);
    checkAxis('Transpose', x, dim1);
    return transpose(b, x, dim0, dim1);
  },
});

/** The Permute kind. */
export const PermuteKind = tensorKind<{ dims: readonly number[] }>({
  name: 'Permute',
  forward: (b, args, { dims }) => {
    const x = tensorArg('Permute', args);
    if (dims.length !== x.shape.length) {
      throw new CanopyError('shape', `Permute: input must have rank ${dims.length} for dims (${dims.join(', ')}), got ${showShape(x.shape)}`);
    }
    return permute(b, x, dims);
  },
});

/** The Squeeze kind. */
export const SqueezeKind = tensorKind<{ dim: number }>({
  name: 'Squeeze',
  forward: (b, args, { dim }) => {
    const x = tensorArg('Squeeze', args);
    checkAxis('Squeeze', x, dim);
    const a = dim < 0 ? dim + x.shape.length : dim;
    // torch.squeeze(dim) leaves a dim that is not 1 alone; so does Refiners' Squeeze.
    return x.shape[a] === 1 ? squeeze(b, x, a) : x;
  },
});

/** The Unsqueeze kind. */
export const UnsqueezeKind = tensorKind<{ dim: number }>({
  name: 'Unsqueeze',
  forward: (b, args, { dim }) => {
    const x = tensorArg('Unsqueeze', args);
    checkAxis('Unsqueeze', x, dim, x.shape.length + 1);
    return unsqueeze(b, x, dim);
  },
});

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
 * import { Flatten, zeros, run } from 'canopy';
 * (await run(Flatten({ startDim: 1 }), [zeros([2, 3, 4])])).output.shape; // [2, 12]
 * ```
 */
export function Flatten(options: FlattenOptions = {}): Layer<[Tensor], Tensor> {
  const { startDim = 0, endDim = -1 } = options;
  checkInt('Flatten', 'startDim', startDim);
  checkInt('Flatten', 'endDim', endDim);
  return leaf(FlattenKind, { startDim, endDim });
}
Flatten.kind = FlattenKind;

/**
 * Splits axis `dim` into the sizes given as a second input (Refiners' `forward(x, sizes)`).
 *
 * @example
 * ```ts
 * import { Unflatten, zeros, run } from 'canopy';
 * (await run(Unflatten({ dim: 1 }), [zeros([2, 12]), [3, 4]])).output.shape; // [2, 3, 4]
 * ```
 */
export function Unflatten(options: { readonly dim: number }): Layer<[Tensor, readonly number[]], Tensor> {
  checkInt('Unflatten', 'dim', options.dim);
  return leaf(UnflattenKind, { dim: options.dim });
}
Unflatten.kind = UnflattenKind;

/**
 * Reshapes every sample: `[N, ...]` → `[N, ...shape]` (the batch dim is kept, as in Refiners;
 * one entry of `shape` may be `-1`).
 *
 * @example
 * ```ts
 * import { Reshape, zeros, run } from 'canopy';
 * (await run(Reshape({ shape: [3, -1] }), [zeros([2, 12])])).output.shape; // [2, 3, 4]
 * ```
 */
export function Reshape(options: { readonly shape: readonly number[] }): Layer<[Tensor], Tensor> {
  options.shape.forEach((d) => checkInt('Reshape', 'shape entries', d));
  return leaf(ReshapeKind, { shape: Object.freeze([...options.shape]) });
}
Reshape.kind = ReshapeKind;

/**
 * Swaps axes `dim0` and `dim1`.
 *
 * @example
 * ```ts
 * import { Transpose, zeros, run } from 'canopy';
 * (await run(Transpose({ dim0: 1, dim1: 2 }), [zeros([2, 3, 4])])).output.shape; // [2, 4, 3]
 * ```
 */
export function Transpose(options: { readonly dim0: number; readonly dim1: number }): Layer<[Tensor], Tensor> {
  checkInt('Transpose', 'dim0', options.dim0);
  checkInt('Transpose', 'dim1', options.dim1);
  return leaf(TransposeKind, { dim0: options.dim0, dim1: options.dim1 });
}
Transpose.kind = TransposeKind;

/**
 * Reorders axes: output axis `i` is input axis `dims[i]`.
 *
 * @example
 * ```ts
 * import { Permute, zeros, run } from 'canopy';
 * (await run(Permute({ dims: [0, 2, 3, 1] }), [zeros([1, 3, 4, 5])])).output.shape; // [1, 4, 5, 3]
 * ```
 */
export function Permute(options: { readonly dims: readonly number[] }): Layer<[Tensor], Tensor> {
  options.dims.forEach((d) => checkInt('Permute', 'dims entries', d));
  return leaf(PermuteKind, { dims: Object.freeze([...options.dims]) });
}
Permute.kind = PermuteKind;

/**
 * Removes axis `dim` if it has size 1 (else returns the input, as `torch.squeeze(x, dim)`).
 *
 * @example
 * ```ts
 * import { Squeeze, zeros, run } from 'canopy';
 * (await run(Squeeze({ dim: 1 }), [zeros([2, 1, 3])])).output.shape; // [2, 3]
 * ```
 */
export function Squeeze(options: { readonly dim: number }): Layer<[Tensor], Tensor> {
  checkInt('Squeeze', 'dim', options.dim);
  return leaf(SqueezeKind, { dim: options.dim });
}
Squeeze.kind = SqueezeKind;

/**
 * Inserts a size-1 axis at `dim`.
 *
 * @example
 * ```ts
 * import { Unsqueeze, zeros, run } from 'canopy';
 * (await run(Unsqueeze({ dim: 0 }), [zeros([2, 3])])).output.shape; // [1, 2, 3]
 * ```
 */
export function Unsqueeze(options: { readonly dim: number }): Layer<[Tensor], Tensor> {
  checkInt('Unsqueeze', 'dim', options.dim);
  return leaf(UnsqueezeKind, { dim: options.dim });
}
Unsqueeze.kind = UnsqueezeKind;
