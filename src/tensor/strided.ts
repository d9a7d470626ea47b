// Movement on typed arrays: permute, expand, slice, pad (and the zero-stuffing of convTranspose2d)
// are all one routine, a gather through one lookup table per output axis. The one permute of the
// code base (the reference backend, the gpu.js backend and weight-layout conversion use it). Plain
// typed-array loops are faster here than a kernel (a movement op does no arithmetic, and a gpu.js
// call copies its inputs into wasm memory and its output back), so the gpu.js backend runs these
// on the calling thread. @internal

import { stridesOf } from './shape.ts';
import { makeTensor, type Tensor } from './Tensor.ts';

// --- model

/** Padding modes of `Backend.pad` (circular padding is composed in `ops/pad`). */
export type PadMode = 'constant' | 'reflect' | 'replicate';

/** Typed arrays the movement routines copy (they keep the dtype). @internal */
export type Data = Float32Array | Int32Array;

/**
 * For each output axis, the source offset contributed by each output index; `-1` marks a cell
 * that takes the fill value (constant padding, zero-stuffing).
 * @internal
 */
export type AxisTables = readonly Int32Array[];

// --- constructors

/** Table of `n` entries `i ↦ (start + i*step) * stride`. @internal */
export function linearTable(n: number, start: number, step: number, stride: number): Int32Array {
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = (start + i * step) * stride;
  return t;
}

/**
 * Table for an axis of length `d` padded by `before`/`after` (negative values crop) and, with
 * `dilate > 1`, with `dilate - 1` zeros stuffed between source elements.
 * @internal
 */
export function padTable(d: number, before: number, after: number, mode: PadMode, stride: number, dilate = 1): Int32Array {
  const span = d === 0 ? 0 : (d - 1) * dilate + 1;
  const n = Math.max(0, span + before + after);
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let j = i - before;
    if (j < 0 || j >= span) {
      if (mode === 'constant') {
        t[i] = -1;
        continue;
      }
      j = mode === 'replicate' ? (j < 0 ? 0 : span - 1) : j < 0 ? -j : 2 * (span - 1) - j;
    }
    t[i] = j % dilate === 0 ? (j / dilate) * stride : -1;
  }
  return t;
}

// --- combinators

/**
 * `out[i0, i1, ...] = src[Σ tables[a][ia]]`, or `fill` where any table entry is -1.
 *
 * @example
 * ```ts
 * // transpose a 2×3 matrix
 * gatherTables(new Float32Array([1, 2, 3, 4, 5, 6]), [linearTable(3, 0, 1, 1), linearTable(2, 0, 1, 3)], 0);
 * // Float32Array [1, 4, 2, 5, 3, 6]
 * ```
 * @internal
 */
export function gatherTables(src: Data, tables: AxisTables, fill: number): Data {
  const rank = tables.length;
  let n = 1;
  for (const t of tables) n *= t.length;
  const out = src instanceof Int32Array ? new Int32Array(n) : new Float32Array(n);
  if (n === 0) return out;
  if (rank === 0) {
    out[0] = src[0]!;
    return out;
  }
  const inner = tables[rank - 1]!;
  const w = inner.length;
  const runs = contiguousRuns(inner);
  const coords = new Array<number>(rank - 1).fill(0);
  for (let o = 0; o < n; o += w) {
    let base = 0;
    let hole = false;
    for (let a = 0; a < rank - 1; a++) {
      const v = tables[a]![coords[a]!]!;
      if (v < 0) hole = true;
      base += v;
    }
    if (hole) out.fill(fill, o, o + w);
    else if (runs !== undefined) {
      // Rows that are long runs of consecutive source offsets (padding, slicing, most permutes of
      // outer axes) copy as memcpy: 2-4x faster than the element loop on the detector's pads.
      for (let r = 0; r < runs.length; r += 3) {
        const at = runs[r]!;
        const from = runs[r + 1]!;
        const len = runs[r + 2]!;
        if (from < 0) out.fill(fill, o + at, o + at + len);
        else out.set(src.subarray(base + from, base + from + len), o + at);
      }
    } else
      for (let i = 0; i < w; i++) {
        const t = inner[i]!;
        out[o + i] = t < 0 ? fill : src[base + t]!;
      }
    for (let a = rank - 2; a >= 0; a--) {
      if (++coords[a]! < tables[a]!.length) break;
      coords[a] = 0;
    }
  }
  return out;
}

// The inner table as runs [outStart, srcStart (-1: fill), length], or undefined when the runs
// would be short (a strided or permuted inner axis), where the element loop is faster.
function contiguousRuns(t: Int32Array): Int32Array | undefined {
  const runs: number[] = [];
  let i = 0;
  while (i < t.length) {
    const start = i;
    const v = t[i]!;
    i++;
    if (v < 0) while (i < t.length && t[i]! < 0) i++;
    else while (i < t.length && t[i]! === v + (i - start)) i++;
    runs.push(start, v < 0 ? -1 : v, i - start);
  }
  return runs.length / 3 > t.length / 16 ? undefined : Int32Array.from(runs);
}

/** `x` permuted: output axis i is input axis `axes[i]`. @internal */
export function permuteData(x: Data, shape: readonly number[], axes: readonly number[]): Data {
  const st = stridesOf(shape);
  return gatherTables(x, axes.map((a) => linearTable(shape[a]!, 0, 1, st[a]!)), 0);
}

/** `t` permuted as a new tensor (`t` is not touched): output axis i is input axis `axes[i]`. @internal */
export function permuteTensor(t: Tensor, axes: readonly number[]): Tensor {
  return makeTensor(permuteData(t.data, t.shape, axes), axes.map((a) => t.shape[a]!), t.dtype);
}

/** `x` broadcast to `to` (same rank, each dim equal or 1). @internal */
export function expandData(x: Data, shape: readonly number[], to: readonly number[]): Data {
  const st = stridesOf(shape);
  return gatherTables(x, to.map((d, a) => linearTable(d, 0, shape[a] === 1 ? 0 : 1, st[a]!)), 0);
}

/** Strided slice: `out[i...] = x[starts + i*steps ...]` of `outShape`. @internal */
export function sliceData(x: Data, shape: readonly number[], starts: readonly number[], steps: readonly number[], outShape: readonly number[]): Data {
  const st = stridesOf(shape);
  return gatherTables(x, outShape.map((d, a) => linearTable(d, starts[a]!, steps[a]!, st[a]!)), 0);
}

/** Pads (or, with negative amounts, crops) every axis. @internal */
export function padData(x: Data, shape: readonly number[], pads: readonly (readonly [number, number])[], mode: PadMode, value: number): Data {
  const st = stridesOf(shape);
  return gatherTables(x, shape.map((d, a) => padTable(d, pads[a]![0], pads[a]![1], mode, st[a]!)), value);
}
