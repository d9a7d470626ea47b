// Reduction kernels over one contiguous block of axes, viewed as [outer, R, inner]: one thread
// per (outer, inner) cell loops over at most REDUCE_BLOCK elements (a literal bound, so sizes above
// gpu.js's 1000-iteration cut are safe). The backend permutes non-contiguous axes together first.
//
// Why blocks: gpu.js counts loops in float32 (webasm), so a loop past 2^24 iterations never ends
// and one at exactly 2^24+1 skips its last element; and a float32 running sum over a long group
// drifts (10 added 1e7 times gave 86,710,888). A longer group is cut into blocks reduced in one
// pass, whose partial results are reduced again, as many passes as needed. Sums are compensated
// (Kahan) inside a block, so the error of a sum is a few float32 roundings per pass, better than
// pairwise summation's log2(R).

import type { ReduceOp, Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { allSteps, flatten, mapStep } from '../output.ts';
import { thenStep } from '../../../core/step.ts';

// --- model

/** A reduction problem: `x` viewed as `[outer, r, inner]`, reduced over the middle axis. @internal */
export interface ReduceShape {
  readonly outer: number;
  readonly r: number;
  readonly inner: number;
}

/** Most elements one kernel thread reduces in one pass (far below gpu.js's float32 loop limit). @internal */
export const REDUCE_BLOCK = 1024;

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
      // Kahan summation; c is reset once the sum is infinite or NaN (t - t is then NaN), where
      // (t - s) - y would turn an infinite sum into NaN.
      return `function(x) {
  let s = 0;
  let c = 0;
  for (let i = 0; i < ${s.r}; i++) {
    const y = ${at('i')} - c;
    const t = s + y;
    if (t - t === 0) { c = (t - s) - y; } else { c = 0; }
    s = t;
  }
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
 * Reduces flat `x` (`[outer, r, inner]`, r ≥ 1) over its middle axis; returns `[outer, inner]`
 * (argmax: the index as a float). Groups longer than {@link REDUCE_BLOCK} take several passes.
 * @internal
 */
export function reduceKernel(rt: GpuRuntime, op: ReduceOp | 'argmax', s: ReduceShape, x: Float32Array): Step<Float32Array> {
  if (s.r <= REDUCE_BLOCK) return onePass(rt, op, s, x);
  const nb = Math.ceil(s.r / REDUCE_BLOCK);
  const blocks: ReduceShape = { outer: s.outer * nb, r: REDUCE_BLOCK, inner: s.inner };
  const rest: ReduceShape = { outer: s.outer, r: nb, inner: s.inner };
  const padded = padGroups(x, s, nb * REDUCE_BLOCK, op === 'sum' ? 0 : op === 'min' ? Infinity : -Infinity);
  if (op !== 'argmax') return thenStep(onePass(rt, op, blocks, padded), (part) => reduceKernel(rt, op, rest, part));
  // argmax: the first block holding the maximum (or the first NaN), then the index inside it.
  return thenStep(allSteps([onePass(rt, 'argmax', blocks, padded), onePass(rt, 'max', blocks, padded)]), ([local, maxima]) =>
    mapStep(reduceKernel(rt, 'argmax', rest, maxima!), (best) => {
      const out = new Float32Array(s.outer * s.inner);
      for (let o = 0; o < s.outer; o++) {
        for (let i = 0; i < s.inner; i++) {
          const b = best[o * s.inner + i]!;
          out[o * s.inner + i] = b * REDUCE_BLOCK + local![(o * nb + b) * s.inner + i]!;
        }
      }
      return out;
    }),
  );
}

// --- utils

function onePass(rt: GpuRuntime, op: ReduceOp | 'argmax', s: ReduceShape, x: Float32Array): Step<Float32Array> {
  const key = `reduce|${op}|${s.outer}|${s.r}|${s.inner}`;
  const kernel = rt.kernel(key, () => reduceSource(op, s), () => ({ output: [s.inner, s.outer] }));
  return mapStep(kernel(rt.view(x, [s.inner, s.r, s.outer])) as Step<unknown>, (r) => flatten(r, s.outer * s.inner));
}

// x [outer, r, inner] widened to [outer, rp, inner], the new elements `fill` (the op's identity).
function padGroups(x: Float32Array, s: ReduceShape, rp: number, fill: number): Float32Array {
  if (rp === s.r) return x;
  const out = new Float32Array(s.outer * rp * s.inner);
  const row = s.r * s.inner;
  for (let o = 0; o < s.outer; o++) {
    out.set(x.subarray(o * row, (o + 1) * row), o * rp * s.inner);
    if (fill !== 0) out.fill(fill, o * rp * s.inner + row, (o + 1) * rp * s.inner);
  }
  return out;
}
