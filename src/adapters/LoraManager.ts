// Several named LoRA sets on one model, each with its own scale (Refiners' `SDLoraManager`,
// without the Stable-Diffusion key routing). A set is every LoRA that carries its name, across
// all LoraAdapters of the model. All functions take the model and return a new one.
import type { AnyLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { StateDictInput } from '../io/stateDict.ts';
import { adapterTarget } from './Adapter.ts';
import { autoAttachLoras, type Attachment, type AutoAttachLorasOptions } from './autoAttach.ts';
import { lorasFromDict } from './fromWeights.ts';
import { checkScale, isLora, loraName, loraScale, type Lora } from './Lora.ts';
import { isLoraAdapter, lorasOf, mapLoraAdapters, removeLora, setLoraScales } from './LoraAdapter.ts';

// --- model

/** Options of {@link addLoras}. */
export interface AddLorasOptions extends AutoAttachLorasOptions {
  /** Scale of every LoRA of the set. Default `1`. */
  readonly scale?: number;
}

/** What {@link addLoras} did: the new model and where each LoRA of the set went. */
export interface AddLorasResult {
  readonly model: AnyLayer;
  readonly attached: readonly Attachment[];
}

// --- combinators

/**
 * Adds a LoRA set from a state dict (`lorasFromDict` keys: `<key>.down.weight`, `<key>.up.weight`
 * in order), attached by position (see `autoAttachLoras`). The name must be new to the model,
 * and every LoRA must find a layer: otherwise an error lists the keys that did not.
 *
 * @example
 * ```ts
 * import { Chain, Linear, addLoras, loraSetScales, zeros } from 'canopy';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * const { model } = addLoras(m, 'style', { 'l.down.weight': zeros([1, 2]), 'l.up.weight': zeros([2, 1]) }, { scale: 0.5 });
 * loraSetScales(model); // { style: 0.5 }
 * ```
 */
export function addLoras(model: AnyLayer, name: string, tensors: StateDictInput, options: AddLorasOptions = {}): AddLorasResult {
  if (loraSetNames(model).includes(name)) {
    throw new CanopyError('structure', `addLoras: a LoRA set name must be new to the model, got "${name}" already there (sets: ${loraSetNames(model).join(', ')})`);
  }
  const r = autoAttachLoras(model, lorasFromDict(name, tensors, { scale: options.scale ?? 1 }), options);
  if (r.failed.length > 0) {
    throw new CanopyError('structure', `addLoras: every LoRA of "${name}" must fit a layer, got ${r.failed.length} that fit none: ${r.failed.join(', ')}`);
  }
  return { model: r.model, attached: r.attached };
}

/**
 * Removes the named sets; LoraAdapters left without LoRAs are ejected. A name that is not in the
 * model is an error.
 *
 * @example
 * ```ts
 * import { Chain, Linear, addLoras, removeLoras, layerEquals, zeros } from 'canopy';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * const { model } = addLoras(m, 'style', { 'l.down.weight': zeros([1, 2]), 'l.up.weight': zeros([2, 1]) });
 * layerEquals(removeLoras(model, 'style'), m); // true
 * ```
 */
export function removeLoras(model: AnyLayer, ...names: string[]): AnyLayer {
  requireSets('removeLoras', model, names);
  return mapLoraAdapters(model, (a) => {
    let out = a;
    for (const n of names) out = removeLora(out, n).adapter;
    return lorasOf(out).size === 0 && out !== a ? adapterTarget(out) : out;
  });
}

/**
 * Removes every LoRA set (and so every LoraAdapter).
 *
 * @example
 * ```ts
 * import { Chain, Linear, removeAllLoras } from 'canopy';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * removeAllLoras(m) === m; // true: nothing to remove
 * ```
 */
export function removeAllLoras(model: AnyLayer): AnyLayer {
  const names = loraSetNames(model);
  return names.length === 0 ? model : removeLoras(model, ...names);
}

/**
 * Sets the scale of whole sets (Refiners' `update_scales`); unknown names are an error.
 *
 * @example
 * ```ts
 * import { Chain, Linear, addLoras, setLoraSetScales, loraSetScales, zeros } from 'canopy';
 * const { model } = addLoras(Chain(Linear({ inFeatures: 2, outFeatures: 2 })), 's', { 'l.down.weight': zeros([1, 2]), 'l.up.weight': zeros([2, 1]) });
 * loraSetScales(setLoraSetScales(model, { s: 2 })); // { s: 2 }
 * ```
 */
export function setLoraSetScales(model: AnyLayer, scales: Readonly<Record<string, number>>): AnyLayer {
  requireSets('setLoraSetScales', model, Object.keys(scales));
  for (const s of Object.values(scales)) checkScale('setLoraSetScales', s);
  return mapLoraAdapters(model, (a) => {
    const mine = Object.fromEntries(Object.entries(scales).filter(([n]) => lorasOf(a).has(n)));
    return Object.keys(mine).length === 0 ? a : setLoraScales(a, mine);
  });
}

// --- destructors

/**
 * The names of the LoRA sets in a model, in walk order.
 *
 * @example
 * ```ts
 * import { Chain, Linear, loraSetNames } from 'canopy';
 * loraSetNames(Chain(Linear({ inFeatures: 1, outFeatures: 1 }))); // []
 * ```
 */
export function loraSetNames(model: AnyLayer): string[] {
  return [...new Set(allLoras(model).map(loraName))];
}

/**
 * The scale of each set (its first LoRA's; `setLoraSetScales` keeps them equal).
 *
 * @example
 * ```ts
 * import { Chain, Linear, loraSetScales } from 'canopy';
 * loraSetScales(Chain(Linear({ inFeatures: 1, outFeatures: 1 }))); // {}
 * ```
 */
export function loraSetScales(model: AnyLayer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of allLoras(model)) if (!(loraName(l) in out)) out[loraName(l)] = loraScale(l);
  return out;
}

/**
 * Every LoRA of a set, in walk order.
 *
 * @example
 * ```ts
 * import { Chain, Linear, lorasOfSet } from 'canopy';
 * lorasOfSet(Chain(Linear({ inFeatures: 1, outFeatures: 1 })), 'style'); // []
 * ```
 */
export function lorasOfSet(model: AnyLayer, name: string): Lora[] {
  return allLoras(model).filter((l) => loraName(l) === name) as Lora[];
}

// --- utils

function allLoras(model: AnyLayer): AnyLayer[] {
  const out: AnyLayer[] = [];
  const go = (n: AnyLayer): void => {
    if (isLoraAdapter(n)) out.push(...n.children.slice(1).filter(isLora));
    n.children.forEach(go);
  };
  go(model);
  return out;
}

function requireSets(op: string, model: AnyLayer, names: readonly string[]): void {
  const have = loraSetNames(model);
  const missing = names.filter((n) => !have.includes(n));
  if (missing.length > 0) {
    throw new CanopyError('structure', `${op}: every LoRA set must be in the model, got ${missing.map((n) => `"${n}"`).join(', ')} not there (sets: ${have.join(', ') || 'none'})`);
  }
}
