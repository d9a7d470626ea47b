// Kernel benchmark: canopy's gpu.js backend in every mode that runs here, the naive gpu.js kernels,
// tfjs-backend-wasm (XNNPACK, one thread, SIMD) and onnxruntime-node, all in one process.
// Run alone (2-core machine): `npx tsx bench/kernels.ts` (add `--only matmul,conv` to filter, `--only dispatch` for
// the small-kernel dispatch table and the small U-Net, `--only detector-convs` for the face detector's convolutions one by one,
// `--no-cpu` to skip gpu.js's slow cpu mode). Results go to bench/RESULTS.md ("Kernels").

import type * as TF from '@tensorflow/tfjs-core';
import type * as ORT from 'onnxruntime-node';
import { createGpujsBackend, modeUnavailableReason, type GpujsBackend, type GpujsMode } from '../src/backend/gpujs/index.ts';
import { createRuntime } from '../src/backend/gpujs/runtime.ts';
import { naiveMatmul } from '../src/backend/gpujs/kernels/matmul.ts';
import { convNaive } from '../src/backend/gpujs/kernels/conv2d.ts';
import { randn } from '../src/tensor/random.ts';
import type { Tensor } from '../src/tensor/Tensor.ts';
import { scaledDotProductAttention } from '../src/ops/attention.ts';
import { gelu } from '../src/ops/activation.ts';
import { add, erf, mul } from '../src/ops/elementwise.ts';
import { cell, gflops, timeRounds } from './lib/timing.ts';
import { run } from '../src/context/run.ts';
import { countParams, type AnyLayer } from '../src/index.ts';
import { ReLU } from '../src/layers/activation/activations.ts';
import { Conv2d } from '../src/layers/conv/Conv2d.ts';
import { Downsample, Upsample } from '../src/layers/sampling/Downsample.ts';
import { Chain } from '../src/layers/structural/Chain.ts';
import { Residual } from '../src/layers/structural/Residual.ts';
import { onnxModel } from './lib/onnx.ts';

const PEAK_FMA = 234; // GFLOP/s, fp32, this machine (2 cores, AVX2 FMA)
const PEAK_WASM = 117; // GFLOP/s with 128-bit WASM SIMD

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg === undefined ? undefined : (args[args.indexOf(onlyArg) + 1] ?? onlyArg.split('=')[1] ?? '').split(',');
const withCpu = !args.includes('--no-cpu');
const withPeers = !args.includes('--no-peers');
const threadsArg = args.find((a) => a.startsWith('--threads='));
const threads = threadsArg === undefined ? undefined : Number(threadsArg.split('=')[1]);
const want = (name: string): boolean => only === undefined || only.some((o) => name.startsWith(o));

interface Row {
  readonly workload: string;
  readonly engine: string;
  readonly ms: number;
  readonly minMs: number;
  readonly rate: number; // GFLOP/s, or Gelem/s for GELU
  readonly unit: string;
  readonly naiveMs?: number;
}
const rows: Row[] = [];

// --- contenders

const modes: GpujsMode[] = (['async', 'webasm', 'cpu'] as const).filter((m) => modeUnavailableReason(m) === undefined && (withCpu || m !== 'cpu'));
const skipped = (['headlessgl', 'webgpu'] as const).map((m) => `${m}: ${modeUnavailableReason(m) ?? 'available'}`);
const threadOpt = threads === undefined ? {} : { threads };
const canopy = new Map<string, GpujsBackend>(modes.map((m) => [m, createGpujsBackend({ mode: m, ...threadOpt })]));
// The other conv2d formulation (im2col + four-rows matmul), in the two fast modes.
const altConv = new Map<string, GpujsBackend>(
  (['async', 'webasm'] as const).map((m) => [m, createGpujsBackend({ mode: m, conv: 'im2col', ...threadOpt })]),
);
const naiveRt = createRuntime('webasm');

