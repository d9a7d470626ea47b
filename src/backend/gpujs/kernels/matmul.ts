// Matrix multiplication kernels: the fast four-rows-per-thread formulation (ARCHITECTURE §5) used
// by the backend, and the naive one-output-per-thread kernel kept as the benchmark baseline.
//
// Why four rows per thread: on webasm each lane loads b[k][x] with a scalar load; sharing that load
// between four multiply-adds (rows 4y..4y+3 of C) is what buys the speed-up. gpu.js vectorises
// across thread.x (four adjacent columns per SIMD step). Loop bounds are literals in the generated
// source, never kernel arguments: gpu.js silently cuts argument-bounded loops at 1000 iterations.

import type { Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { allSteps, deinterleave4, flatten, mapStep } from '../output.ts';
import { applyEpilogueInPlace } from '../../fused.ts';
import { epilogueKey, epilogueLines, fusesInKernel, type KernelEpilogue } from './epilogue.ts';

// --- model

/**
 * Shape of a batched product `C[z] = A[z mod aBatches] · B[z]`: `A` is `[aBatches, M, K]`,
 * `B` is `[batches, K, N]`, `C` is `[batches, M, N]`. `aBatches` divides `batches`; 1 broadcasts
 * one `A` over every batch and `aBatches < batches` cycles (conv groups over images).
 * @internal
 */
export interface MatmulShape {
  readonly batches: number;
  readonly aBatches: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

// --- constructors

/**
 * Longest inner dimension one kernel pass loops over. gpu.js counts loops in float32 (a loop past
 * 2^24 never ends, see reduce.ts), and a float32 dot product's rounding grows with its length:
 * longer products are cut into passes of this many terms whose results are added in float64.
 * @internal
 */
export const MATMUL_MAX_K = 16384;

/** Columns per tile of the fast kernel (see {@link tiling}). @internal */
export const TILE = 512;

/**
 * Column tiling of the fast kernel: `tile` columns per tile, `tiles` tiles, `n` padded to
 * `tile * tiles`. gpu.js runs threads x-fastest, so an untiled kernel streams all of B once per
 * row group; with tiles (thread z = batch * tiles + tile) one tile of B stays in cache while every
 * row group reads it. 512 measured 5–10% faster than 256 on matmul 1024 (RESULTS.md). Past one
 * tile the columns are split evenly (tiles of at most {@link TILE}, rounded up to a multiple of
 * 4, the SIMD width) rather than into full tiles and a remainder: tiles of 512 padded the face
 * detector's 26² plane (676 columns) to 1024, a third of the work wasted (RESULTS.md, "Issue 14,
 * third part").
 *
 * @example
 * ```ts
 * tiling(676); // { tile: 340, tiles: 2 }, not { tile: 512, tiles: 2 }
 * ```
 * @internal
 */
export function tiling(n: number): { tile: number; tiles: number } {
  if (n <= TILE) return { tile: n, tiles: 1 };
  const tiles = Math.ceil(n / TILE);
  return { tile: Math.ceil(n / tiles / 4) * 4, tiles };
}

/**
 * The tiling a product uses: {@link tiling} of N, except with several distinct A matrices, which
 * run untiled. Tiled, each thread z would need its own copy of its A (every index must be thread
 * ids plus literals), multiplying A's memory by the tile count (75 MB for an im2col conv at 512²);
 * untiled and tiled measured within noise on batched products (8×1024×64×1024: 360 vs 321 ms,
 * 4×512×512×2048: 605 vs 660 ms, conv-128² product ×2: 443 vs 555 ms).
 * @internal
 */
export function tilingOf(s: MatmulShape): { tile: number; tiles: number } {
  return s.aBatches > 1 ? { tile: s.n, tiles: 1 } : tiling(s.n);
}

/**
 * Source of the four-rows-per-thread kernel: output `[tile, ceil(M/4), batches * tiles]`,
 * `Array(4)` per thread. Every index is a thread id plus literals, never a division or modulo of
 * one: gpu.js re-evaluates index expressions in every loop step, and a `Math.floor(z / tiles)` or
 * `z % tiles` there made the whole kernel 1.3–2x slower (RESULTS.md). Hence the layouts that
 * {@link fastMatmul} prepares:
 * - one batch: `a` `[ceil(M/4)][4][K]`, `b` `[K][tile*tiles]`, read at column `z*tile + x`;
 * - several: `b` regrouped as `[batches*tiles][K][tile]` and `a` as one `[ceil(M/4)][4][K]` block
 *   per batch (shared by all z when `aBatches` is 1; with several A, {@link tilingOf} leaves one
 *   tile, so z is the batch), so both are read at `z` directly.
 * @internal
 */
export function fastMatmulSource(s: MatmulShape, e?: KernelEpilogue): string {
  const { tile } = tilingOf(s);
  const mq = Math.ceil(s.m / 4);
  const aRow = s.aBatches === 1 ? 'this.thread.y' : `this.thread.z * ${mq} + this.thread.y`;
  const bRead = s.batches === 1 ? `b[k][this.thread.z * ${tile} + this.thread.x]` : 'b[this.thread.z][k][this.thread.x]';
  // The epilogue's bias is per row of C: rows 4y..4y+3, read from `bias` viewed as [ceil(M/4)][4].
  const tail = e === undefined ? [] : epilogueLines(e, ['s0', 's1', 's2', 's3'], (i) => `bias[this.thread.y][${i}]`);
  return `function(a, b${e?.bias === undefined ? '' : ', bias'}) {
  let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
  for (let k = 0; k < ${s.k}; k++) {
    const bv = ${bRead};
    s0 += a[${aRow}][0][k] * bv;
    s1 += a[${aRow}][1][k] * bv;
    s2 += a[${aRow}][2][k] * bv;
    s3 += a[${aRow}][3][k] * bv;
  }
${tail.map((l) => `  ${l}\n`).join('')}  return [s0, s1, s2, s3];
}`;
}

/** Source of the naive kernel: one output per thread, output `[N, M, batches]`. @internal */
export function naiveMatmulSource(s: MatmulShape): string {
  const aIdx = s.aBatches === 1 ? '0' : s.aBatches === s.batches ? 'this.thread.z' : `this.thread.z % ${s.aBatches}`;
  const bRead = 'b[this.thread.z][k][this.thread.x]';
  return `function(a, b) {
  let s = 0;
  for (let k = 0; k < ${s.k}; k++) {
    s += a[${aIdx}][this.thread.y][k] * ${bRead};
  }
  return s;
}`;
}

// --- combinators

/**
 * `C = A · B` with the fast kernel, `a` `[aBatches, M, K]` and `b` `[batches, K, N]` flat
 * row-major; returns `[batches, M, N]` flat. M need not be a multiple of 4 (rows are padded).
 *
 * @example
 * ```ts
 * const rt = createRuntime('webasm');
 * const c = fastMatmul(rt, { batches: 1, aBatches: 1, m: 1, k: 2, n: 1 }, new Float32Array([1, 2]), new Float32Array([3, 4]));
 * c; // Float32Array [11]
 * ```
 * @internal
 */
export function fastMatmul(rt: GpuRuntime, s: MatmulShape, a: Float32Array, b: Float32Array, e?: KernelEpilogue): Step<Float32Array> {
  const fused = e !== undefined && (e.bias !== undefined || e.activation !== undefined);
  if (s.k <= MATMUL_MAX_K && fused && fusesInKernel(rt)) return fastMatmulPass(rt, s, a, b, e);
  const c = fastMatmulSplit(rt, s, a, b);
  return fused ? mapStep(c, (d) => (applyEpilogueInPlace(d, s.m, s.n, e.bias, e.activation), d)) : c;
}

// The product in passes of at most MATMUL_MAX_K terms, added in float64.
function fastMatmulSplit(rt: GpuRuntime, s: MatmulShape, a: Float32Array, b: Float32Array): Step<Float32Array> {
  if (s.k <= MATMUL_MAX_K) return fastMatmulPass(rt, s, a, b);
  const parts: Step<Float32Array>[] = [];
  for (let k0 = 0; k0 < s.k; k0 += MATMUL_MAX_K) {
    const kc = Math.min(MATMUL_MAX_K, s.k - k0);
    parts.push(fastMatmulPass(rt, { ...s, k: kc }, kColumns(a, s.aBatches * s.m, s.k, k0, kc), kRows(b, s.batches, s.k, s.n, k0, kc)));
  }
  return mapStep(allSteps(parts), (ps) => {
    const acc = new Float64Array(s.batches * s.m * s.n);
    for (const p of ps) for (let i = 0; i < acc.length; i++) acc[i]! += p[i]!;
    return Float32Array.from(acc);
  });
}

function fastMatmulPass(rt: GpuRuntime, s: MatmulShape, a: Float32Array, b: Float32Array, e?: KernelEpilogue): Step<Float32Array> {
  const mq = Math.ceil(s.m / 4);
  const { tile, tiles } = tilingOf(s);
  const z = s.batches * tiles;
  const key = `matmul4|${s.batches}|${s.aBatches}|${s.m}|${s.k}|${s.n}${epilogueKey(e)}`;
  const kernel = rt.kernel(key, () => fastMatmulSource(s, e), () => ({ output: [tile, mq, z], returnType: 'Array(4)', flat: true }));
  const av = rt.view(aBlocks(a, s, mq, tiles), [s.k, 4, (s.aBatches === 1 ? 1 : z) * mq]);
  const bv = s.batches === 1 ? rt.view(padColumns(b, s.k, s.n, tile * tiles), [tile * tiles, s.k]) : rt.view(bTiles(b, s, tile, tiles), [tile, s.k, z]);
  const args = e?.bias === undefined ? [av, bv] : [av, bv, rt.view(padRows(e.bias, mq * 4), [4, mq])];
  return mapStep(kernel(...args) as Step<unknown>, (r) => unpackRows4(flatten(r, tile * mq * z * 4), s, mq, tile, tiles));
}

// `v` widened to `length` with zeros (a copy only if needed).
function padRows(v: Float32Array, length: number): Float32Array {
  if (v.length === length) return v;
  const out = new Float32Array(length);
  out.set(v);
  return out;
}

/**
 * `C = A · B` with the naive one-output-per-thread kernel (benchmark baseline and cross-check).
 * @internal
 */
export function naiveMatmul(rt: GpuRuntime, s: MatmulShape, a: Float32Array, b: Float32Array): Step<Float32Array> {
  const key = `matmul1|${s.batches}|${s.aBatches}|${s.m}|${s.k}|${s.n}`;
  const kernel = rt.kernel(key, () => naiveMatmulSource(s), () => ({ output: [s.n, s.m, s.batches] }));
  const av = rt.view(a, [s.k, s.m, s.aBatches]);
  const bv = rt.view(b, [s.n, s.k, s.batches]);
  return mapStep(kernel(av, bv) as Step<unknown>, (r) => flatten(r, s.batches * s.m * s.n));
}

// --- utils

// A as the kernel reads it: one block of `mPad = 4*mq` rows (zero-padded) per thread z (tiles is 1
// whenever aBatches > 1), holding A[z mod aBatches]; a single block when aBatches is 1. Copies only
// when the blocks differ from `a` itself (rows to pad, or cycled batches).
function aBlocks(a: Float32Array, s: MatmulShape, mq: number, tiles: number): Float32Array {
  const blocks = s.aBatches === 1 ? 1 : s.batches * tiles;
  const per = s.m * s.k;
  if (s.m === mq * 4 && (blocks === 1 || (tiles === 1 && s.aBatches === s.batches))) return a;
  const stride = mq * 4 * s.k;
  const out = new Float32Array(blocks * stride);
  for (let z = 0; z < blocks; z++) {
    const src = Math.floor(z / tiles) % s.aBatches;
    out.set(a.subarray(src * per, (src + 1) * per), z * stride);
  }
  return out;
}

// Columns [k0, k0 + kc) of the `rows` rows of `a` (`k` columns each).
function kColumns(a: Float32Array, rows: number, k: number, k0: number, kc: number): Float32Array {
  const out = new Float32Array(rows * kc);
  for (let r = 0; r < rows; r++) out.set(a.subarray(r * k + k0, r * k + k0 + kc), r * kc);
  return out;
}

// Rows [k0, k0 + kc) of each of the `batches` `[k, n]` matrices in `b`.
function kRows(b: Float32Array, batches: number, k: number, n: number, k0: number, kc: number): Float32Array {
  if (batches === 1) return b.subarray(k0 * n, (k0 + kc) * n);
  const out = new Float32Array(batches * kc * n);
  for (let z = 0; z < batches; z++) out.set(b.subarray((z * k + k0) * n, (z * k + k0 + kc) * n), z * kc * n);
  return out;
}

// Each of `rows` rows of `b` widened from `n` to `width` columns with zeros (a copy only if needed).
function padColumns(b: Float32Array, rows: number, n: number, width: number): Float32Array {
  if (n === width) return b;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(b.subarray(r * n, (r + 1) * n), r * width);
  return out;
}

// B regrouped as [batches*tiles][K][tile] (columns past N zero); `b` itself when there is one tile
// of exactly N columns.
function bTiles(b: Float32Array, s: MatmulShape, tile: number, tiles: number): Float32Array {
  const { batches, k, n } = s;
  if (tiles === 1 && tile === n) return b;
  const out = new Float32Array(batches * tiles * k * tile);
  for (let bi = 0; bi < batches; bi++) {
    for (let t = 0; t < tiles; t++) {
      const cols = Math.min(tile, n - t * tile);
      const dst = (bi * tiles + t) * k * tile;
      for (let r = 0; r < k; r++) {
        const from = (bi * k + r) * n + t * tile;
        out.set(b.subarray(from, from + cols), dst + r * tile);
      }
    }
  }
  return out;
}

// Thread (z = batch*tiles + t, y, x) holds C[batch][4y + c][t*tile + x] at
// ((z*mq + y)*tile + x)*4 + c; rows past M and columns past N are padding. Full groups of four
// rows are written together, so `src` is read in order.
function unpackRows4(src: Float32Array, s: MatmulShape, mq: number, tile: number, tiles: number): Float32Array {
  const { batches, m, n } = s;
  const out = new Float32Array(batches * m * n);
  for (let bi = 0; bi < batches; bi++) {
    for (let t = 0; t < tiles; t++) {
      const z = bi * tiles + t;
      const cols = Math.min(tile, n - t * tile);
      for (let y = 0; y < mq; y++) {
        deinterleave4(src, (z * mq + y) * tile * 4, out, (bi * m + 4 * y) * n + t * tile, n, cols, Math.min(4, m - 4 * y));
      }
    }
  }
  return out;
}
