// Laws of adapters: eject ∘ inject = id (structurally, sharing what it did not touch; for
// adapters that wrap their target and for adapters that replace it by other children), a fresh
// LoRA changes no output, merging keeps outputs and unmerging gives the weights back, adapters on
// disjoint targets commute, inject and eject never mutate their input. Pure predicates plus
// fast-check properties on random models of Linears (small, shrinking-friendly).
import fc from 'fast-check';
import { type AnyLayer, Chain, Linear, type Tensor, fromArray, layerEquals, named, referenceBackend, run } from '../src/index.ts';
import { makeAdapter } from '../src/adapters/Adapter.ts';
import { valueEquals } from '../src/core/equals.ts';
import { allClose } from '../src/tensor/compare.ts';
import { eject, inject, type AdapterBuilder, type Target } from '../src/adapters/inject.ts';
import { LinearLora } from '../src/adapters/Lora.ts';
import { LoraAdapter } from '../src/adapters/LoraAdapter.ts';
import { loadLoraWeights } from '../src/adapters/Lora.ts';
import { mergeLoras, unmergeLoras } from '../src/adapters/merge.ts';
import { randn } from '../src/tensor/random.ts';
import { keyedNodes } from '../src/adapters/keys.ts';

// --- model

/** A random model of Linear layers and the width of its input (what {@link linearModelArb} makes). */
export interface LinearModelCase {
  readonly model: AnyLayer;
  readonly inWidth: number;
}

/** How close two tensors must be. */
export interface Tolerance {
  readonly rtol?: number;
  readonly atol?: number;
}

const TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };

// --- laws (pure predicates)

/**
 * `eject(inject(m, t, a), a)` is structurally `m`, and every subtree of `m` that is not on the path
 * to a target is the very same object in the result.
 */
export function ejectInjectIsIdentity(target: Target, adapter: AdapterBuilder, name: string): (m: AnyLayer) => boolean {
  return (m) => {
    const back = eject(inject(m, target, adapter), name);
    return layerEquals(back, m) && sharesUntouched(m, back);
  };
}

/** Injecting then ejecting leaves the input exactly as it was (deep snapshot, not just identity). */
export function injectEjectDoNotMutate(target: Target, adapter: AdapterBuilder, name: string): (m: AnyLayer) => boolean {
  return (m) => {
    const before = snapshot(m);
    const injected = inject(m, target, adapter);
    const mid = snapshot(injected);
    eject(injected, name);
    return valueEquals(snapshot(m), before) && valueEquals(snapshot(injected), mid);
  };
}

/** Adapters on disjoint targets commute: injecting `a` then `b` equals `b` then `a`. */
export function disjointAdaptersCommute(
  ta: Target,
  a: AdapterBuilder,
  tb: Target,
  b: AdapterBuilder,
): (m: AnyLayer) => boolean {
  return (m) => layerEquals(inject(inject(m, ta, a), tb, b), inject(inject(m, tb, b), ta, a));
}

/** A model's output is unchanged (within tolerance) by `edit`. */
export async function keepsOutputs(
  m: AnyLayer,
  edit: (m: AnyLayer) => AnyLayer,
  inputs: readonly unknown[],
  tol: Tolerance = TOL,
): Promise<boolean> {
  const opts = { backend: referenceBackend };
  const y0 = (await run(m, inputs, opts)).output as Tensor;
  const y1 = (await run(edit(m), inputs, opts)).output as Tensor;
  return allClose(y0, y1, tol);
}

/** A fresh LoRA (up = 0) on every Linear changes no output. */
export function freshLoraKeepsOutputs(inputs: readonly unknown[]): (m: AnyLayer) => Promise<boolean> {
  return (m) =>
    keepsOutputs(
      m,
      (x) => inject(x, { kind: Linear }, (t) => LoraAdapter(t, LinearLora('fresh', { inFeatures: t.attrs['inFeatures'] as number, outFeatures: t.attrs['outFeatures'] as number, rank: 2 }))),
      inputs,
      { rtol: 0, atol: 0 },
    );
}

