// Slicing and joining: slice (Python semantics), narrow, concat, stack, split, chunk.

import type { Backend } from '../backend/Backend.ts';
import { normalizeAxis } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { unsqueeze } from './shape.ts';
import { checkPositiveInt, checkTensor, fail, showShape } from './util.ts';

/**
 * One axis of a {@link slice}: Python's `start:end:step`. Omitted fields take Python's defaults
 * (whole axis, forwards or backwards by the sign of `step`); `null` means omitted.
 */
export interface SliceSpec {
  readonly start?: number | null;
  readonly end?: number | null;
  /** Non-zero; negative walks backwards. Default `1`. */
  readonly step?: number | null;
}

/**
 * Python's `slice(start, end, step).indices(n)` followed by the element count: resolves negative
 * indices, clamps out-of-range bounds, and gives `[first, step, count]`.
 *
 * @example
 * ```ts
 * import { resolveSlice } from './slice.ts';
 * resolveSlice({ start: -1, step: -2 }, 5); // [4, -2, 3]
 * ```
 * @internal
 */
export function resolveSlice(spec: SliceSpec, n: number, op = 'slice'): [number, number, number] {
  const step = spec.step ?? 1;
  if (!Number.isInteger(step) || step === 0) fail('argument', op, `step must be a non-zero integer, got ${step}`);
  for (const [k, v] of [['start', spec.start], ['end', spec.end]] as const) {
    if (v !== null && v !== undefined && !Number.isInteger(v)) fail('argument', op, `${k} must be an integer, got ${v}`);
  }
  const [lower, upper] = step < 0 ? [-1, n - 1] : [0, n];
  const clampIndex = (v: number | null | undefined, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    const i = v < 0 ? v + n : v;
    return Math.min(Math.max(i, lower), upper);
  };
  const start = clampIndex(spec.start, step < 0 ? upper : lower);
  const end = clampIndex(spec.end, step < 0 ? lower : upper);
  const count = step > 0 ? Math.max(0, Math.ceil((end - start) / step)) : Math.max(0, Math.ceil((start - end) / -step));
  return [count === 0 ? 0 : start, step, count];
}

/**
 * Slices every axis with Python semantics (negative indices, any non-zero step, clamped bounds,
 * empty results). `specs[i]` applies to axis `i`; missing trailing specs keep whole axes.
 *
 * @example
 * ```ts
 * import { slice, arange, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await slice(b, arange(6), [{ start: 1, end: -1 }])); // [1, 2, 3, 4]
 * toNested(await slice(b, arange(6), [{ step: -2 }])); // [5, 3, 1]
 * ```
 */
export async function slice(b: Backend, x: Tensor, specs: readonly (SliceSpec | undefined)[]): Promise<Tensor> {
  checkTensor('slice', x);
  if (specs.length > x.shape.length) fail('shape', 'slice', `got ${specs.length} slice specs for ${showShape(x.shape)} of rank ${x.shape.length}`);
  const starts: number[] = [];
  const steps: number[] = [];
  const shape: number[] = [];
  x.shape.forEach((n, a) => {
    const [s, st, c] = resolveSlice(specs[a] ?? {}, n);
    starts.push(s);
    steps.push(st);
    shape.push(c);
  });
  if (shape.every((d, a) => d === x.shape[a]) && steps.every((s) => s === 1)) return x;
  return b.slice(x, starts, steps, shape);
}

/**
 * The slicing ops derived from {@link slice} and {@link concat}: `narrow` keeps `length` entries
 * of `axis` from `start` (`torch.narrow`; `start` may be negative), `stack` joins along a new axis,
 * `split` and `chunk` cut into pieces (PyTorch's semantics).
 *
 * @example
 * ```ts
 * import { narrow, stack, split, chunk, arange, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await narrow(b, arange(5), 0, 1, 2)); // [1, 2]
 * (await stack(b, [fromArray([1, 2]), fromArray([3, 4])], 1)).shape; // [2, 2]
 * (await split(b, arange(5), 2)).map((t) => t.shape[0]); // [2, 2, 1]
 * (await chunk(b, arange(6), 3)).length; // 3
 * ```
 */
