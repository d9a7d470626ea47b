// LoraAdapter: Refiners' `LoraAdapter(fl.Sum, Adapter[WeightedModule])`, a Sum of the target and
// its LoRAs (`target(x) + Σ lora(x)`), each LoRA named, added and removed by name, with a scale
// per name. When its LoRAs are merged into the target's weights (see merge.ts) it evaluates the
// target alone.
import type { AnyLayer, Kind, Layer } from '../core/Layer.ts';
import { isKind, makeLayer, withChildren } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import { defineContainer } from '../layers/define.ts';
import { Sum, addAll } from '../layers/structural/Sum.ts';
import { runEachThen } from '../layers/structural/sequence.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { makeAdapter } from './Adapter.ts';
import { checkScale, isLora, loraInfo, requireLora, withLoraScale, withTargetStride } from './Lora.ts';

// --- model

/** The LoraAdapter kind: a Sum (target first, then the LoRAs); the target alone once merged. */
const LoraAdapterKind: Kind = defineContainer({
  name: 'LoraAdapter',
  extends: Sum,
  defaults: { merged: false },
  init: (merged: boolean, children: AnyLayer[]) => ({ attrs: { merged }, children }),
  forward: (args, self, env) =>
    self.attrs.merged ? self.run(0, args) : runEachThen(self, args, (outs) => addAll('Sum', outs, env)),
}).kind;

// --- constructors

/**
 * Wraps `target` (a Linear, Conv2d, or an adapter stacked on one) with LoRAs of distinct names.
 * A Conv2dLora's down takes the target's stride.
 *
 * @example
 * ```ts
 * import { Linear, LinearLora, LoraAdapter, lorasOf } from 'canopy-nn';
 * const a = LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('a', { inFeatures: 2, outFeatures: 2 }));
 * [...lorasOf(a).keys()]; // ['a']
 * ```
 */
export function LoraAdapter(target: AnyLayer, ...loras: AnyLayer[]): Layer<[Tensor], Tensor> {
  const seen = new Set<string>();
  for (const l of loras) {
    requireLora('LoraAdapter', l);
    const name = loraInfo(l).name;
    if (seen.has(name)) throw new CanopyError('structure', `LoraAdapter: LoRA names must be unique, got "${name}" twice`);
    seen.add(name);
  }
  const node = makeLayer(LoraAdapterKind, { merged: false }, [target, ...loras.map((l) => withTargetStride(l, target))]);
  return makeAdapter(node, [0], { canEject: unmerged }) as Layer<[Tensor], Tensor>;
}
LoraAdapter.kind = LoraAdapterKind;

// --- destructors

/** True for a LoraAdapter node. @internal */
export function isLoraAdapter(node: AnyLayer): boolean {
  return isKind(node, LoraAdapterKind);
}

/**
 * The LoRAs of an adapter, by name, in order.
 *
 * @example
 * ```ts
 * import { Linear, LinearLora, LoraAdapter, lorasOf } from 'canopy-nn';
 * const a = LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('a', { inFeatures: 2, outFeatures: 2 }));
 * [...lorasOf(a).keys()]; // ['a']
 * ```
 */
export function lorasOf(adapter: AnyLayer): ReadonlyMap<string, AnyLayer> {
  requireLoraAdapter('lorasOf', adapter);
  return new Map(adapter.children.slice(1).filter(isLora).map((l) => [loraInfo(l).name, l]));
}

/**
 * True when the adapter's LoRAs are merged into its target's weights.
 *
 * @example
 * ```ts
 * import { Linear, LoraAdapter, isMerged } from 'canopy-nn';
 * isMerged(LoraAdapter(Linear({ inFeatures: 1, outFeatures: 1 }))); // false
 * ```
 */
export function isMerged(adapter: AnyLayer): boolean {
  requireLoraAdapter('isMerged', adapter);
  return adapter.attrs['merged'] === true;
}

// --- combinators

/**
 * Adds a LoRA; its name must not be there yet.
 *
 * @example
 * ```ts
 * import { Linear, LinearLora, LoraAdapter, addLora, lorasOf } from 'canopy-nn';
 * const a = LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }));
 * [...lorasOf(addLora(a, LinearLora('b', { inFeatures: 2, outFeatures: 2 }))).keys()]; // ['b']
 * ```
 */