// Peers load lazily so that `--no-peers` runs where their native/wasm files are absent.
const tf: typeof TF | undefined = withPeers ? await import('@tensorflow/tfjs-core') : undefined;
const ort = withPeers ? ((await import('onnxruntime-node')) as unknown as typeof ORT) : undefined;
if (tf !== undefined) {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
}
const ortOptions = { intraOpNumThreads: 2, interOpNumThreads: 1 };

interface Contender {
  readonly workload: string;
  readonly engine: string;
  readonly flops: number;
  readonly f: () => unknown;
  readonly unit: string;
}
let pending: Contender[] = [];
let cleanups: (() => unknown)[] = [];

// Queues a contender of the current workload; `flush` times them all in interleaved rounds.
function record(workload: string, engine: string, flops: number, f: () => unknown, unit = 'GFLOP/s'): void {
  pending.push({ workload, engine, flops, f, unit });
}

async function flush(): Promise<void> {
  const heavy = pending.some((c) => c.flops >= 1e9 || c.workload.startsWith('GELU'));
  const timings = await timeRounds(pending.map((c) => c.f), { warmup: 1, rounds: heavy ? 3 : 5 });
  const naiveAt = pending.findIndex((c) => c.engine.startsWith('gpu.js naive'));
  const naiveMs = naiveAt < 0 ? undefined : timings[naiveAt]!.medianMs;
  pending.forEach((c, i) => {
    const t = timings[i]!;
    const row: Row = { workload: c.workload, engine: c.engine, ms: t.medianMs, minMs: t.minMs, rate: gflops(c.flops, t.medianMs), unit: c.unit, ...(naiveMs !== undefined && i !== naiveAt ? { naiveMs } : {}) };
    rows.push(row);
    const vs = row.naiveMs === undefined ? '' : `  ${(row.naiveMs / row.ms).toFixed(2)}x naive`;
    console.log(`${cell(c.workload, 26)} ${cell(c.engine, 34)} ${cell(t.medianMs, 10, 1)} ms (min ${t.minMs.toFixed(1)}) ${cell(row.rate, 8)} ${c.unit}${vs}`);
  });
  pending = [];
  for (const c of cleanups) await c();
  cleanups = [];
}

const tensor = (shape: number[], seed: number): Tensor => randn(shape, seed);
const ortTensor = (o: typeof ORT, t: Tensor): ORT.Tensor => new o.Tensor('float32', t.data as Float32Array, [...t.shape]);

// --- workloads

async function benchMatmul(n: number): Promise<void> {
  const name = `matmul ${n}`;
  const a = tensor([1, n, n], 1);
  const b = tensor([1, n, n], 2);
  const flops = 2 * n ** 3;
  const s = { batches: 1, aBatches: 1, m: n, k: n, n };
  record(name, 'gpu.js naive (webasm sync)', flops, () => naiveMatmul(naiveRt, s, a.data as Float32Array, b.data as Float32Array));
  for (const [m, be] of canopy) record(name, `canopy gpujs/${m}`, flops, () => be.matmul(a, b));
  if (tf === undefined || ort === undefined) return flush();
  const ta = tf.tensor2d(a.data as Float32Array, [n, n]);
  const tb = tf.tensor2d(b.data as Float32Array, [n, n]);
  record(name, 'tfjs-wasm (1 thread)', flops, async () => {
    const c = tf.matMul(ta, tb);
    await c.data();
    c.dispose();
  });
  cleanups.push(() => tf.dispose([ta, tb]));
  const sess = await ort.InferenceSession.create(
    onnxModel([{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }], [{ name: 'a', shape: [n, n] }, { name: 'b', shape: [n, n] }], [{ name: 'c', shape: [n, n] }]),
    ortOptions,
  );
  const feeds = { a: new ort.Tensor('float32', a.data as Float32Array, [n, n]), b: new ort.Tensor('float32', b.data as Float32Array, [n, n]) };
  record(name, 'onnxruntime-node (2 threads)', flops, () => sess.run(feeds));
  cleanups.push(() => sess.release());
  await flush();
}