export async function narrow(b: Backend, x: Tensor, axis: number, start: number, length: number): Promise<Tensor> {
  checkTensor('narrow', x);
  const a = normalizeAxis(axis, x.shape.length, 'narrow');
  const n = x.shape[a] ?? 0;
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    fail('argument', 'narrow', `start ${start} and length ${length} must lie within axis ${a} of ${showShape(x.shape)}`);
  }
  const specs: SliceSpec[] = x.shape.map(() => ({}));
  specs[a] = { start: s, end: s + length };
  return slice(b, x, specs);
}

/**
 * Joins tensors along `axis` (`torch.cat`): same rank and dtype, equal dims elsewhere.
 *
 * @example
 * ```ts
 * import { concat, fromArray, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await concat(b, [fromArray([[1]]), fromArray([[2]])], 1)); // [[1, 2]]
 * ```
 */
export async function concat(b: Backend, xs: readonly Tensor[], axis = 0): Promise<Tensor> {
  const first = xs[0];
  if (first === undefined) fail('argument', 'concat', 'needs at least one tensor, got 0');
  xs.forEach((x, i) => checkTensor('concat', x, `tensor ${i}`));
  const a = normalizeAxis(axis, first.shape.length, 'concat');
  for (const x of xs) {
    if (x.dtype !== first.dtype) fail('dtype', 'concat', `tensors must share a dtype, got ${first.dtype} and ${x.dtype}`);
    if (x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      fail('shape', 'concat', `shapes must match except on axis ${a}, got ${showShape(first.shape)} and ${showShape(x.shape)}`);
    }
  }
  return xs.length === 1 ? first : b.concat(xs, a);
}

/** Stacks equal-shaped tensors along a new axis (`torch.stack`); see {@link narrow}. */
export async function stack(b: Backend, xs: readonly Tensor[], axis = 0): Promise<Tensor> {
  const first = xs[0];
  if (first === undefined) fail('argument', 'stack', 'needs at least one tensor, got 0');
  for (const x of xs) {
    checkTensor('stack', x);
    if (x.shape.length !== first.shape.length || x.shape.some((d, i) => d !== first.shape[i])) {
      fail('shape', 'stack', `tensors must have equal shapes, got ${showShape(first.shape)} and ${showShape(x.shape)}`);
    }
  }
  const a = normalizeAxis(axis, first.shape.length + 1, 'stack');
  return concat(b, await Promise.all(xs.map((x) => unsqueeze(b, x, a))), a);
}

/**
 * Splits along `axis` (`torch.split`): a number is the size of each piece (the last may be
 * smaller), a list gives every piece's size (they must sum to the axis); see {@link narrow}.
 */
export async function split(b: Backend, x: Tensor, sizes: number | readonly number[], axis = 0): Promise<Tensor[]> {
  checkTensor('split', x);
  const a = normalizeAxis(axis, x.shape.length, 'split');
  const n = x.shape[a] ?? 0;
  let parts: number[];
  if (typeof sizes === 'number') {
    checkPositiveInt('split', sizes, 'split size');
    parts = [];
    for (let s = 0; s < n; s += sizes) parts.push(Math.min(sizes, n - s));
    if (n === 0) parts = [0];
  } else {
    parts = [...sizes];
    if (parts.some((p) => !Number.isInteger(p) || p < 0) || parts.reduce((s, p) => s + p, 0) !== n) {
      fail('argument', 'split', `sizes must be non-negative integers summing to ${n} (axis ${a} of ${showShape(x.shape)}), got [${parts.join(',')}]`);
    }
  }
  const out: Tensor[] = [];
  for (let s = 0, i = 0; i < parts.length; s += parts[i++]!) out.push(await narrow(b, x, a, s, parts[i]!));
  return out;
}

/** Splits along `axis` into `chunks` pieces of `ceil(n / chunks)` (`torch.chunk`: may return fewer); see {@link narrow}. */
export async function chunk(b: Backend, x: Tensor, chunks: number, axis = 0): Promise<Tensor[]> {
  checkTensor('chunk', x);
  checkPositiveInt('chunk', chunks, 'chunks');
  const a = normalizeAxis(axis, x.shape.length, 'chunk');
  const n = x.shape[a] ?? 0;
  return split(b, x, Math.max(1, Math.ceil(n / chunks)), a);
}

