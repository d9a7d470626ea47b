// Matrix multiplication kernels: the fast four-rows-per-thread formulation (ARCHITECTURE §5) used
// by the backend, and the naive one-output-per-thread kernel kept as the benchmark baseline.
//
// Why four rows per thread: on webasm each lane loads b[k][x] with a scalar load; sharing that load
// between four multiply-adds (rows 4y..4y+3 of C) is what buys the speed-up. gpu.js vectorises
// across thread.x (four adjacent columns per SIMD step). Loop bounds are literals in the generated
// source, never kernel arguments: gpu.js silently cuts argument-bounded loops at 1000 iterations.

import type { Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { flatten, mapStep } from '../output.ts';

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
 * Source of the four-rows-per-thread kernel: output `[N, ceil(M/4), batches]`, `Array(4)` per
 * thread; `a` is viewed as `[aBatches*ceil(M/4)][4][K]` (rows padded to a multiple of 4), `b` as
 * `[batches][K][N]`.
 * @internal
 */
export function fastMatmulSource(s: MatmulShape): string {
  const mq = Math.ceil(s.m / 4);
  const aRow =
    s.aBatches === 1
      ? 'this.thread.y'
      : s.aBatches === s.batches
        ? `this.thread.z * ${mq} + this.thread.y`
        : `(this.thread.z % ${s.aBatches}) * ${mq} + this.thread.y`;
  const bRead = s.batches === 1 ? 'b[k][this.thread.x]' : 'b[this.thread.z][k][this.thread.x]';
  return `function(a, b) {
  let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
  for (let k = 0; k < ${s.k}; k++) {
    const bv = ${bRead};
    s0 += a[${aRow}][0][k] * bv;
    s1 += a[${aRow}][1][k] * bv;
    s2 += a[${aRow}][2][k] * bv;
    s3 += a[${aRow}][3][k] * bv;
  }
  return [s0, s1, s2, s3];
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
export function fastMatmul(rt: GpuRuntime, s: MatmulShape, a: Float32Array, b: Float32Array): Step<Float32Array> {
  const mq = Math.ceil(s.m / 4);
  const output = s.batches === 1 ? [s.n, mq] : [s.n, mq, s.batches];
  const key = `matmul4|${s.batches}|${s.aBatches}|${s.m}|${s.k}|${s.n}`;
  const kernel = rt.kernel(key, () => fastMatmulSource(s), () => ({ output, returnType: 'Array(4)' }));
  const aPadded = padRows(a, s.aBatches, s.m, s.k, mq * 4);
  const av = rt.view(aPadded, [s.k, 4, s.aBatches * mq]);
  const bv = s.batches === 1 ? rt.view(b, [s.n, s.k]) : rt.view(b, [s.n, s.k, s.batches]);
  return mapStep(kernel(av, bv) as Step<unknown>, (r) => unpackRows4(flatten(r, s.n * mq * s.batches * 4), s, mq));
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

// Rows of each A matrix padded with zeros up to `mPad` (a copy only when M is not a multiple of 4).
function padRows(a: Float32Array, batches: number, m: number, k: number, mPad: number): Float32Array {
  if (m === mPad) return a;
  const out = new Float32Array(batches * mPad * k);
  for (let z = 0; z < batches; z++) out.set(a.subarray(z * m * k, (z + 1) * m * k), z * mPad * k);
  return out;
}

// Thread (z, y, x) holds C[z][4y + c][x] at ((z*mq + y)*N + x)*4 + c; rows past M are padding.
function unpackRows4(src: Float32Array, s: MatmulShape, mq: number): Float32Array {
  const { batches, m, n } = s;
  const out = new Float32Array(batches * m * n);
  for (let z = 0; z < batches; z++) {
    for (let y = 0; y < mq; y++) {
      const rows = Math.min(4, m - 4 * y);
      for (let c = 0; c < rows; c++) {
        const dst = (z * m + 4 * y + c) * n;
        let at = (z * mq + y) * n * 4 + c;
        for (let x = 0; x < n; x++, at += 4) out[dst + x] = src[at]!;
      }
    }
  }
  return out;
}