async function benchConv(hw: number): Promise<void> {
  const name = `conv2d 64→64 3×3 ${hw}²`;
  const c = 64;
  const x = tensor([1, c, hw, hw], 3);
  const w = tensor([c, c, 3, 3], 4);
  const p = { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 } as const;
  const flops = 2 * c * c * 9 * hw * hw;
  const s = { n: 1, c, hp: hw + 2, wp: hw + 2, o: c, kh: 3, kw: 3, oh: hw, ow: hw, stride: [1, 1], dilation: [1, 1], groups: 1 } as const;
  const xpad = await canopy.get('webasm')!.pad(x, [[0, 0], [0, 0], [1, 1], [1, 1]], 'constant', 0);
  record(name, 'gpu.js naive (webasm sync)', flops, () => convNaive(naiveRt, s, xpad.data as Float32Array, w.data as Float32Array));
  for (const [m, be] of canopy) record(name, `canopy gpujs/${m} (direct4)`, flops, () => be.conv2d(x, w, p));
  for (const [m, be] of altConv) record(name, `canopy gpujs/${m} (im2col)`, flops, () => be.conv2d(x, w, p));
  if (tf === undefined || ort === undefined) return flush();
  // tfjs wants NHWC / HWIO: the layouts are converted once, outside the timing.
  const xt = tf.transpose(tf.tensor4d(x.data as Float32Array, [1, c, hw, hw]), [0, 2, 3, 1]);
  const wt = tf.transpose(tf.tensor4d(w.data as Float32Array, [c, c, 3, 3]), [2, 3, 1, 0]);
  record(name, 'tfjs-wasm (1 thread, NHWC)', flops, async () => {
    const y = tf.conv2d(xt as TF.Tensor4D, wt as TF.Tensor4D, 1, 'same');
    await y.data();
    y.dispose();
  });
  cleanups.push(() => tf.dispose([xt, wt]));
  const sess = await ort.InferenceSession.create(
    onnxModel(
      [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1], strides: [1, 1], kernel_shape: [3, 3] } }],
      [{ name: 'x', shape: [1, c, hw, hw] }, { name: 'w', shape: [c, c, 3, 3] }],
      [{ name: 'y', shape: [1, c, hw, hw] }],
    ),
    ortOptions,
  );
  const feeds = { x: ortTensor(ort, x), w: ortTensor(ort, w) };
  record(name, 'onnxruntime-node (2 threads)', flops, () => sess.run(feeds));
  cleanups.push(() => sess.release());
  await flush();
}

async function benchAttention(seq: number, d: number): Promise<void> {
  const name = `attention seq ${seq} d ${d}`;
  const q = tensor([1, seq, d], 5);
  const k = tensor([1, seq, d], 6);
  const v = tensor([1, seq, d], 7);
  const flops = 4 * seq * seq * d;
  for (const [m, be] of canopy) record(name, `canopy gpujs/${m}`, flops, () => scaledDotProductAttention(be, q, k, v));
  if (tf === undefined || ort === undefined) return flush();
  const [tq, tk, tv] = [q, k, v].map((t) => tf.tensor2d(t.data as Float32Array, [seq, d]));
  record(name, 'tfjs-wasm (1 thread)', flops, async () => {
    const y = tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(tq!, tk!, false, true), 1 / Math.sqrt(d))), tv!));
    await y.data();
    y.dispose();
  });
  cleanups.push(() => tf.dispose([tq!, tk!, tv!]));
  const sess = await ort.InferenceSession.create(
    onnxModel(
      [
        { op: 'Transpose', inputs: ['k'], outputs: ['kt'], attrs: { perm: [1, 0] } },
        { op: 'MatMul', inputs: ['q', 'kt'], outputs: ['s'] },
        { op: 'Mul', inputs: ['s', 'scale'], outputs: ['ss'] },
        { op: 'Softmax', inputs: ['ss'], outputs: ['p'], attrs: { axis: -1 } },
        { op: 'MatMul', inputs: ['p', 'v'], outputs: ['y'] },
      ],
      [{ name: 'q', shape: [seq, d] }, { name: 'k', shape: [seq, d] }, { name: 'v', shape: [seq, d] }, { name: 'scale', shape: [1] }],
      [{ name: 'y', shape: [seq, d] }],
    ),
    ortOptions,
  );
  const feeds = {
    q: new ort.Tensor('float32', q.data as Float32Array, [seq, d]),
    k: new ort.Tensor('float32', k.data as Float32Array, [seq, d]),
    v: new ort.Tensor('float32', v.data as Float32Array, [seq, d]),
    scale: new ort.Tensor('float32', new Float32Array([1 / Math.sqrt(d)]), [1]),
  };
  record(name, 'onnxruntime-node (2 threads)', flops, () => sess.run(feeds));
  cleanups.push(() => sess.release());
  await flush();
}

