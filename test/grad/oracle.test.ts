// PyTorch autograd fixtures (test/fixtures/generate_grad.py) on every backend: the VJP of each
// differentiable primitive of the seam, through valueAndGrad, against torch.autograd in float64.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSafetensors } from '../../src/io/safetensors.ts';
import { Identity, destroyBackends, referenceBackend, selectBackend, valueAndGrad, type Backend, type Tensor } from '../../src/index.ts';
import { compareTensor } from '../oracle/compare.ts';

interface GradCase {
  readonly id: string;
  readonly method: string;
  readonly args: unknown[];
  readonly diff: string[];
  readonly inputs: Map<string, Tensor>;
  readonly grads: Tensor[];
}

function loadCases(file: string): GradCase[] {
  const path = fileURLToPath(new URL(`../fixtures/grad/${file}`, import.meta.url));
  const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(path)));
  const out: GradCase[] = [];
  for (const [key, json] of [...metadata].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!key.startsWith('case:')) continue;
    const id = key.slice(5);
    const c = JSON.parse(json) as { params: { method: string; args: unknown[]; diff: string[] }; inputs: string[]; outputs: string[] };
    out.push({
      id,
      method: c.params.method,
      args: c.params.args,
      diff: c.params.diff,
      inputs: new Map(c.inputs.map((r) => [r, tensors.get(`${id}.${r}`)!])),
      grads: c.outputs.map((r) => tensors.get(`${id}.${r}`)!),
    });
  }
  return out;
}

function backends(): Backend[] {
  const out: Backend[] = [referenceBackend];
  try {
    out.push(selectBackend());
  } catch (err) {
    console.warn(`grad oracle: gpu.js backend skipped: ${(err as Error).message}`);
  }
  return out;
}

afterAll(() => destroyBackends());

/** Replaces the input names in a primitive's JSON arguments by the tensors. */
function resolve(v: unknown, inputs: ReadonlyMap<string, Tensor>): unknown {
  if (typeof v === 'string' && inputs.has(v)) return inputs.get(v);
  if (Array.isArray(v)) return v.map((x) => resolve(x, inputs));
  return v;
}

for (const b of backends()) {
  describe(`PyTorch autograd oracle on ${b.name}`, () => {
    for (const c of loadCases('primitives.safetensors')) {
      it(`${c.id} (${c.method})`, async () => {
        const names = [...c.inputs.keys()].filter((k) => k !== 'gy');
        const gy = c.inputs.get('gy')!;
        const f = valueAndGrad(async (bb: Backend, _m, ...xs: Tensor[]) => {
          const args = resolve(c.args, new Map(names.map((n, i) => [n, xs[i]!]))) as unknown[];
          const y = await (bb[c.method as 'unary'] as (...a: unknown[]) => Promise<Tensor>)(...args);
          const p = await bb.binary('mul', y, gy);
          return bb.reduce('sum', p, p.shape.map((_, i) => i), false);
        }, { backend: b });
        const { inputGrads } = await f(Identity(), ...names.map((n) => c.inputs.get(n)!));
        const context = [...c.inputs.values()];
        c.diff.forEach((name, i) => {
          const got = inputGrads[names.indexOf(name)];
          expect(got, `gradient of ${name}`).toBeDefined();
          expect(compareTensor(got!, c.grads[i]!, context), `gradient of ${name}`).toBeUndefined();
        });
      });
    }
  });
}