export function addLora<A extends AnyLayer>(adapter: A, lora: AnyLayer): A {
  requireUnmerged('addLora', adapter);
  requireLora('addLora', lora);
  const name = loraInfo(lora).name;
  if (lorasOf(adapter).has(name)) {
    throw new CanopyError('structure', `addLora: LoRA names must be unique in an adapter, got "${name}" already in (${[...lorasOf(adapter).keys()].join(', ')})`);
  }
  return withChildren(adapter, [...adapter.children, withTargetStride(lora, adapter.children[0]!)]) as A;
}

/**
 * Removes the LoRA called `name`; `removed` is `undefined` when there is none (as Refiners).
 *
 * @example
 * ```ts
 * import { Linear, LinearLora, LoraAdapter, removeLora, lorasOf } from 'canopy-nn';
 * const a = LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('a', { inFeatures: 2, outFeatures: 2 }));
 * const { adapter, removed } = removeLora(a, 'a');
 * [lorasOf(adapter).size, removed !== undefined]; // [0, true]
 * ```
 */
export function removeLora<A extends AnyLayer>(adapter: A, name: string): { readonly adapter: A; readonly removed: AnyLayer | undefined } {
  requireUnmerged('removeLora', adapter);
  const i = adapter.children.findIndex((c, j) => j > 0 && isLora(c) && loraInfo(c).name === name);
  if (i < 0) return { adapter, removed: undefined };
  const kids = adapter.children.slice();
  const [removed] = kids.splice(i, 1);
  return { adapter: withChildren(adapter, kids) as A, removed };
}

/**
 * Sets the scale of the named LoRAs (Refiners' `adapter.scale = {...}`); an unknown name is an
 * error that lists the names there.
 *
 * @example
 * ```ts
 * import { Linear, LinearLora, LoraAdapter, setLoraScales, lorasOf, loraInfo } from 'canopy-nn';
 * const a = LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('a', { inFeatures: 2, outFeatures: 2 }));
 * loraInfo(lorasOf(setLoraScales(a, { a: 0.25 })).get('a')!).scale; // 0.25
 * ```
 */
export function setLoraScales<A extends AnyLayer>(adapter: A, scales: Readonly<Record<string, number>>): A {
  requireUnmerged('setLoraScales', adapter);
  const loras = lorasOf(adapter);
  for (const [name, s] of Object.entries(scales)) {
    if (!loras.has(name)) {
      throw new CanopyError('argument', `setLoraScales: every name must be a LoRA of the adapter, got "${name}" (LoRAs: ${[...loras.keys()].join(', ') || 'none'})`);
    }
    checkScale('setLoraScales', s);
  }
  return withChildren(
    adapter,
    adapter.children.map((c, i) => (i > 0 && isLora(c) && scales[loraInfo(c).name] !== undefined ? withLoraScale(c, scales[loraInfo(c).name]!) : c)),
  ) as A;
}

// --- utils

/** A merged adapter's target holds weights that are not the original ones any more. */
function unmerged(adapter: AnyLayer): true | string {
  return adapter.attrs['merged'] === true ? 'a merged LoraAdapter; call unmergeLoras first' : true;
}

/** Rebuilds `model` with every LoraAdapter node passed through `f` (inner ones first). @internal */
export function mapLoraAdapters(model: AnyLayer, f: (a: AnyLayer) => AnyLayer): AnyLayer {
  const go = (node: AnyLayer): AnyLayer => {
    const n = withChildren(node, node.children.map(go));
    return isLoraAdapter(n) ? f(n) : n;
  };
  return go(model);
}

/** Throws unless `node` is a LoraAdapter. */
function requireLoraAdapter(op: string, node: AnyLayer): void {
  if (!isLoraAdapter(node)) throw new CanopyError('structure', `${op}: the layer must be a LoraAdapter, got a ${node.kind.name}`);
}

function requireUnmerged(op: string, adapter: AnyLayer): void {
  if (isMerged(adapter)) {
    throw new CanopyError('structure', `${op}: the adapter's LoRAs must be unmerged to change them, got a merged LoraAdapter; call unmergeLoras first`);
  }
}
