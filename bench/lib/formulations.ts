// The matmul formulations compared in bench/RESULTS.md ("Formulations tried"), as one script:
// `npx tsx bench/lib/formulations.ts [mm|conv|all] [rounds]`. Each variant is a gpu.js kernel built
// from generated source and run on the same data; timings are the best of interleaved rounds.
// `conv` is the matrix product inside conv2d 64→64 3×3 at 128² (64×576 · 576×16384).

import { createRuntime, type GpuRuntime } from '../../src/backend/gpujs/runtime.ts';
import { timeRounds } from './timing.ts';

// --- model

interface Variant {
  readonly name: string;
  readonly run: () => unknown;
}

// --- constructors

function naiveSource(k: number): string {
  return `function(a, b) { let s = 0; for (let k = 0; k < ${k}; k++) { s += a[this.thread.y][k] * b[k][this.thread.x]; } return s; }`;
}

// Four rows per thread; with `tile`, thread z is the column tile and x the column inside it.
function fourRowsSource(k: number, tile?: number): string {
  const col = tile === undefined ? 'this.thread.x' : `this.thread.z * ${tile} + this.thread.x`;
  return `function(a, b) {
  let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
  for (let k = 0; k < ${k}; k++) {
    const bv = b[k][${col}];
    s0 += a[this.thread.y][0][k] * bv; s1 += a[this.thread.y][1][k] * bv;
    s2 += a[this.thread.y][2][k] * bv; s3 += a[this.thread.y][3][k] * bv;
  }
  return [s0, s1, s2, s3];
}`;
}

// Tiled four rows with k unrolled by 4 through an extra dimension of b (`b[k][j][x]`).
function unrolledSource(k: number, tile: number): string {
  const col = `this.thread.z * ${tile} + this.thread.x`;
  const row = (c: number): string =>
    `s${c} += a[this.thread.y][${c}][k * 4] * b0 + a[this.thread.y][${c}][k * 4 + 1] * b1 + a[this.thread.y][${c}][k * 4 + 2] * b2 + a[this.thread.y][${c}][k * 4 + 3] * b3;`;
  return `function(a, b) {
  let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
  for (let k = 0; k < ${k / 4}; k++) {
    const b0 = b[k][0][${col}]; const b1 = b[k][1][${col}]; const b2 = b[k][2][${col}]; const b3 = b[k][3][${col}];
    ${row(0)} ${row(1)} ${row(2)} ${row(3)}
  }
  return [s0, s1, s2, s3];
}`;
}

function variants(label: string, m: number, k: number, n: number, sync: GpuRuntime, threaded: GpuRuntime): Variant[] {
  const a = new Float32Array(m * k).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
  const b = new Float32Array(k * n).map((_, i) => ((i * 5) % 11) / 11 - 0.5);
  const mq = m / 4;
  const out: Variant[] = [];
  const naive = sync.kernel(`f-naive-${label}`, () => naiveSource(k), () => ({ output: [n, m] }));
  out.push({ name: `${label} naive, sync`, run: () => naive(sync.view(a, [k, m]), sync.view(b, [n, k])) });
  for (const rt of [sync, threaded]) {
    const how = rt.async ? 'async' : 'sync';
    const plain = rt.kernel(`f-4-${label}`, () => fourRowsSource(k), () => ({ output: [n, mq], returnType: 'Array(4)' }));
    out.push({ name: `${label} four rows untiled, ${how}`, run: () => plain(rt.view(a, [k, 4, mq]), rt.view(b, [n, k])) });
    for (const tile of [16, 64, 256, 512]) {
      const t = rt.kernel(`f-4t${tile}-${label}`, () => fourRowsSource(k, tile), () => ({ output: [tile, mq, n / tile], returnType: 'Array(4)' }));
      out.push({ name: `${label} four rows tile ${tile}, ${how}`, run: () => t(rt.view(a, [k, 4, mq]), rt.view(b, [n, k])) });
    }
    for (const tile of [256, 512]) {
      const u = rt.kernel(`f-4u${tile}-${label}`, () => unrolledSource(k, tile), () => ({ output: [tile, mq, n / tile], returnType: 'Array(4)' }));
      out.push({ name: `${label} four rows tile ${tile} + unroll 4, ${how}`, run: () => u(rt.view(a, [k, 4, mq]), rt.view(b, [n, 4, k / 4])) });
    }
  }
  return out;
}

// --- main

const which = process.argv[2] ?? 'all';
const rounds = Number(process.argv[3] ?? 3);
const sync = createRuntime('webasm');
const threaded = createRuntime('async', { threads: 2 });
const cases: [string, number, number, number][] = [];
if (which === 'all' || which === 'mm') cases.push(['matmul 1024', 1024, 1024, 1024]);
if (which === 'all' || which === 'conv') cases.push(['conv-128² product', 64, 576, 16384]);
for (const [label, m, k, n] of cases) {
  const vs = variants(label, m, k, n, sync, threaded);
  const ts = await timeRounds(vs.map((v) => v.run), { warmup: 1, rounds });
  vs.forEach((v, i) => {
    const ms = ts[i]!.minMs;
    console.log(`${v.name.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms (min)  ${((2 * m * k * n) / ms / 1e6).toFixed(2).padStart(6)} GFLOP/s`);
  });
}
sync.destroy();
threaded.destroy();
