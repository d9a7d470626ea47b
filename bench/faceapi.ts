// Face detector bench: the tiny face detector's forward pass at 416×416 (network only, on the same
// prepared input), canopy in each gpu.js mode that runs here (and the reference backend), against
// upstream face-api on tfjs cpu and wasm, in the same process; median of repeated runs after a
// warm-up. Also the whole pipeline (detect + landmarks) on demo/sample1.jpg, both sides.
//   npx tsx bench/faceapi.ts        (or npm run bench -- faceapi)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import jpeg from 'jpeg-js';
import { selectBackend } from '../src/backend/select.ts';
import { gpujsModes, modeUnavailableReason } from '../src/backend/gpujs/index.ts';
import { referenceBackend } from '../src/backend/reference/index.ts';
import type { Backend } from '../src/backend/Backend.ts';
import { run } from '../src/context/run.ts';
import { detectFaces } from '../src/models/faceapi/detectFaces.ts';
import { imagesToTensor, rgbFromRgba, toNetInput } from '../src/models/faceapi/image.ts';
import { loadFaceApiModels } from '../src/node/faceApi.ts';
import { timeIt, type Timing } from './lib/timing.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped CommonJS bundles */
const require = createRequire(import.meta.url);
const tf: any = require('@tensorflow/tfjs');
const faceapi: any = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const file = jpeg.decode(readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg'), { useTArray: true });
const image = rgbFromRgba(file.width, file.height, file.data);
const net416 = toNetInput(image, 416, false);
const x = imagesToTensor([net416]);
const models = await loadFaceApiModels();

const rows: string[] = [];
const show = (t: Timing): string => `${t.medianMs.toFixed(0)} ms (min ${t.minMs.toFixed(0)}, max ${t.maxMs.toFixed(0)}, ${t.runs} runs)`;
const options = { warmup: 1, minRuns: 3, maxRuns: 7, budgetMs: 20_000 };

async function canopy(label: string, backend: Backend): Promise<void> {
  const forward = await timeIt(() => run(models.detector, [x], { backend }), options);
  const pipeline = await timeIt(() => detectFaces(models, image, { backend }), { ...options, minRuns: 3, maxRuns: 3 });
  rows.push(`| canopy, ${label} | ${show(forward)} | ${show(pipeline)} |`);
  console.log(rows.at(-1));
}

async function upstream(backendName: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(backendName);
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromDisk('node_modules/@vladmandic/face-api/model');
  await faceapi.nets.faceLandmark68TinyNet.loadFromDisk('node_modules/@vladmandic/face-api/model');
  const input = tf.tensor4d(Float32Array.from(net416.data), [1, 416, 416, 3]);
  const full = tf.tensor3d(Int32Array.from(rgbFromRgba(file.width, file.height, file.data).data), [file.height, file.width, 3], 'int32');
  const forward = await timeIt(async () => {
    const out = await faceapi.nets.tinyFaceDetector.forward(input, 416);
    await out.data();
    out.dispose();
  }, options);
  const pipeline = await timeIt(() => faceapi.detectAllFaces(full, new faceapi.TinyFaceDetectorOptions()).withFaceLandmarks(true), { ...options, minRuns: 3, maxRuns: 3 });
  rows.push(`| face-api 1.7.15, tfjs ${tf.version_core} ${backendName} | ${show(forward)} | ${show(pipeline)} |`);
  console.log(rows.at(-1));
  input.dispose();
  full.dispose();
}

console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`);
console.log('| implementation | detector forward 416×416 (median) | detect + landmarks, sample1.jpg 1920×1280 (median) |');
console.log('|---|---:|---:|');
for (const mode of gpujsModes) {
  const why = modeUnavailableReason(mode);
  if (why !== undefined) {
    rows.push(`| canopy, gpu.js ${mode} | not available here: ${why} | |`);
    console.log(rows.at(-1));
    continue;
  }
  await canopy(`gpu.js ${mode}`, selectBackend({ backend: 'gpujs', mode }));
}
await canopy('reference backend', referenceBackend);
await upstream('cpu');
await upstream('wasm');
process.exit(0);
