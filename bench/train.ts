// Training-step bench: one step (forward, backward, Adam update) of the MLP and the convnet of
// `npm run train`, batch 64 of real digits, canopy against tfjs (cpu and wasm backends,
// `optimizer.minimize` over variables) in the same process; median of repeated steps after a
// warm-up. Memory: what one step leaves behind (heap + array buffers after a full GC, per step,
// over 20 steps) and, for tfjs, its tensor bytes.
//   node --expose-gc --import tsx bench/train.ts      (or npm run bench -- train)
import { createRequire } from 'node:module';
import {
  type AnyLayer, type Backend, Chain, Conv2d, Flatten, Linear, ReLU, adam, applyUpdates, crossEntropyLoss, referenceBackend,
  run, selectBackend, takeRows, valueAndGrad, type OptimizerState, type Tensor,
} from '../src/index.ts';
import { loadDigits } from '../examples/digits/data.ts';
import { timeIt, type Timing } from './lib/timing.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped CommonJS bundles */
const require = createRequire(import.meta.url);
const tf: any = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-core/dist/register_all_gradients');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-backend-wasm');

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const { train } = loadDigits({ limit: 40 });
const rows = Array.from({ length: 64 }, (_, i) => i * 6);
const x = takeRows(train.images, rows);
const y = takeRows(train.labels, rows);
const options = { warmup: 2, minRuns: 5, maxRuns: 15, budgetMs: 15_000 };
const show = (t: Timing): string => `${t.medianMs.toFixed(1)} ms (min ${t.minMs.toFixed(1)}, max ${t.maxMs.toFixed(1)})`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

const mlp = (): AnyLayer => Chain(Flatten({ startDim: 1 }), Linear({ inFeatures: 784, outFeatures: 128, seed: 1 }), ReLU(), Linear({ inFeatures: 128, outFeatures: 10, seed: 2 }));
const convnet = (): AnyLayer => Chain(
  Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 5, stride: 2, padding: 2, seed: 1 }), ReLU(),
  Conv2d({ inChannels: 8, outChannels: 16, kernelSize: 3, stride: 2, padding: 1, seed: 2 }), ReLU(),
  Flatten({ startDim: 1 }), Linear({ inFeatures: 784, outFeatures: 10, seed: 3 }),
);

const results: Record<string, Record<string, string>> = {};
const record = (model: string, who: string, text: string): void => {
  (results[model] ??= {})[who] = text;
  console.log(`| ${model} | ${who} | ${text} |`);
};

async function canopy(name: string, build: () => AnyLayer, label: string, backend: Backend): Promise<number> {
  let model = build();
  const opt = adam(1e-3);
  let state: OptimizerState = opt.init(model);
  const f = valueAndGrad(async (b: Backend, m: AnyLayer, xx: Tensor, yy: Tensor) => crossEntropyLoss(b, (await run(m, [xx], { backend: b })).output as Tensor, yy), { backend, inputs: false });
  const step = async (): Promise<void> => {
    const { grads } = await f(model, x, y);
    const r = opt.update(grads, state, model);
    model = applyUpdates(model, r.updates);
    state = r.state;
  };
  const t = await timeIt(step, options);
  gc();
  const m0 = process.memoryUsage();
  for (let i = 0; i < 20; i++) await step();
  gc();
  const m1 = process.memoryUsage();
  const kept = (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / 20;
  record(name, `canopy ${label}`, `${show(t)}; kept per step ${kb(kept)}`);
  return t.medianMs;
}

async function tfjs(name: string, backendName: 'cpu' | 'wasm'): Promise<number> {
  await tf.setBackend(backendName);
  await tf.ready();
  const seedless = (shape: number[], fan: number): any => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fan), 1 / Math.sqrt(fan), 'float32', 1));
  const xs = name === 'MLP' ? tf.tensor2d(x.data as Float32Array, [64, 784]) : tf.tensor4d(x.data as Float32Array, [64, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(y.data as Int32Array, 'int32'), 10);
  let vars: any[];
  let forward: () => any;
  if (name === 'MLP') {
    vars = [seedless([784, 128], 784), seedless([128], 784), seedless([128, 10], 128), seedless([10], 128)];
    forward = () => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(xs, vars[0]), vars[1])), vars[2]), vars[3]);
  } else {
    vars = [seedless([5, 5, 1, 8], 25), seedless([8], 25), seedless([3, 3, 8, 16], 72), seedless([16], 72), seedless([784, 10], 784), seedless([10], 784)];
    forward = () => {
      const h1 = tf.relu(tf.add(tf.conv2d(tf.pad(xs, [[0, 0], [2, 2], [2, 2], [0, 0]]), vars[0], 2, 'valid'), vars[1]));
      const h2 = tf.relu(tf.add(tf.conv2d(tf.pad(h1, [[0, 0], [1, 1], [1, 1], [0, 0]]), vars[2], 2, 'valid'), vars[3]));
      return tf.add(tf.matMul(tf.reshape(h2, [64, 784]), vars[4]), vars[5]);
    };
  }
  const opt = tf.train.adam(1e-3);
  const step = async (): Promise<void> => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, forward()), true, vars);
    await loss.data();
    loss.dispose();
  };
  const t = await timeIt(step, options);
  gc();
  const m0 = process.memoryUsage();
  const n0 = tf.memory().numBytes;
  for (let i = 0; i < 20; i++) await step();
  gc();
  const m1 = process.memoryUsage();
  const kept = (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / 20;
  record(name, `tfjs ${tf.version_core} ${backendName}`, `${show(t)}; kept per step ${kb(kept)}, tensor bytes ${kb((tf.memory().numBytes - n0) / 20)}`);
  opt.dispose();
  vars.forEach((v) => v.dispose());
  xs.dispose();
  ys.dispose();
  return t.medianMs;
}

const gpujs = selectBackend();
for (const [name, build] of [['MLP', mlp], ['convnet', convnet]] as const) {
  const ours = await canopy(name, build, gpujs.name, gpujs);
  if (name === 'MLP') await canopy(name, build, 'reference', referenceBackend);
  await tfjs(name, 'cpu');
  try {
    const wasm = await tfjs(name, 'wasm');
    console.log(`${name}: canopy ${gpujs.name} / tfjs-wasm = ${(ours / wasm).toFixed(2)}x`);
  } catch (e) {
    // tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel: it cannot train a convnet
    record(name, `tfjs ${tf.version_core} wasm`, `fails: ${(e as Error).message}`);
  }
}
process.exit(0);