/** Merging the LoRAs of an adapted model keeps its outputs (within tolerance). */
export function mergeKeepsOutputs(inputs: readonly unknown[], tol: Tolerance = TOL): (adapted: AnyLayer) => Promise<boolean> {
  return (adapted) => keepsOutputs(adapted, (x) => mergeLoras(x), inputs, tol);
}

/** `unmerge(merge(m))` equals `m`, weights within tolerance. */
export function unmergeMergeIsIdentity(tol: Tolerance = TOL): (adapted: AnyLayer) => boolean {
  return (adapted) =>
    layerEquals(unmergeLoras(mergeLoras(adapted)), adapted, (x, y) =>
      x instanceof Float32Array && y instanceof Float32Array ? closeArrays(x, y, tol) : undefined,
    );
}

// --- arbitraries

/** Small Linear widths: models stay tiny and shrink towards 1. */
export const widthArb = fc.integer({ min: 1, max: 4 });

/** A Chain of 1 to 4 Linears (widths chained), possibly nested one level: `{ model, inWidth }`. */
export function linearModelArb(): fc.Arbitrary<LinearModelCase> {
  return fc
    .tuple(widthArb, fc.array(fc.tuple(widthArb, fc.boolean()), { minLength: 1, maxLength: 4 }), fc.nat(1000))
    .map(([w0, rest, seed]) => {
      let w = w0;
      const layers = rest.map(([out, nest], i) => {
        const l = Linear({ inFeatures: w, outFeatures: out, seed: seed + i });
        w = out;
        return nest ? Chain(l) : l;
      });
      return { model: Chain(...layers) as AnyLayer, inWidth: w0 };
    });
}

/** A LoRA builder with random (non-zero) weights for any Linear target. */
export function randomLoraBuilder(name: string, seed: number): AdapterBuilder {
  return (t) => {
    const i = t.attrs['inFeatures'] as number;
    const o = t.attrs['outFeatures'] as number;
    const lora = loadLoraWeights(LinearLora(name, { inFeatures: i, outFeatures: o, rank: 2 }), randn([2, i], seed), randn([o, 2], seed + 1));
    return LoraAdapter(t, lora);
  };
}

/**
 * An adapter that drops its Linear target and puts another Linear of the same shape in its place
 * (Refiners' ContextAdapter form): ejecting must give the very target back.
 */
export function replacingBuilder(name: string | undefined, seed: number): AdapterBuilder {
  return (t) => {
    const other = Linear({ inFeatures: t.attrs['inFeatures'] as number, outFeatures: t.attrs['outFeatures'] as number, seed });
    return makeAdapter(named('Replacer', Chain(other)), { replaces: t }, name === undefined ? {} : { name });
  };
}

/** A batch of inputs of width `w`. */
export function inputOf(w: number, seed = 7): Tensor {
  return fromArray(Array.from({ length: 2 }, (_, r) => Array.from({ length: w }, (_, c) => Math.sin(seed + 3 * r + c))));
}

// --- properties

