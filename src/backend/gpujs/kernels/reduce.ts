// Reduction kernels over one contiguous block of axes, viewed as [outer, R, inner]: one thread
// per (outer, inner) cell loops over R (a literal bound, so sizes above 1000 are safe).
// The backend permutes non-contiguous axes together first.

import type { ReduceOp, Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { flatten, mapStep } from '../output.ts';

// --- model

/** A reduction problem: `x` viewed as `[outer, r, inner]`, reduced over the middle axis. @internal */
export interface ReduceShape {
  readonly outer: number;
  readonly r: number;
  readonly inner: number;
}

// --- constructors

/**
 * Kernel source reducing the middle axis of `x[outer][r][inner]`; output `[inner, outer]`.
 * `argmax` returns the first index of the maximum, a NaN counting as the maximum.
 * @internal
 */
export function reduceSource(op: ReduceOp | 'argmax', s: ReduceShape): string {
  const at = (i: string): string => `x[this.thread.y][${i}][this.thread.x]`;
  switch (op) {
    case 'sum':
      return `function(x) {
  let s = 0;
  for (let i = 0; i < ${s.r}; i++) { s += ${at('i')}; }
  return s;
}`;
    case 'max':
    case 'min':
      // Once m is NaN neither comparison holds, so NaN sticks, as in torch.
      return `function(x) {
  let m = ${at('0')};
  for (let i = 1; i < ${s.r}; i++) {
    const v = ${at('i')};
    if (v ${op === 'max' ? '>' : '<'} m || v !== v) { m = v; }
  }
  return m;
}`;
    case 'argmax':
      return `function(x) {
  let m = ${at('0')};
  let best = 0;
  for (let i = 1; i < ${s.r}; i++) {
    const v = ${at('i')};
    if (m === m && (v > m || v !== v)) { m = v; best = i; }
  }
  return best;
}`;
  }
}

// --- combinators

/**
 * Reduces flat `x` (`[outer, r, inner]`, r ≥ 1) over its middle axis; returns `[outer, inner]`.
 * @internal
 */
export function reduceKernel(rt: GpuRuntime, op: ReduceOp | 'argmax', s: ReduceShape, x: Float32Array): Step<Float32Array> {
  const key = `reduce|${op}|${s.outer}|${s.r}|${s.inner}`;
  const kernel = rt.kernel(key, () => reduceSource(op, s), () => ({ output: [s.inner, s.outer] }));
  return mapStep(kernel(rt.view(x, [s.inner, s.r, s.outer])) as Step<unknown>, (r) => flatten(r, s.outer * s.inner));
}
