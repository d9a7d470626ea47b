// Reference movement primitives: reshape, permute, expand, slice, pad, concat. They keep the dtype.

import type { PadMode } from '../Backend.ts';
import { stridesOf } from '../../tensor/shape.ts';
import { permuteTensor } from '../../tensor/strided.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { alloc, check, coordsOf, offsetOf, showShape, sizeOf, wrap } from './util.ts';

/** Builds an output of `shape` whose element at coords `c` is `x.data[source(c)]` (or `fill()` when -1). */
function gatherBy(x: Tensor, shape: readonly number[], source: (c: readonly number[]) => number, fill = 0): Tensor {
  const n = sizeOf(shape);
  const out = alloc(x.dtype, n);
  const c = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    const s = source(coordsOf(i, shape, c));
    out[i] = s < 0 ? fill : (x.data[s] ?? 0);
  }
  return wrap(out, shape);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  check(sizeOf(shape) === x.size && shape.every((d) => Number.isInteger(d) && d >= 0), 'reshape', () =>
    `new shape must have ${x.size} elements, got ${showShape(shape)} for input ${showShape(x.shape)}`);
  return wrap(x.data, shape); // shares data: safe, tensors are never written after creation
}

export function permute(x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.shape.length;
  check(axes.length === rank && [...axes].sort((a, b) => a - b).every((a, i) => a === i), 'permute', () =>
    `axes must be a permutation of 0..${rank - 1}, got [${axes.join(',')}]`);
  return permuteTensor(x, axes);
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  check(shape.length === x.shape.length && x.shape.every((d, i) => d === shape[i] || d === 1), 'expand', () =>
    `cannot expand ${showShape(x.shape)} to ${showShape(shape)}`);
  const st = stridesOf(x.shape).map((s, i) => (x.shape[i] === 1 ? 0 : s));
  return gatherBy(x, shape, (c) => offsetOf(c, st));
}

export function slice(x: Tensor, starts: readonly number[], steps: readonly number[], shape: readonly number[]): Tensor {
  const rank = x.shape.length;
  check(starts.length === rank && steps.length === rank && shape.length === rank, 'slice', () =>
    `starts, steps and shape must have rank ${rank}, got ${starts.length}, ${steps.length}, ${shape.length}`);
  for (let a = 0; a < rank; a++) {
    const d = x.shape[a] ?? 0;
    const n = shape[a] ?? 0;
    const s = starts[a] ?? 0;
    const last = s + (n - 1) * (steps[a] ?? 0);
    check(steps[a] !== 0 && (n === 0 || (s >= 0 && s < d && last >= 0 && last < d)), 'slice', () =>
      `axis ${a}: start ${s}, step ${steps[a]}, count ${n} leave [0, ${d})`);
  }
  const st = stridesOf(x.shape);
  return gatherBy(x, shape, (c) => {
    let o = 0;
    for (let a = 0; a < rank; a++) o += ((starts[a] ?? 0) + (c[a] ?? 0) * (steps[a] ?? 0)) * (st[a] ?? 0);
    return o;
  });
}

export function pad(x: Tensor, pads: readonly (readonly [number, number])[], mode: PadMode, value: number): Tensor {
  const rank = x.shape.length;
  check(pads.length === rank && pads.every(([b, e]) => Number.isInteger(b) && Number.isInteger(e) && b >= 0 && e >= 0), 'pad', () =>
    `pads must be ${rank} non-negative [before, after] pairs, got ${JSON.stringify(pads)}`);
  if (mode === 'reflect') {
    check(pads.every(([b, e], a) => b < (x.shape[a] ?? 0) && e < (x.shape[a] ?? 0)), 'pad', () =>
      `reflect padding must be smaller than each dim, got ${JSON.stringify(pads)} for ${showShape(x.shape)}`);
  }
  if (mode === 'replicate') {
    check(pads.every(([b, e], a) => (x.shape[a] ?? 0) > 0 || b + e === 0), 'pad', () => `replicate needs non-empty dims, got ${showShape(x.shape)}`);
  }
  const shape = x.shape.map((d, a) => d + (pads[a]?.[0] ?? 0) + (pads[a]?.[1] ?? 0));
  const st = stridesOf(x.shape);
  return gatherBy(
    x,
    shape,
    (c) => {
      let o = 0;
      for (let a = 0; a < rank; a++) {
        const d = x.shape[a] ?? 0;
        let i = (c[a] ?? 0) - (pads[a]?.[0] ?? 0);
        if (i < 0 || i >= d) {
          if (mode === 'constant') return -1;
          if (mode === 'replicate') i = i < 0 ? 0 : d - 1;
          else i = i < 0 ? -i : 2 * (d - 1) - i;
        }
        o += i * (st[a] ?? 0);
      }
      return o;
    },
    value,
  );
}

export function concat(xs: readonly Tensor[], axis: number): Tensor {
  const first = xs[0];
  check(first !== undefined, 'concat', () => 'needs at least one tensor');
  const rank = first.shape.length;
  check(axis >= 0 && axis < rank, 'concat', () => `axis must be in [0, ${rank - 1}], got ${axis}`);
  for (const x of xs) {
    check(x.dtype === first.dtype && x.shape.length === rank && x.shape.every((d, i) => i === axis || d === first.shape[i]), 'concat', () =>
      `tensors must match except on axis ${axis}, got ${showShape(first.shape)} ${first.dtype} and ${showShape(x.shape)} ${x.dtype}`);
  }
  const shape = first.shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + (x.shape[axis] ?? 0), 0) : d));
  const out = alloc(first.dtype, sizeOf(shape));
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const rowOut = (shape[axis] ?? 0) * inner;
  let offset = 0;
  for (const x of xs) {
    const row = (x.shape[axis] ?? 0) * inner;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + offset);
    offset += row;
  }
  return wrap(out, shape);
}