async function benchGelu(n: number): Promise<void> {
  const name = `GELU ${n / 2 ** 20}M`;
  const x = tensor([n], 8);
  // Rate in Gelem/s (GELU has no standard FLOP count). canopy's gelu (src/ops) is the `gelu` unary
  // primitive, one pass; the composition it replaced (x * (erf(x / √2) + 1) * 0.5, five
  // elementwise passes) runs beside it for the ratio.
  for (const [m, be] of canopy) {
    record(name, `canopy gpujs/${m}`, n, () => gelu(be, x), 'Gelem/s');
    record(name, `canopy gpujs/${m}, composed (5 passes)`, n, async () => mul(be, x, await mul(be, await add(be, await erf(be, await mul(be, x, Math.SQRT1_2)), 1), 0.5)), 'Gelem/s');
  }
  if (tf === undefined || ort === undefined) return flush();
  const tx = tf.tensor1d(x.data as Float32Array);
  record(name, 'tfjs-wasm (erf composed)', n, async () => {
    const y = tf.tidy(() => tf.mul(tf.mul(tx, 0.5), tf.add(tf.erf(tf.mul(tx, Math.SQRT1_2)), 1)));
    await y.data();
    y.dispose();
  }, 'Gelem/s');
  cleanups.push(() => tx.dispose());
  const sess = await ort.InferenceSession.create(onnxModel([{ op: 'Gelu', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', shape: [n] }], [{ name: 'y', shape: [n] }]), ortOptions);
  const feeds = { x: new ort.Tensor('float32', x.data as Float32Array, [n]) };
  record(name, 'onnxruntime-node (Gelu op)', n, () => sess.run(feeds), 'Gelem/s');
  cleanups.push(() => sess.release());
  await flush();
}

// Dispatch that fits the work (GpujsBackendOptions.threadedMinWork): each kernel kind at growing
// work on the worker pool (async, every kernel threaded) against the calling thread (webasm), paired
// rounds; then a small U-Net forward on the default (async, small kernels inline), the pool alone
// and webasm. The crossover of the first table sets the default threshold.
async function benchDispatch(): Promise<void> {
  const pool = createGpujsBackend({ mode: 'async', threadedMinWork: 0, ...threadOpt });
  const sync = canopy.get('webasm')!;
  const conv = (hw: number, c: number) => [tensor([1, c, hw, hw], 1), tensor([c, c, 3, 3], 2)] as const;
  const cp = { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 } as const;
  const cases: [string, number, (b: GpujsBackend) => unknown][] = [
    ...[1e4, 1e5, 1e6].map((n): [string, number, (b: GpujsBackend) => unknown] => {
      const [x, y] = [tensor([n], 1), tensor([n], 2)];
      return [`add ${n}`, n, (b) => b.binary('add', x, y)];
    }),
    ...[64, 128, 256].map((n): [string, number, (b: GpujsBackend) => unknown] => {
      const [x, y] = [tensor([1, n, n], 1), tensor([1, n, n], 2)];
      return [`matmul ${n}`, n ** 3, (b) => b.matmul(x, y)];
    }),
    ...[16, 32, 64, 128].map((hw): [string, number, (b: GpujsBackend) => unknown] => {
      const [x, k] = conv(hw, 16);
      return [`conv 16→16 3×3 ${hw}²`, 16 * 16 * 9 * hw * hw, (b) => b.conv2d(x, k, cp)];
    }),
  ];
  console.log('\n| kernel | work (multiply-adds or elements) | pool (async, all threaded) ms | calling thread (webasm) ms | pool / webasm |\n|---|---:|---:|---:|---:|');
  for (const [name, work, f] of cases) {
    const [a, w] = await timeRounds([() => f(pool), () => f(sync)], { warmup: 2, rounds: 9 });
    console.log(`| ${name} | ${work.toExponential(1)} | ${a!.medianMs.toFixed(3)} | ${w!.medianMs.toFixed(3)} | ${(a!.medianMs / w!.medianMs).toFixed(2)} |`);
  }
  // A small U-Net (about 24k parameters), 64×64: a strided-conv Downsample and an Upsample around two 3×3 convs.
  const c3 = (i: number, o: number, seed: number) => Conv2d({ inChannels: i, outChannels: o, kernelSize: 3, padding: 1, seed });
  const unet: AnyLayer = Chain(
    c3(3, 16, 1), ReLU(),
    Residual(Downsample({ channels: 16, scaleFactor: 2, registerShape: false, seed: 2 }), ReLU(), c3(16, 32, 3), ReLU(), c3(32, 32, 4), ReLU(), c3(32, 16, 5), ReLU(), Upsample({ channels: 16, upsampleFactor: 2, seed: 6 })),
    ReLU(), c3(16, 3, 7),
  );
  const x = tensor([1, 3, 64, 64], 9);
  const contenders: [string, GpujsBackend][] = [['default (async, small kernels inline)', canopy.get('async')!], ['async, every kernel on the pool', pool], ['webasm (sync)', sync]];
  const t = await timeRounds(contenders.map(([, b]) => () => run(unet, [x], { backend: b })), { warmup: 2, rounds: 15 });
  console.log(`\nU-Net, ${countParams(unet).total} parameters, [1, 3, 64, 64], ms median (min) of 15 paired rounds:`);
  contenders.forEach(([label], i) => console.log(`  ${label}: ${t[i]!.medianMs.toFixed(2)} (${t[i]!.minMs.toFixed(2)}), ${(t[i]!.medianMs / t[2]!.medianMs).toFixed(2)}x webasm`));
  pool.destroy();
}

// The face detector's convolutions at 416² (TinyFaceDetector), one by one as the forward runs them:
// conv0 3→16 3×3 valid, then per block a depthwise 3×3 and a pointwise 1×1 (both with the bias and
// leaky ReLU epilogue on the pointwise), and the final 1×1 512→25. Shape, FLOPs, ms and GFLOP/s on
// webasm and async, paired rounds: which shapes run below the kernels' best rate.
async function benchDetectorConvs(): Promise<void> {
  const leaky = { op: 'prelu', slope: Math.fround(0.1) } as const;
  const cases: { name: string; c: number; o: number; hw: number; k: number; stride: number; pad: number; groups: number; act: boolean }[] = [
    { name: 'conv0 3→16 3×3', c: 3, o: 16, hw: 416, k: 3, stride: 1, pad: 0, groups: 1, act: true },
  ];
  const ch = [16, 32, 64, 128, 256, 512];
  let hw = 207;
  for (let i = 0; i < 5; i++) {
    cases.push({ name: `dw ${ch[i]} 3×3`, c: ch[i]!, o: ch[i]!, hw, k: 3, stride: 1, pad: 1, groups: ch[i]!, act: false });
    cases.push({ name: `pw ${ch[i]}→${ch[i + 1]}`, c: ch[i]!, o: ch[i + 1]!, hw, k: 1, stride: 1, pad: 0, groups: 1, act: true });
    hw = i < 4 ? Math.ceil(hw / 2) : hw;
  }
  cases.push({ name: 'pw 512→25', c: 512, o: 25, hw: 13, k: 1, stride: 1, pad: 0, groups: 1, act: false });
  const engines = (['webasm', 'async'] as const).filter((m) => canopy.has(m));
  console.log(`\n| conv | input | MFLOP | ${engines.map((m) => `${m} ms median (min) | ${m} GFLOP/s median (at min)`).join(' | ')} |\n|---|---|---:|${engines.map(() => '---:|---:').join('|')}|`);
  const totals = engines.map(() => 0);
  let totalFlops = 0;
  for (const [i, cs] of cases.entries()) {
    const x = tensor([1, cs.c, cs.hw, cs.hw], 20 + i);
    const w = tensor([cs.o, cs.c / cs.groups, cs.k, cs.k], 40 + i);
    const bias = tensor([cs.o], 60 + i);
    const p = { stride: [cs.stride, cs.stride], dilation: [1, 1], padding: [cs.pad, cs.pad, cs.pad, cs.pad], groups: cs.groups } as const;
    const oh = cs.hw + 2 * cs.pad - cs.k + 1;
    const flops = 2 * cs.o * oh * oh * (cs.c / cs.groups) * cs.k * cs.k;
    totalFlops += flops;
    const fs = engines.map((m) => {
      const be = canopy.get(m)!;
      return cs.groups > 1 ? () => be.conv2d(x, w, p) : () => be.conv2dEpilogue(x, w, p, cs.act ? { bias, activation: leaky } : { bias });
    });
    const t = await timeRounds(fs, { warmup: 1, rounds: 7 });
    t.forEach((ti, j) => (totals[j]! += ti.medianMs));
    console.log(`| ${cs.name} | ${cs.c}×${cs.hw}² | ${(flops / 1e6).toFixed(1)} | ${t.map((ti) => `${ti.medianMs.toFixed(2)} (${ti.minMs.toFixed(2)}) | ${gflops(flops, ti.medianMs).toFixed(2)} (${gflops(flops, ti.minMs).toFixed(2)})`).join(' | ')} |`);
  }
  console.log(`| all convs | | ${(totalFlops / 1e6).toFixed(1)} | ${totals.map((ms) => `${ms.toFixed(1)} | ${gflops(totalFlops, ms).toFixed(2)}`).join(' | ')} |`);
}

// --- main

const started = performance.now();
console.log(`canopy kernels bench — ${new Date().toISOString()}; gpu.js modes: ${modes.join(', ')}; unavailable: ${skipped.join('; ')}`);
console.log(`canopy default: ${canopy.get('async')?.describe() ?? 'n/a'}; tfjs backend: ${tf?.getBackend() ?? 'not loaded'}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (want('matmul')) for (const n of [256, 512, 1024]) await benchMatmul(n);
if (want('conv')) for (const hw of [64, 128]) await benchConv(hw);
if (want('attention')) await benchAttention(1024, 64);
if (want('gelu')) await benchGelu(4 * 2 ** 20);
if (want('dispatch')) await benchDispatch();
if (want('detector-convs')) await benchDetectorConvs();

console.log('\n| workload | engine | ms (median) | ms (min) | rate | % of FMA peak (234) | % of WASM SIMD peak (117) | vs naive gpu.js |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const flopRow = r.unit === 'GFLOP/s';
  const pct = (p: number): string => (flopRow ? `${((100 * r.rate) / p).toFixed(1)}%` : '–');
  const vs = r.naiveMs === undefined ? '' : `${(r.naiveMs / r.ms).toFixed(2)}x`;
  console.log(`| ${r.workload} | ${r.engine} | ${r.ms.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.rate.toFixed(2)} ${r.unit} | ${pct(PEAK_FMA)} | ${pct(PEAK_WASM)} | ${vs} |`);
}
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
for (const be of canopy.values()) be.destroy();
for (const be of altConv.values()) be.destroy();
naiveRt.destroy();
process.exit(0);