// Annotated: the inferred type mixes named and unnamed tuple members (`[{ model }, seed: number]`),
// which TypeScript before 5.2 refuses in the published declarations.
/** The adapter laws as fast-check properties (run them with `fc.assert`). */
export const adapterProperties: {
  readonly ejectInject: fc.IPropertyWithHooks<[LinearModelCase, number]>;
  readonly ejectInjectReplacing: fc.IPropertyWithHooks<[LinearModelCase, number]>;
  readonly noMutation: fc.IPropertyWithHooks<[LinearModelCase]>;
  readonly noMutationReplacing: fc.IPropertyWithHooks<[LinearModelCase]>;
  readonly commute: fc.IPropertyWithHooks<[LinearModelCase]>;
  readonly freshLora: fc.IAsyncPropertyWithHooks<[LinearModelCase]>;
  readonly merge: fc.IAsyncPropertyWithHooks<[LinearModelCase, number]>;
  readonly unmerge: fc.IPropertyWithHooks<[LinearModelCase, number]>;
} = {
  ejectInject: fc.property(linearModelArb(), fc.nat(3), ({ model }, k) => {
    const target = { kind: Linear, where: (_: AnyLayer, e: { readonly key: string }) => e.key === linearKeys(model)[k % linearKeys(model).length] };
    return ejectInjectIsIdentity(target, randomLoraBuilder('law', k), 'LoraAdapter')(model);
  }),
  ejectInjectReplacing: fc.property(linearModelArb(), fc.nat(3), ({ model }, k) => {
    const target = { kind: Linear, where: (_: AnyLayer, e: { readonly key: string }) => e.key === linearKeys(model)[k % linearKeys(model).length] };
    return ejectInjectIsIdentity(target, replacingBuilder('law', k), 'law')(model);
  }),
  noMutation: fc.property(linearModelArb(), ({ model }) => injectEjectDoNotMutate({ kind: Linear }, randomLoraBuilder('law', 1), 'LoraAdapter')(model)),
  noMutationReplacing: fc.property(linearModelArb(), ({ model }) => injectEjectDoNotMutate({ kind: Linear }, replacingBuilder(undefined, 1), 'Replacer')(model)),
  commute: fc.property(linearModelArb(), ({ model }) => {
    const keys = linearKeys(model);
    if (keys.length < 2) return true;
    const at = (key: string): Target => ({ kind: Linear, where: (_, e) => e.key === key });
    return disjointAdaptersCommute(at(keys[0]!), randomLoraBuilder('a', 1), at(keys.at(-1)!), replacingBuilder('b', 2))(model);
  }),
  freshLora: fc.asyncProperty(linearModelArb(), ({ model, inWidth }) => freshLoraKeepsOutputs([inputOf(inWidth)])(model)),
  merge: fc.asyncProperty(linearModelArb(), fc.nat(100), ({ model, inWidth }, seed) =>
    mergeKeepsOutputs([inputOf(inWidth)])(inject(model, { kind: Linear }, randomLoraBuilder('m', seed))),
  ),
  unmerge: fc.property(linearModelArb(), fc.nat(100), ({ model }, seed) =>
    unmergeMergeIsIdentity()(inject(model, { kind: Linear }, randomLoraBuilder('m', seed))),
  ),
};

// --- utils

function linearKeys(model: AnyLayer): string[] {
  return keyedNodes(model).filter((e) => e.node.kind === Linear.kind).map((e) => e.key);
}

/** Every subtree of `a` is `===` in `b`, except the spine nodes above what changed (leaves never). */
function sharesUntouched(a: AnyLayer, b: AnyLayer): boolean {
  if (a === b) return true;
  if (a.children.length === 0 || a.children.length !== b.children.length) return false;
  return a.children.every((c, i) => sharesUntouched(c, b.children[i]!));
}

function snapshot(m: AnyLayer): unknown {
  return {
    kind: m.kind.name,
    attrs: JSON.stringify(m.attrs, (_, v: unknown) => (typeof v === 'function' ? 'fn' : isLayer(v) ? snapshot(v) : v)),
    params: Object.fromEntries(Object.entries(m.params).map(([k, t]) => [k, Array.from(t.data)])),
    children: m.children.map(snapshot),
  };
}

function isLayer(v: unknown): v is AnyLayer {
  return typeof v === 'object' && v !== null && 'kind' in v && 'children' in v;
}

function closeArrays(x: Float32Array, y: Float32Array, tol: Tolerance): boolean {
  if (x.length !== y.length) return false;
  const rtol = tol.rtol ?? TOL.rtol!;
  const atol = tol.atol ?? TOL.atol!;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]! - y[i]!) > atol + rtol * Math.abs(y[i]!)) return false;
  return true;
}
