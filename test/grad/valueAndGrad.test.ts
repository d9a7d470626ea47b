// valueAndGrad: gradient trees of the model's own shape, what gets none, memory, adapters.
import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type AnyLayer, type Backend, BatchNorm2d, Chain, Conv2d, Embedding, Flatten, Linear, LinearLora, LoraAdapter, ReLU,
  applyUpdates, baseStateDict, ejectAll, freezeParams, fromArray, inject, layerEquals, mseLoss, printTree, randn,
  referenceBackend, run, select, sgd, stateDict, sum, trainableParams, valueAndGrad, grad, type Tensor,
} from '../../src/index.ts';

const b = referenceBackend;
const sumOut = async (bb: Backend, m: AnyLayer, x: Tensor): Promise<Tensor> => sum(bb, (await run(m, [x], { backend: bb })).output as Tensor);
const model = (): AnyLayer => Chain(
  Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, seed: 1 }), BatchNorm2d({ numFeatures: 3 }), ReLU(),
  Flatten({ startDim: 1 }), Linear({ inFeatures: 3 * 4 * 4, outFeatures: 2, seed: 2 }),
);
const x = randn([2, 2, 4, 4], 3);

describe('valueAndGrad: a gradient tree of the model shape', () => {
  it('has the trainable parameters state-dict keys, shapes, and prints like the model', async () => {
    const m = model();
    const { value, grads } = await valueAndGrad(sumOut, { backend: b })(m, x);
    expect(Number.isFinite(value)).toBe(true);
    const g = stateDict(grads);
    expect([...g.keys()]).toEqual([...trainableParams(m).keys()]);
    for (const [k, t] of trainableParams(m)) expect(g.get(k)!.shape).toEqual(t.shape);
    expect(g.has('BatchNorm2d.running_mean')).toBe(false); // buffers get none
    expect(printTree(grads)).toBe(printTree(m));
    expect(select(grads).atKind(Linear.kind).count).toBe(1); // optics work on it
  });

  it('gives frozen layers none, and int32 inputs none', async () => {
    const m = freezeParams(model(), { where: (p) => p === 'Conv2d' });
    const grads = await grad(sumOut, { backend: b })(m, x);
    expect([...stateDict(grads).keys()]).toEqual(['BatchNorm2d.weight', 'BatchNorm2d.bias', 'Linear.weight', 'Linear.bias']);
    const emb = Embedding({ numEmbeddings: 4, embeddingDim: 2, seed: 1 });
    const r = await valueAndGrad(sumOut, { backend: b })(emb, fromArray([1, 1, 3], 'int32'));
    expect(r.inputGrads).toEqual([undefined]);
    expect(Array.from(stateDict(r.grads).get('weight')!.data)).toEqual([0, 0, 2, 2, 0, 0, 1, 1]);
  });

  it('differentiates the inputs, or not when asked', async () => {
    const lin = Linear({ inFeatures: 2, outFeatures: 1, seed: 1 });
    const w = stateDict(lin).get('weight')!;
    const with_ = await valueAndGrad(sumOut, { backend: b })(lin, fromArray([[1, 2], [3, 4]]));
    expect(Array.from(with_.inputGrads[0]!.data)).toEqual([...w.data, ...w.data]);
    const without = await valueAndGrad(sumOut, { backend: b, inputs: false })(lin, fromArray([[1, 2]]));
    expect(without.inputGrads).toEqual([undefined]);
  });

  it('refuses a loss that is not one element, naming what it got', async () => {
    const f = valueAndGrad(async (bb: Backend, m: AnyLayer, xx: Tensor) => (await run(m, [xx], { backend: bb })).output as Tensor, { backend: b });
    await expect(f(Linear({ inFeatures: 2, outFeatures: 2 }), fromArray([[1, 2]]))).rejects.toThrow(
      'valueAndGrad: the loss must be a float32 tensor of one element, got float32 [1,2]',
    );
  });

  it('keeps nothing between steps: the heap does not grow over 1,000 steps', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let m: AnyLayer = Chain(Linear({ inFeatures: 8, outFeatures: 8, seed: 1 }), ReLU(), Linear({ inFeatures: 8, outFeatures: 1, seed: 2 }));
    const xs = randn([4, 8], 1);
    const ys = randn([4, 1], 2);
    const opt = sgd(1e-3);
    let state = opt.init(m);
    const f = valueAndGrad(async (bb: Backend, mm: AnyLayer, xx: Tensor, yy: Tensor) => mseLoss(bb, (await run(mm, [xx], { backend: bb })).output as Tensor, yy), { backend: b });
    const stepN = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const { grads } = await f(m, xs, ys);
        const r = opt.update(grads, state, m);
        m = applyUpdates(m, r.updates);
        state = r.state;
      }
    };
    await stepN(100);
    gc();
    const before = process.memoryUsage().heapUsed;
    await stepN(1000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // one step allocates ~30 tapes entries and tensors; keeping them would grow by megabytes
    expect(grown).toBeLessThan(1_000_000);
  });
});

describe('gradients through adapters', () => {
  const base = Chain(Linear({ inFeatures: 4, outFeatures: 3, seed: 1 }), ReLU(), Linear({ inFeatures: 3, outFeatures: 2, seed: 2 }));
  const addLora = (m: AnyLayer): AnyLayer => inject(m, { kind: Linear.kind }, (lin) =>
    LoraAdapter(lin, LinearLora('t', { inFeatures: lin.attrs['inFeatures'] as number, outFeatures: lin.attrs['outFeatures'] as number, rank: 2, seed: 5 })));
  const xs = randn([5, 4], 9);

  it('law: a zero-initialised LoRA leaves the base gradients unchanged (bit for bit)', async () => {
    const plain = await grad(sumOut, { backend: b })(base, xs);
    const adapted = await grad(sumOut, { backend: b })(addLora(base), xs);
    const want = stateDict(plain);
    const got = baseStateDict(adapted);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, t] of want) expect(Array.from(got.get(k)!.data)).toEqual(Array.from(t.data));
    // and the LoRA's up weights do get a gradient (its down weights get zero: up is zero)
    const up = [...stateDict(adapted)].filter(([k]) => k.includes('~') && k.endsWith('Linear_2.weight'));
    expect(up.length).toBe(2);
    expect(up.some(([, t]) => t.data.some((v) => v !== 0))).toBe(true);
  });

  it('law: ejecting after training the LoRA gives back the base exactly', async () => {
    const frozen = freezeParams(base);
    let m = addLora(frozen);
    const opt = sgd(0.1);
    let state = opt.init(m);
    const ys = randn([5, 2], 4);
    const f = valueAndGrad(async (bb: Backend, mm: AnyLayer, xx: Tensor, yy: Tensor) => mseLoss(bb, (await run(mm, [xx], { backend: bb })).output as Tensor, yy), { backend: b });
    for (let i = 0; i < 5; i++) {
      const { grads } = await f(m, xs, ys);
      expect([...stateDict(grads).keys()].every((k) => k.includes('.~'))).toBe(true);
      expect([...stateDict(grads).keys()]).toEqual([...trainableParams(m).keys()]); // one key convention
      const r = opt.update(grads, state, m);
      m = applyUpdates(m, r.updates);
      state = r.state;
    }
    expect(layerEquals(m, addLora(frozen))).toBe(false); // it did train
    const back = ejectAll(m);
    expect(layerEquals(back, frozen)).toBe(true);
    for (const [k, t] of stateDict(frozen)) expect(stateDict(back).get(k)).toBe(t); // the very same tensors
  });
});
