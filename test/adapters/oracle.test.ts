// LoRA-adapted Linear and Conv2d against PyTorch (test/fixtures/generate_lora.py): outputs, the
// adapter-transparent state-dict keys (the fixture writes them by hand), and merged outputs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Chain, Conv2d, Linear, allClose, baseStateDict, loadSafetensors, loadStateDict, referenceBackend, run, stateDict, type AnyLayer, type Tensor } from 'canopy-nn';
import { Conv2dLora, LinearLora, LoraAdapter, inject, mergeLoras } from '../../src/adapters/index.ts';

const file = fileURLToPath(new URL('../fixtures/lora/lora.safetensors', import.meta.url));
const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(file)));
const cases = [...metadata].filter(([k]) => k.startsWith('case:')).map(([k, v]) => ({ id: k.slice(5), ...(JSON.parse(v) as { op: string; params: { options: Record<string, Record<string, unknown> | boolean> }; inputs: string[] }) }));
const opts = { backend: referenceBackend };

function build(op: string, o: Record<string, Record<string, unknown> | boolean>): AnyLayer {
  const t = o['target'] as never;
  const l = o['lora'] as never;
  return op === 'LinearLora'
    ? inject(Chain(Linear(t)), 'Linear', (n) => LoraAdapter(n, LinearLora('style', l)))
    : inject(Chain(Conv2d(t)), 'Conv2d', (n) => LoraAdapter(n, Conv2dLora('style', l)));
}

describe('LoRA vs PyTorch', () => {
  it('has the five cases', () => expect(cases.map((c) => c.id).sort()).toEqual(['conv_default', 'conv_strided_default', 'conv_strided_down3', 'linear_r1_batched', 'linear_r3']));
  for (const c of cases) {
    it(c.id, async () => {
      const get = (k: string): Tensor => tensors.get(`${c.id}.${k}`)!;
      const sd = new Map(c.inputs.filter((k) => k.startsWith('sd.')).map((k) => [k.slice(3), get(k)]));
      const model = loadStateDict(build(c.op, c.params.options), sd); // strict: keys must be exactly these
      expect([...stateDict(model).keys()].sort()).toEqual([...sd.keys()].sort());
      expect([...baseStateDict(model).keys()]).toEqual(c.op === 'LinearLora' ? ['Linear.weight', 'Linear.bias'] : ['Conv2d.weight', 'Conv2d.bias']);
      const y = (await run(model, [get('x')], opts)).output as Tensor;
      expect(y.shape).toEqual(get('out').shape);
      expect(allClose(y, get('out'), { rtol: 1e-4, atol: 1e-5 })).toBe(true);
      if (c.params.options['mergeable'] === false) {
        expect(() => mergeLoras(model)).toThrow(/merge: LoRA "style" must be mergeable into its Conv2d target, got kernels \[1,1\] → \[3,3\]/);
      } else {
        const ym = (await run(mergeLoras(model), [get('x')], opts)).output as Tensor;
        expect(allClose(ym, get('out'), { rtol: 1e-4, atol: 1e-5 })).toBe(true);
      }
    });
  }
});
