// The face detector's convolution shapes under each gpu.js formulation (bench/RESULTS.md, "Face
// detector"): `npx tsx bench/lib/detectorKernels.ts [rounds]`. Async webasm, 2 threads; each row is
// the best of interleaved rounds, padding and unpacking included.
//   conv0 and depthwise: direct4 (four output channels per pixel) vs the row kernel with one or
//   four adjacent outputs per thread; pointwise 1×1: direct4 vs the four-rows matmul;
//   leaky ReLU: lt + mul + where vs the prelu primitive.

import { createRuntime } from '../../src/backend/gpujs/runtime.ts';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { convDirect4, type ConvShape } from '../../src/backend/gpujs/kernels/conv2d.ts';
import { convRow, rowConvExtraColumns } from '../../src/backend/gpujs/kernels/convRow.ts';
import { fastMatmul } from '../../src/backend/gpujs/kernels/matmul.ts';
import { padData } from '../../src/tensor/strided.ts';
import { randn } from '../../src/tensor/random.ts';
import { greater, mul, where } from '../../src/ops/elementwise.ts';
import { leakyRelu } from '../../src/ops/activation.ts';
import { timeRounds } from './timing.ts';

const rounds = Number(process.argv[2] ?? 5);
const rt = createRuntime('async', { threads: 2 });
const be = createGpujsBackend({ mode: 'async', threads: 2 });
const cases: [string, () => unknown][] = [];
const data = (size: number, seed: number): Float32Array => randn([size], seed).data as Float32Array;

function conv3x3(label: string, c: number, o: number, h: number, pad: number, groups: number): void {
  const x = data(c * h * h, 1);
  const w = data(o * (c / groups) * 9, 2);
  const hp = h + 2 * pad;
  const base: ConvShape = { n: 1, c, hp, wp: hp, o, kh: 3, kw: 3, oh: hp - 2, ow: hp - 2, stride: [1, 1], dilation: [1, 1], groups };
  const padded = (extra: number): Float32Array =>
    padData(x, [1, c, h, h], [[0, 0], [0, 0], [pad, pad], [pad, pad + extra]], 'constant', 0) as Float32Array;
  cases.push([`${label} direct4`, () => convDirect4(rt, base, padded(0), w)]);
  for (const width of [1, 4] as const) {
    const extra = rowConvExtraColumns(base, width);
    cases.push([`${label} row${width}`, () => convRow(rt, { ...base, wp: hp + extra }, padded(extra), w, width)]);
  }
}

function pointwise(c: number, o: number, h: number): void {
  const x = data(c * h * h, 3);
  const w = data(o * c, 4);
  const s: ConvShape = { n: 1, c, hp: h, wp: h, o, kh: 1, kw: 1, oh: h, ow: h, stride: [1, 1], dilation: [1, 1], groups: 1 };
  cases.push([`1×1 ${c}→${o} ${h}² direct4`, () => convDirect4(rt, s, x, w)]);
  cases.push([`1×1 ${c}→${o} ${h}² matmul`, () => fastMatmul(rt, { batches: 1, aBatches: 1, m: o, k: c, n: h * h }, w, x)]);
}

conv3x3('conv0 3→16 416²', 3, 16, 416, 0, 1);
conv3x3('depthwise 16 207²', 16, 16, 207, 1, 16);
conv3x3('depthwise 32 104²', 32, 32, 104, 1, 32);
conv3x3('depthwise 128 26²', 128, 128, 26, 1, 128);
for (const [c, o, h] of [[16, 32, 207], [32, 64, 104], [128, 256, 26], [256, 512, 13]] as const) pointwise(c, o, h);
const t = randn([1, 16, 414, 414], 5);
cases.push(['leaky 16×414² lt+mul+where', async () => where(be, await greater(be, t, 0), t, await mul(be, t, 0.1))]);
cases.push(['leaky 16×414² prelu', () => leakyRelu(be, t, 0.1)]);

const ts = await timeRounds(cases.map((c) => c[1]), { warmup: 1, rounds });
cases.forEach(([name], i) => console.log(`${name.padEnd(32)} ${ts[i]!.minMs.toFixed(1).padStart(7)} ms (min) ${ts[i]!.medianMs.toFixed(1).padStart(7)} ms (median)`));
rt.destroy();
be.destroy();
