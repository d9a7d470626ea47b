// The training loop: deterministic for a seed, progress output, a tiny digits smoke run.
import { describe, expect, it } from 'vitest';
import {
  type AnyLayer, type Backend, Chain, Flatten, Linear, ReLU, adam, chain, clipByGlobalNorm,
  cosineDecaySchedule, crossEntropyLoss, fit, fromArray, globalNorm, loadStateDict, mseLoss, permutation, randn,
  referenceBackend, run, sgd, stateDict, warmupCosineSchedule, zeros, type Tensor,
} from '../../src/index.ts';
import { loadDigits } from '../../examples/digits/data.ts';

const mse = async (b: Backend, m: AnyLayer, x: Tensor, y: Tensor): Promise<Tensor> => mseLoss(b, (await run(m, [x], { backend: b })).output as Tensor, y);
const data = { inputs: randn([20, 3], 1), targets: randn([20, 1], 2) };
const net = (): AnyLayer => Chain(Linear({ inFeatures: 3, outFeatures: 4, seed: 1 }), ReLU(), Linear({ inFeatures: 4, outFeatures: 1, seed: 2 }));

describe('fit', () => {
  it('is deterministic for a seed, and the seed changes the batches', async () => {
    const go = async (seed: number) => fit(net(), data, { loss: mse, optimizer: adam(0.01), epochs: 3, batchSize: 6, seed, progress: false, backend: referenceBackend });
    const [a, b, c] = [await go(1), await go(1), await go(2)];
    const flat = (m: AnyLayer) => [...stateDict(m).values()].flatMap((t) => Array.from(t.data));
    expect(flat(a.model)).toEqual(flat(b.model));
    expect(flat(a.model)).not.toEqual(flat(c.model));
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
    expect(a.state.step).toBe(3 * 4);
  });

  it('calls back after every step and writes a plain line per epoch when not on a terminal', async () => {
    const lines: string[] = [];
    const steps: number[] = [];
    await fit(net(), data, {
      loss: mse, optimizer: sgd(0.01), epochs: 2, batchSize: 8, backend: referenceBackend, label: 'toy',
      progress: { write: (s) => lines.push(s) }, onStep: (i) => steps.push(i.step),
    });
    expect(steps).toEqual([0, 1, 2, 3, 4, 5]);
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/^toy epoch 1\/2: loss \d+\.\d{4}, \d+ ex\/s, \d+\.\d s\n$/);
  });

  it('draws a progress bar on a terminal (steps, loss, examples/s, time left)', async () => {
    let out = '';
    await fit(net(), data, { loss: mse, optimizer: sgd(0.01), batchSize: 10, backend: referenceBackend, progress: { write: (s) => { out += s; }, isTTY: true } });
    expect(out).toMatch(/\r\x1b\[Ktrain epoch 1\/1 \[=+>? *\] 1\/2 loss \d+\.\d{4} \d+ ex\/s \d+s left/);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('reports bad data in one error', async () => {
    await expect(fit(net(), { inputs: zeros([3, 3]), targets: zeros([2, 1]) }, { loss: mse, optimizer: sgd(0.1), progress: false }))
      .rejects.toThrow('fit: inputs and targets must hold the same number (> 0) of examples along axis 0, got [3,3] and [2,1]');
  });

  it('smoke: a few steps on a few digits lower the loss', async () => {
    const { train } = loadDigits({ limit: 12 });
    const m = Chain(Flatten({ startDim: 1 }), Linear({ inFeatures: 784, outFeatures: 10, seed: 1 }));
    const r = await fit(m, { inputs: train.images, targets: train.labels }, {
      loss: async (b, mm, x, y) => crossEntropyLoss(b, (await run(mm, [x], { backend: b })).output as Tensor, y),
      optimizer: adam(0.01), epochs: 4, batchSize: 30, progress: false, backend: referenceBackend,
    });
    expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0]!.loss);
  });
});

describe('schedules, clipping, permutations', () => {
  it('schedules', () => {
    expect(cosineDecaySchedule(1, 10, 0.1)(10)).toBeCloseTo(0.1);
    const s = warmupCosineSchedule({ init: 0.1, peak: 1, warmupSteps: 4, totalSteps: 8, end: 0.2 });
    expect([s(0), s(2), s(4), s(8), s(100)].map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.55, 1, 0.2, 0.2]);
  });

  it('clipByGlobalNorm scales the whole tree to the norm, and only above it', () => {
    const m = loadStateDict(Linear({ inFeatures: 1, outFeatures: 1 }), { weight: fromArray([[3]]), bias: fromArray([4]) });
    const opt = chain(clipByGlobalNorm(1), sgd(1));
    const { updates } = opt.update(m, opt.init(m), m);
    expect(globalNorm(updates)).toBeCloseTo(1);
    const small = clipByGlobalNorm(10);
    expect(small.update(m, small.init(m), m).updates).toBe(m);
  });

  it('permutation is a seeded shuffle of every index', () => {
    const p = permutation(50, 3);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation(50, 3)).toEqual(p);
    expect(permutation(50, 4)).not.toEqual(p);
  });
});
