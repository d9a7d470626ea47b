// Every canopy layer against PyTorch (test/fixtures/layers/*.safetensors, written by
// test/fixtures/generate_layers.py): the fixture's weights go in through loadStateDict with
// strict keys, so the test checks Refiners' state-dict keys as well as the numbers.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AnyLayer, type Tensor, provide, referenceBackend, run } from '../../src/index.ts';
import { loadSafetensors } from '../../src/io/safetensors.ts';
import { loadStateDict, stateDict } from '../../src/io/stateDict.ts';
import * as L from '../../src/layers/index.ts';
import { CrossAttentionBlock, ResidualBlock, UNet } from '../layers/blocks.ts';

const dir = fileURLToPath(new URL('../fixtures/layers/', import.meta.url));

interface LayerCase {
  readonly id: string;
  readonly op: string;
  readonly options: Record<string, unknown>;
  readonly extra: unknown[];
  readonly args: Tensor[];
  readonly sd: Map<string, Tensor>;
  readonly contexts: Record<string, Record<string, unknown>>;
  readonly out: Tensor;
}

function loadCases(file: string): LayerCase[] {
  const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(dir + file)));
  const cases: LayerCase[] = [];
  for (const [key, json] of metadata) {
    if (!key.startsWith('case:')) continue;
    const id = key.slice(5);
    const c = JSON.parse(json) as { op: string; params: { options: Record<string, unknown>; extra: unknown[] }; inputs: string[] };
    const get = (r: string): Tensor => tensors.get(`${id}.${r}`)!;
    const sd = new Map<string, Tensor>();
    const contexts: Record<string, Record<string, unknown>> = {};
    const args: Tensor[] = [];
    for (const r of c.inputs) {
      if (r.startsWith('sd.')) sd.set(r.slice(3), get(r));
      else if (r.startsWith('ctx.')) {
        const [, ns, k] = r.split('.') as [string, string, string];
        (contexts[ns] ??= {})[k] = get(r);
      } else args.push(get(r));
    }
    cases.push({ id, op: c.op, options: c.params.options, extra: c.params.extra, args, sd, contexts, out: get('out') });
  }
  return cases.sort((a, b) => (a.id < b.id ? -1 : 1));
}

const activations: Record<string, () => AnyLayer> = { SiLU: L.SiLU, ReLU: L.ReLU, GeLU: () => L.GeLU() };

function build(c: LayerCase): AnyLayer {
  const o = c.options;
  switch (c.op) {
    case 'ResidualBlock':
      return ResidualBlock(o as never);
    case 'CrossAttentionBlock':
      return CrossAttentionBlock(o as never);
    case 'UNet':
      return UNet();
    case 'GLU':
      return L.GLU(activations[o['activation'] as string]!());
    case 'Downsample':
      // Downsample pushes its input size: some enclosing layer must provide `sampling`.
      return provide(L.Downsample(o as never), { sampling: { shapes: [] } });
    default: {
      const ctor = (L as unknown as Record<string, (o: unknown) => AnyLayer>)[c.op];
      if (ctor === undefined) throw new Error(`no layer ${c.op}`);
      return ctor(o);
    }
  }
}

/** |got - want| <= atol·scale + rtol·|want|, scale = max(1, largest |value| involved). */
function expectClose(got: Tensor, want: Tensor, id: string): void {
  expect(got.shape, id).toEqual(want.shape);
  let scale = 1;
  for (const v of want.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.size; i++) {
    const err = Math.abs(got.data[i]! - want.data[i]!) - 1e-4 * Math.abs(want.data[i]!);
    worst = Math.max(worst, err / scale);
  }
  expect(worst, `${id}: worst scaled error`).toBeLessThanOrEqual(2e-5);
}

const files = readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();

describe.each(files)('layers vs PyTorch: %s', (file) => {
  it.each(loadCases(file).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const layer = build(c);
    const loaded = loadStateDict(layer, c.sd, { strict: true });
    const inputs = [...c.args, ...c.extra];
    const { output } = await run(loaded, inputs as never, { backend: referenceBackend, contexts: c.contexts });
    expectClose(output as Tensor, c.out, c.id);
    // loading never touches the original, and every key of the layer came from the fixture
    const keys = [...stateDict(loaded).keys()];
    expect(keys.every((k) => c.sd.has(k))).toBe(true);
  });
});
