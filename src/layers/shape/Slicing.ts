// Slicing: Python's `x[..., start:end:step]` on one axis (Refiners' fl.Slicing).
import { CanopyError } from '../../errors.ts';
import { slice, type SliceSpec } from '../../ops/slice.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { normalizeAxis } from '../../tensor/shape.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

/** Options of {@link Slicing}. */
export interface SlicingOptions {
  /** Axis to slice. Default `0`. */
  readonly dim?: number;
  /** First index (negative counts from the end, clamped). Default `0`. */
  readonly start?: number;
  /** End index, exclusive (negative counts from the end, clamped); `null` for the end. Default `null`. */
  readonly end?: number | null;
  /** Positive step. Default `1`. */
  readonly step?: number;
}

/**
 * Keeps `start:end:step` of axis `dim` with Python semantics: out-of-range bounds are clamped and
 * `start >= end` gives an empty axis.
 *
 * @example
 * ```ts
 * import { Slicing, zeros, run } from 'canopy-nn';
 * (await run(Slicing({ dim: 1, start: -3, end: -1 }), [zeros([5, 5])])).output.shape; // [5, 2]
 * ```
 */
export const Slicing = defineLayer({
  name: 'Slicing',
  defaults: { dim: 0, start: 0, end: null, step: 1 },
  inputs: ['tensor'],
  init: ({ dim = 0, start = 0, end = null, step = 1 }: SlicingOptions = {}) => {
    for (const [k, v] of [['dim', dim], ['start', start], ['end', end ?? 0]] as const) {
      if (!Number.isInteger(v)) throw new CanopyError('argument', `Slicing: ${k} must be an integer, got ${v}`);
    }
    if (!Number.isInteger(step) || step <= 0) throw new CanopyError('argument', `Slicing: step must be a positive integer, got ${step}`);
    return { attrs: { dim, start, end, step } };
  },
  forward: ([x]: [Tensor], { attrs: { dim, start, end, step } }, env) => {
    const specs: SliceSpec[] = x.shape.map(() => ({}));
    specs[normalizeAxis(dim, x.shape.length, 'Slicing')] = { start, end, step };
    return slice(backendOf(env), x, specs);
  },
});
