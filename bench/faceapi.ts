// Face detector bench: canopy against upstream face-api on tfjs-wasm, in the same process, in
// interleaved paired rounds (each round runs both sides back to back, so a slow spell of a shared
// machine hits both; the ratio is taken per round). Measured:
// - forward: the tiny face detector at 416×416 on a FRESH input tensor each call (a copy of the
//   prepared input: nothing may be cached per tensor), upstream `nets.tinyFaceDetector.forward`;
// - pipeline: detect + 68 landmarks on demo/sample1.jpg (1920×1280, 3 faces), preprocessing included;
// then canopy's per-stage times (detectFaces' onStage) and a per-primitive profile of one forward
// (a wrapping backend times each primitive call; in the async mode that includes the worker round trip).
//   npx tsx bench/faceapi.ts [rounds=7] [--all]     (--all adds every gpu.js mode and tfjs-cpu, unpaired)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import jpeg from 'jpeg-js';
import { selectBackend } from '../src/backend/select.ts';
import { gpujsModes, modeUnavailableReason, type GpujsMode } from '../src/backend/gpujs/index.ts';
import type { Backend } from '../src/backend/Backend.ts';
import { hasConvEpilogue } from '../src/backend/fused.ts';
import { run } from '../src/context/run.ts';
import { detectFaces, type FaceStage } from '../src/models/faceapi/detectFaces.ts';
import { netInputOps, netInputTensor, rgbFromRgba } from '../src/models/faceapi/image.ts';
import { readTensor } from '../src/tensor/device.ts';
import { loadFaceApiModels } from '../src/node/faceApi.ts';
import { makeTensor, type Tensor } from '../src/tensor/Tensor.ts';
import { timeIt, type Timing } from './lib/timing.ts';
import { timedPrimitives } from './lib/timedPrimitives.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped CommonJS bundles */
const require = createRequire(import.meta.url);
const tf: any = require('@tensorflow/tfjs');
const faceapi: any = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const rounds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 7);
const all = process.argv.includes('--all');
const file = jpeg.decode(readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg'), { useTArray: true });
const image = rgbFromRgba(file.width, file.height, file.data);
const x = netInputTensor([image], 416, false);
const fresh = (): Tensor => makeTensor(Float32Array.from(x.data as Float32Array), x.shape);
const models = await loadFaceApiModels();

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const range = (v: readonly number[], d = 0): string => `${median(v).toFixed(d)} (${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)})`;
const time = async (f: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

// --- upstream on tfjs-wasm
async function upstreamOn(backendName: 'cpu' | 'wasm'): Promise<{ forward: () => Promise<void>; pipeline: () => Promise<unknown> }> {
  await tf.setBackend(backendName);
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromDisk('node_modules/@vladmandic/face-api/model');
  await faceapi.nets.faceLandmark68TinyNet.loadFromDisk('node_modules/@vladmandic/face-api/model');
  // face-api's input is NHWC: the same pixels as canopy's NCHW x.
  const hwc = new Float32Array(x.size);
  for (let p = 0; p < 416 * 416; p++) for (let c = 0; c < 3; c++) hwc[p * 3 + c] = x.data[c * 416 * 416 + p]!;
  const full = tf.tensor3d(Int32Array.from(image.data), [file.height, file.width, 3], 'int32');
  return {
    forward: async () => {
      const input = tf.tensor4d(hwc, [1, 416, 416, 3]);
      const out = await faceapi.nets.tinyFaceDetector.forward(input, 416);
      await out.data();
      out.dispose();
      input.dispose();
    },
    pipeline: () => faceapi.detectAllFaces(full, new faceapi.TinyFaceDetectorOptions()).withFaceLandmarks(true),
  };
}

console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
const wasm = await upstreamOn('wasm');
const contenders: [string, Backend][] = [
  ['canopy default (gpu.js async)', selectBackend({ backend: 'gpujs' })],
  ['canopy gpu.js webasm (sync)', selectBackend({ backend: 'gpujs', mode: 'webasm' })],
];
for (const [, b] of contenders) {
  await run(models.detector, [fresh()], { backend: b });
  await detectFaces(models, image, { backend: b });
}
await wasm.forward();
await wasm.pipeline();

// --- paired rounds
const fwd = contenders.map(() => [] as number[]);
const pipe = contenders.map(() => [] as number[]);
const up = { forward: [] as number[], pipeline: [] as number[] };
const stages = contenders.map(() => new Map<FaceStage, number[]>());
for (let r = 0; r < rounds; r++) {
  up.forward.push(await time(wasm.forward));
  for (const [i, [, b]] of contenders.entries()) fwd[i]!.push(await time(() => run(models.detector, [fresh()], { backend: b })));
  up.pipeline.push(await time(wasm.pipeline));
  for (const [i, [, b]] of contenders.entries()) {
    pipe[i]!.push(await time(() => detectFaces(models, image, { backend: b, onStage: (s, ms) => stages[i]!.set(s, [...(stages[i]!.get(s) ?? []), ms]) })));
  }
}
console.log(`\n${rounds} paired rounds, ms median (min–max); ratio = canopy / face-api on tfjs-wasm, per round`);
console.log('| implementation | detector forward 416², fresh tensor | ratio | detect + landmarks, sample1.jpg | ratio |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| face-api 1.7.15, tfjs ${tf.version_core} wasm | ${range(up.forward)} | 1 | ${range(up.pipeline)} | 1 |`);
for (const [i, [label]] of contenders.entries()) {
  const rf = fwd[i]!.map((t, r) => t / up.forward[r]!);
  const rp = pipe[i]!.map((t, r) => t / up.pipeline[r]!);
  console.log(`| ${label} | ${range(fwd[i]!)} | ${range(rf, 2)} | ${range(pipe[i]!)} | ${range(rp, 2)} |`);
}
console.log('\ncanopy per stage of detectFaces, ms median (min–max):');
for (const [i, [label]] of contenders.entries()) {
  console.log(`  ${label}: ${[...stages[i]!].map(([s, v]) => `${s} ${range(v, 1)}`).join(', ')}`);
}
// The input stage above is netInputTensor's host pass (on every backend); its specification, the
// same preprocessing as ops, on each backend, for the record of why the pass is used:
console.log('input stage as ops (netInputOps: permute to NCHW (the upload), interpolate with padding), ms median (min–max):');
for (const [label, b] of contenders) {
  const t: number[] = [];
  for (let r = 0; r < rounds; r++) t.push(await time(async () => readTensor(await netInputOps(b, [image], 416, false))));
  console.log(`  ${label}: ${range(t, 1)}`);
}

// --- per-primitive profile of one forward (sum of calls per primitive, median of 3 forwards)
for (const [label, inner] of contenders) {
  const acc = new Map<string, number[]>();
  const profiled = profile(inner);
  for (let r = 0; r < 3; r++) {
    profiled.sums.clear();
    const total = await time(() => run(models.detector, [fresh()], { backend: profiled.backend }));
    for (const [k, v] of profiled.sums) acc.set(k, [...(acc.get(k) ?? []), v]);
    acc.set('(whole forward)', [...(acc.get('(whole forward)') ?? []), total]);
  }
  const rows = [...acc].sort((a, b) => median(b[1]) - median(a[1]));
  console.log(`\nper primitive, ${label} (fused epilogues: ${hasConvEpilogue(inner)}), ms per forward, median of 3: ${rows.map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(', ')}`);
}

// --- every mode, unpaired (the old table), with --all
if (all) {
  const opts = { warmup: 1, minRuns: 3, maxRuns: 5, budgetMs: 10_000 };
  const show = (t: Timing): string => `${t.medianMs.toFixed(0)} ms (min ${t.minMs.toFixed(0)}, max ${t.maxMs.toFixed(0)}, ${t.runs} runs)`;
  console.log('\n| implementation | detector forward (fresh tensor) | detect + landmarks |\n|---|---:|---:|');
  for (const mode of gpujsModes as readonly GpujsMode[]) {
    const why = modeUnavailableReason(mode);
    if (why !== undefined) {
      console.log(`| canopy, gpu.js ${mode} | not available here: ${why} | |`);
      continue;
    }
    const b = selectBackend({ backend: 'gpujs', mode });
    console.log(`| canopy, gpu.js ${mode} | ${show(await timeIt(() => run(models.detector, [fresh()], { backend: b }), opts))} | ${show(await timeIt(() => detectFaces(models, image, { backend: b }), opts))} |`);
  }
  const cpu = await upstreamOn('cpu');
  console.log(`| face-api, tfjs cpu | ${show(await timeIt(cpu.forward, opts))} | ${show(await timeIt(cpu.pipeline, opts))} |`);
}
process.exit(0);

// A backend that sums the wall time of each primitive (by method and op name) into `sums`.
function profile(inner: Backend): { backend: Backend; sums: Map<string, number> } {
  const sums = new Map<string, number>();
  const backend = timedPrimitives(inner, (k, args, ms) => {
    const key = k + (typeof args[0] === 'string' ? `:${args[0]}` : '');
    sums.set(key, (sums.get(key) ?? 0) + ms);
  });
  return { backend, sums };
}
