// Issue 11, item 13: mergeLoras accepts the stacked LoRA adapters that inference accepts.
import { describe, expect, it } from 'vitest';
import { Chain, referenceBackend, run, type AnyLayer } from '../../src/index.ts';
import { Linear } from '../../src/layers/index.ts';
import { LinearLora, LoraAdapter, isMerged, loadLoraWeights, mergeLoras, unmergeLoras } from '../../src/adapters/index.ts';
import { randn } from '../../src/tensor/random.ts';
import type { Tensor } from '../../src/tensor/Tensor.ts';
import { allClose } from '../../src/tensor/compare.ts';

const out = async (m: AnyLayer, x: Tensor): Promise<Tensor> => (await run(m, [x], { backend: referenceBackend })).output as Tensor;
const lora = (name: string, seed: number) =>
  loadLoraWeights(LinearLora(name, { inFeatures: 4, outFeatures: 3, rank: 2 }), randn([2, 4], seed), randn([3, 2], seed + 1));

describe('merging stacked LoRA adapters', () => {
  it('LoraAdapter(LoraAdapter(Linear, a), b) merges, evaluates the same, and unmerges back', async () => {
    const base = Linear({ inFeatures: 4, outFeatures: 3, seed: 1 });
    const m = Chain(LoraAdapter(LoraAdapter(base, lora('a', 2)), lora('b', 4)));
    const x = randn([5, 4], 9);
    const want = await out(m, x);
    const merged = mergeLoras(m);
    const outer = merged.children[0]!;
    expect(isMerged(outer) && isMerged(outer.children[0]!)).toBe(true);
    expect(allClose(await out(merged, x), want, { atol: 1e-5 })).toBe(true);
    // Merging only the outer adapter works too.
    const outerOnly = mergeLoras(m, (a) => a === m.children[0]);
    expect(isMerged(outerOnly.children[0]!) && !isMerged(outerOnly.children[0]!.children[0]!)).toBe(true);
    expect(allClose(await out(outerOnly, x), want, { atol: 1e-5 })).toBe(true);
    const back = unmergeLoras(merged);
    const w0 = base.params['weight']!.data;
    const w1 = back.children[0]!.children[0]!.children[0]!.params['weight']!.data;
    expect(Math.max(...w0.map((v, i) => Math.abs(v - w1[i]!)))).toBeLessThan(1e-5);
  });
});
