// Optimisers and losses against torch.optim and torch.nn.functional (test/fixtures/generate_grad.py).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Identity, Linear, adam, adamw, applyUpdates, binaryCrossEntropyLoss, crossEntropyLoss, loadSafetensors, loadStateDict,
  mseLoss, referenceBackend, sgd, stateDict, valueAndGrad, type Backend, type Optimizer, type Tensor,
} from '../../src/index.ts';
import { compareTensor } from '../oracle/compare.ts';

const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/grad/training.safetensors', import.meta.url)))));
const t = (k: string): Tensor => tensors.get(k)!;
const cases = [...metadata].filter(([k]) => k.startsWith('case:')).map(([k, v]) => ({ id: k.slice(5), ...(JSON.parse(v) as { op: string; params: Record<string, string> }) }));

const optimizers: Record<string, Optimizer> = {
  sgd: sgd(0.1),
  sgd_momentum: sgd(0.1, { momentum: 0.9, weightDecay: 0.01 }),
  sgd_nesterov: sgd(0.1, { momentum: 0.9, nesterov: true }),
  adam: adam(0.01),
  adamw: adamw(0.01, { weightDecay: 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-6 }),
};

describe('optimisers against torch.optim (3 steps)', () => {
  for (const c of cases.filter((c) => c.op === 'optimizer')) {
    it(c.id, () => {
      const opt = optimizers[c.id]!;
      let model = loadStateDict(Linear({ inFeatures: 4, outFeatures: 3, bias: false }), { weight: t(`${c.id}.p`) });
      let state = opt.init(model);
      for (let k = 0; k < 3; k++) {
        const grads = loadStateDict(model, { weight: t(`${c.id}.g${k}`) });
        const r = opt.update(grads, state, model);
        model = applyUpdates(model, r.updates);
        state = r.state;
        expect(compareTensor(stateDict(model).get('weight')!, t(`${c.id}.out${k}`), [])).toBeUndefined();
      }
    });
  }
});

const losses: Record<string, (b: Backend, x: Tensor, y: Tensor) => Promise<Tensor>> = {
  mse: mseLoss, crossEntropy: crossEntropyLoss, binaryCrossEntropy: binaryCrossEntropyLoss,
};

describe('losses against torch.nn.functional (value and gradient, large logits)', () => {
  for (const c of cases.filter((c) => c.op === 'loss')) {
    it(c.id, async () => {
      const f = valueAndGrad(async (b: Backend, _m, x: Tensor, y: Tensor) => losses[c.params['loss']!]!(b, x, y), { backend: referenceBackend });
      const { loss, inputGrads } = await f(Identity(), t(`${c.id}.x`), t(`${c.id}.y`));
      expect(compareTensor(loss, t(`${c.id}.out0`), [])).toBeUndefined();
      expect(compareTensor(inputGrads[0]!, t(`${c.id}.out1`), [])).toBeUndefined();
    });
  }
});
