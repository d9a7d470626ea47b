// Issue 11, item 8 (and run's misuse from item 11): structure limits give canopy errors or error
// values, never a raw RangeError.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { Chain, Identity, Lambda, MAX_LAYER_DEPTH, Residual, Sum, run, runSync, type AnyLayer } from '../../src/index.ts';
import { decodeSafetensors } from '../../src/io/safetensors.ts';
import { parseTfjsManifest } from '../../src/io/tfjsManifest.ts';
import { loadStateDict, stateDict } from '../../src/io/stateDict.ts';
import { Linear } from '../../src/layers/index.ts';
import { CanopyError } from '../../src/errors.ts';

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const header = (json: string): Uint8Array => {
  const h = new TextEncoder().encode(json);
  const buf = new Uint8Array(8 + h.length);
  new DataView(buf.buffer).setBigUint64(0, BigInt(h.length), true);
  buf.set(h, 8);
  return buf;
};

function errorOf(f: () => unknown): CanopyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return e as CanopyError;
  }
  throw new Error('expected a CanopyError');
}

describe('deeply nested JSON headers are error values', () => {
  it.each([10_000, 100_000])('%i nested arrays in a safetensors header and a tfjs manifest', (n) => {
    const st = decodeSafetensors(header(`{"a":${deep(n)}}`));
    expect(E.isLeft(st) && st.left.message).toMatch(/^safetensors: tensor "a" must be an object \{dtype, shape, data_offsets\}, got \[{80}…$/);
    const m1 = parseTfjsManifest(new TextEncoder().encode(deep(n)));
    expect(E.isLeft(m1) && m1.left.message).toMatch(/^tfjs manifest: group 0 must be an object \{paths, weights\}, got \[+…$/);
    const m2 = parseTfjsManifest(new TextEncoder().encode(`[{"paths":["a"],"weights":[{"name":"w","shape":${deep(n)},"dtype":"float32"}]}]`));
    expect(E.isLeft(m2)).toBe(true);
  });
});

describe('deep models', () => {
  const nest = (wrap: (m: AnyLayer) => AnyLayer, leaf: AnyLayer, layers: number): AnyLayer => {
    let m = leaf;
    for (let i = 1; i < layers; i++) m = wrap(m);
    return m;
  };
  const inc = () => Lambda((x: number) => x + 1);
  const wraps: [string, (m: AnyLayer) => AnyLayer][] = [
    ['Chain', (m) => Chain(m)],
    ['Residual', (m) => Residual(m)],
    ['Sum', (m) => Sum(m, Identity())],
  ];

  it.each(wraps)('%s nested to the limit runs; one more is a CanopyError naming the depth', async (name, wrap) => {
    const ok = nest(wrap, inc(), MAX_LAYER_DEPTH);
    expect(typeof runSync(ok, [1]).output).toBe('number');
    expect(typeof (await run(ok, [1])).output).toBe('number');
    const tooDeep = nest(wrap, inc(), 3000);
    expect(errorOf(() => runSync(tooDeep, [1])).message).toBe(
      `runSync: a model must nest at most ${MAX_LAYER_DEPTH} layers deep, got 3000 (from ${name}); flatten nested Chains into one`,
    );
    await expect(run(tooDeep, [1])).rejects.toThrow(`run: a model must nest at most ${MAX_LAYER_DEPTH} layers deep, got 3000`);
  });

  it('stateDict and loadStateDict: the limit works, beyond it a CanopyError', () => {
    const ok = nest((m) => Chain(m), Linear({ inFeatures: 1, outFeatures: 1 }), MAX_LAYER_DEPTH);
    expect(loadStateDict(ok, stateDict(ok))).toBe(ok);
    const tooDeep = nest((m) => Chain(m), Linear({ inFeatures: 1, outFeatures: 1 }), 2000);
    expect(errorOf(() => stateDict(tooDeep)).message).toMatch(/^stateDict: a model must nest at most 512 layers deep, got 2000/);
    expect(errorOf(() => loadStateDict(tooDeep, new Map())).message).toMatch(/^loadStateDict: a model must nest at most 512 layers deep, got 2000/);
  });
});

describe('run misuse (item 11)', () => {
  it('inputs not in an array, a model that is not a layer', async () => {
    const m = Chain(Lambda((x: number) => x));
    expect(errorOf(() => runSync(m, 5 as never)).message).toBe("runSync: inputs must be an array of the model's arguments, got number 5; write runSync(model, [x]), not runSync(model, x)");
    await expect(run(m, undefined as never)).rejects.toThrow("run: inputs must be an array of the model's arguments, got undefined; write run(model, [x]), not run(model, x)");
    expect(errorOf(() => runSync(5 as never, [1])).message).toBe('runSync: the model must be a layer, got number 5');
    expect(errorOf(() => runSync(Chain(Identity(), 5 as never), [1])).message).toBe('runSync: every child must be a layer, got number 5 as child 1 of Chain');
  });
});
