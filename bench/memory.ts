// Memory of a forward (`npx tsx bench/memory.ts [forwards=5]`), issue 14 part 4:
// 1. resident backend (gpu.js cpu mode with `resident: true`: the same device tensors, kernels and
//    lifetimes as WebGPU/WebGL2, over host memory): peak live device bytes of the detector forward
//    at 416², of the landmark net on 3 faces and of detect + landmarks on sample1.jpg (per stage), live tensors left, and the kernel calls that
//    could render into their kernel's previous output (`reusableCalls`: WebGL2 then allocates no
//    texture), in a first and a later run;
// 2. host backend (the default, gpu.js async): bytes of fresh output buffers one detector forward
//    allocates (every primitive's result), and what allocating them costs: the same sizes copied
//    out of a big Float32Array with `slice` (what gpu.js's WebAssembly kernels return: a fresh
//    copy of wasm memory) against `set` into buffers allocated once (what a destination pool would
//    leave: the copy), set against the forward's time.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import jpeg from 'jpeg-js';
import type { Backend } from '../src/backend/Backend.ts';
import { createGpujsBackend } from '../src/backend/gpujs/index.ts';
import { destroyBackends, selectBackend } from '../src/backend/select.ts';
import { run } from '../src/context/run.ts';
import { detectFaces } from '../src/models/faceapi/detectFaces.ts';
import { netInputTensor, rgbFromRgba } from '../src/models/faceapi/image.ts';
import { loadFaceApiModels } from '../src/node/faceApi.ts';
import { disposeTensor } from '../src/tensor/device.ts';
import { isTensor, makeTensor, type Tensor } from '../src/tensor/Tensor.ts';

const forwards = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const file = jpeg.decode(readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg'), { useTArray: true });
const image = rgbFromRgba(file.width, file.height, file.data);
const x = netInputTensor([image], 416, false);
const models = await loadFaceApiModels();
const faces = makeTensor(new Float32Array(3 * 3 * 112 * 112).map((_, i) => (i * 37) % 256), [3, 3, 112, 112]);
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 16)}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// --- 1. resident
const dev = createGpujsBackend({ mode: 'cpu', resident: true });
// Peak live bytes above the run's start, per stage of detectFaces (peaks restart at each stage).
let start = 0;
const peaks: string[] = [];
const stagePeak = (): number => dev.deviceStats({ resetPeak: true }).peakBytes - start;
for (const [what, f] of [
  ['detector forward 416²', async () => disposeTensor((await run(models.detector, [x], { backend: dev })).output)],
  ['landmark net forward, 3 faces', async () => disposeTensor((await run(models.landmarks, [faces], { backend: dev })).output)],
  ['detect + landmarks, sample1.jpg', async () => void (await detectFaces(models, image, { backend: dev, onStage: (s) => peaks.push(`${s} ${mb(stagePeak())}`) }))],
] as const) {
  for (const pass of ['first', 'second']) {
    const s0 = dev.deviceStats({ resetPeak: true });
    start = s0.liveBytes;
    peaks.length = 0;
    await f();
    const s1 = dev.deviceStats();
    console.log(
      `resident ${what}, ${pass} run: peak ${peaks.length > 0 ? `per stage: ${peaks.join(', ')}` : mb(s1.peakBytes - start)} live above the start; ` +
        `${s1.kernelCalls - s0.kernelCalls} kernel calls, ${s1.reusableCalls - s0.reusableCalls} could reuse their kernel's output, ` +
        `${s1.liveTensors - s0.liveTensors} tensors left`,
    );
  }
}
dev.destroy();

// --- 2. host: bytes of fresh outputs in one forward, and the cost of allocating them
const host = selectBackend({ backend: 'gpujs' });
const sizes: number[] = [];
const counting = Object.fromEntries(
  Object.entries(host).map(([k, f]) =>
    typeof f !== 'function' || k === 'deviceStats'
      ? [k, f]
      : [
          k,
          async (...args: unknown[]) => {
            const out: unknown = await (f as (...a: unknown[]) => unknown).apply(host, args);
            if (isTensor(out) && out.data.length > 0) sizes.push(out.data.length);
            return out;
          },
        ],
  ),
) as unknown as Backend;
const fresh = (): Tensor => makeTensor(Float32Array.from(x.data as Float32Array), x.shape);
await run(models.detector, [fresh()], { backend: host });
const times: number[] = [];
for (let i = 0; i < forwards; i++) {
  const t0 = performance.now();
  await run(models.detector, [fresh()], { backend: host });
  times.push(performance.now() - t0);
}
sizes.length = 0;
await run(models.detector, [fresh()], { backend: counting });
const total = sizes.reduce((a, n) => a + n, 0) * 4;
const wasm = new Float32Array(Math.max(...sizes)).map((_, i) => i);
const pool = sizes.map((n) => new Float32Array(n));
const sliced: number[] = [];
const copied: number[] = [];
let sink = 0;
for (let r = 0; r < Math.max(forwards, 5); r++) {
  let t0 = performance.now();
  for (const n of sizes) sink += wasm.slice(0, n)[n - 1]!;
  sliced.push(performance.now() - t0);
  t0 = performance.now();
  for (const [i, n] of sizes.entries()) {
    pool[i]!.set(wasm.subarray(0, n));
    sink += pool[i]![n - 1]!;
  }
  copied.push(performance.now() - t0);
}
const forward = median(times);
const alloc = median(sliced) - median(copied);
console.log(`host (${host.name}) detector forward 416², fresh input: ${forward.toFixed(0)} ms (median of ${forwards})`);
console.log(
  `  ${sizes.length} primitive outputs, ${mb(total)} of fresh buffers; slice of those sizes ${median(sliced).toFixed(1)} ms, ` +
    `set into buffers made once ${median(copied).toFixed(1)} ms: allocation ${alloc.toFixed(1)} ms = ${((100 * alloc) / forward).toFixed(1)}% of the forward` +
    (sink === 0.5 ? ' ' : ''),
);
destroyBackends();
