// PyTorch autograd fixtures for every parametric layer (test/fixtures/grad/layers.safetensors,
// written by generate_grad.py with the weights of generate_layers.py): the gradients of
// `sum(layer(x) * gy)` with respect to the inputs and every state-dict entry, by valueAndGrad on
// every backend, against torch.autograd in float64. Weights go in through loadStateDict with
// strict keys, so the gradient tree's keys are checked against Refiners' too.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSafetensors } from '../../src/io/safetensors.ts';
import { loadStateDict, stateDict } from '../../src/io/stateDict.ts';
import * as L from '../../src/layers/index.ts';
import { type AnyLayer, type Backend, type Tensor, destroyBackends, referenceBackend, run, selectBackend, valueAndGrad } from '../../src/index.ts';
import { compareTensor } from '../oracle/compare.ts';

interface LayerGradCase {
  readonly id: string;
  readonly op: string;
  readonly options: Record<string, unknown>;
  readonly extra: unknown[];
  /** Positional tensor inputs by name (`x`, or `q`, `k`, `v`), in call order. */
  readonly args: ReadonlyMap<string, Tensor>;
  readonly sd: ReadonlyMap<string, Tensor>;
  readonly gy: Tensor;
  /** Expected gradient of each differentiated name (`x`, `sd.weight`, ...). */
  readonly grads: ReadonlyMap<string, Tensor>;
}

function loadCases(): LayerGradCase[] {
  const path = fileURLToPath(new URL('../fixtures/grad/layers.safetensors', import.meta.url));
  const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(path)));
  const cases: LayerGradCase[] = [];
  for (const [key, json] of metadata) {
    if (!key.startsWith('case:')) continue;
    const id = key.slice(5);
    const c = JSON.parse(json) as {
      op: string;
      params: { options: Record<string, unknown>; extra: unknown[]; diff: string[] };
      inputs: string[];
      outputs: string[];
    };
    const get = (r: string): Tensor => tensors.get(`${id}.${r}`)!;
    const args = new Map<string, Tensor>();
    const sd = new Map<string, Tensor>();
    for (const r of c.inputs) {
      if (r.startsWith('sd.')) sd.set(r.slice(3), get(r));
      else if (r !== 'gy') args.set(r, get(r));
    }
    const grads = new Map(c.params.diff.map((name, i) => [name, get(c.outputs[i]!)] as const));
    cases.push({ id, op: c.op, options: c.params.options, extra: c.params.extra, args, sd, gy: get('gy'), grads });
  }
  return cases.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function build(c: LayerGradCase): AnyLayer {
  const ctor = (L as unknown as Record<string, (o: unknown) => AnyLayer>)[c.op];
  if (ctor === undefined) throw new Error(`no layer ${c.op}`);
  return loadStateDict(ctor(c.options), c.sd, { strict: true });
}

function backends(): Backend[] {
  const out: Backend[] = [referenceBackend];
  try {
    out.push(selectBackend());
  } catch (err) {
    console.warn(`layer grad oracle: gpu.js backend skipped: ${(err as Error).message}`);
  }
  return out;
}

afterAll(() => destroyBackends());

const cases = loadCases();

it('covers every parametric layer of the issue', () => {
  const ops = new Set(cases.map((c) => c.op));
  for (const op of ['Linear', 'MultiLinear', 'Embedding', 'Parameter', 'Conv2d', 'ConvTranspose2d', 'LayerNorm', 'GroupNorm',
    'LayerNorm2d', 'InstanceNorm2d', 'BatchNorm2d', 'Attention', 'SelfAttention', 'SelfAttention2d']) {
    expect(ops.has(op), op).toBe(true);
  }
});

for (const b of backends()) {
  describe(`layer gradients vs PyTorch autograd on ${b.name}`, () => {
    for (const c of cases) {
      it(`${c.id} (${c.op})`, async () => {
        const layer = build(c);
        const f = valueAndGrad(async (bb: Backend, m: AnyLayer, ...xs: Tensor[]) => {
          const { output } = await run(m, [...xs, ...c.extra] as never, { backend: bb });
          const p = await bb.binary('mul', output as Tensor, c.gy);
          return bb.reduce('sum', p, p.shape.map((_, i) => i), false);
        }, { backend: b });
        const names = [...c.args.keys()];
        const { grads, inputGrads } = await f(layer, ...names.map((n) => c.args.get(n)!));
        const got = stateDict(grads);
        // the gradient tree holds exactly the trainable entries: no running statistics
        expect([...got.keys()].sort()).toEqual([...c.grads.keys()].filter((k) => k.startsWith('sd.')).map((k) => k.slice(3)).sort());
        const context = [...c.args.values(), ...c.sd.values(), c.gy];
        for (const [name, want] of c.grads) {
          const g = name.startsWith('sd.') ? got.get(name.slice(3)) : inputGrads[names.indexOf(name)];
          expect(g, `gradient of ${name}`).toBeDefined();
          expect(compareTensor(g!, want, context), `gradient of ${name}`).toBeUndefined();
        }
      });
    }
  });
}
