// Several named LoRA sets on one model, each with its own scale (Refiners' `SDLoraManager`,
// without the Stable-Diffusion key routing). A set is every LoRA that carries its name, across
// all LoraAdapters of the model. All functions take the model and return a new one.
// Sets are attached by position, as Refiners' `auto_attach` does (quirk (f)): a LoRA goes to the
// first base layer, in walk order, of its `up`'s kind and shape, that lies under the included
// ancestors and not under the excluded ones, and does not already hold a LoRA of the same name.
// Keys are only labels for the report: attachment never reads them. `autoAttachLoras` checks the
// result is unambiguous by attaching every LoRA again: each attempt must find nothing.
import type { AnyLayer } from '../core/Layer.ts';
import { isKind } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { StateDictInput } from '../io/stateDict.ts';
import { modifyAtIndices } from '../optics/edit.ts';
import { adapterInfo, adapterTarget, baseTarget } from './Adapter.ts';
import { keyedNodes, type KeyedNode } from './keys.ts';
import { checkScale, isLora, isLoraCompatible, loraInfo, lorasFromDict, requireLora, type Lora } from './Lora.ts';
import { addLora, isLoraAdapter, LoraAdapter, lorasOf, mapLoraAdapters, removeLora, setLoraScales } from './LoraAdapter.ts';

// --- model

/** Where {@link autoAttachLoras} may attach. */
export interface AutoAttachOptions {
  /** Attach only under an ancestor whose kind name is one of these. Default: anywhere. */
  readonly include?: readonly string[];
  /** Never attach under an ancestor whose kind name is one of these. Default: none. */
  readonly exclude?: readonly string[];
}

/** Options of {@link autoAttachLoras}. */
export interface AutoAttachLorasOptions extends AutoAttachOptions {
  /** Attach every LoRA a second time and require that none fits anywhere. Default `true`. */
  readonly sanityCheck?: boolean;
}

/** Where one LoRA went: its key in the dict and its target's key path. */
export interface Attachment {
  readonly key: string;
  readonly path: string;
}

/** What {@link autoAttachLoras} did: the new model, where each LoRA went, and the keys that fit nowhere. */
export interface AutoAttachReport {
  readonly model: AnyLayer;
  readonly attached: readonly Attachment[];
  readonly failed: readonly string[];
}


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
 * Attaches one LoRA to the first fitting layer: into its LoraAdapter if it has one (without a
 * LoRA of that name), else in a new LoraAdapter. `path` is the target's key path, `undefined`
 * (and the same model) when nothing fits.
 */
function autoAttach(model: AnyLayer, lora: AnyLayer, options: AutoAttachOptions = {}): { readonly model: AnyLayer; readonly path: string | undefined } {
  requireLora('autoAttachLoras', lora);
  const { name, up } = loraInfo(lora);
  for (const e of keyedNodes(model, (x) => x.owned)) {
    if (e.owned || !isKind(e.node, up.kind) || !ancestorsAllow(e, options) || !isLoraCompatible(lora, e.node)) continue;
    const holder = loraAdapterAbove(e);
    if (holder === undefined) {
      return { model: modifyAtIndices(model, e.indices, (n) => LoraAdapter(n, lora)), path: e.key };
    }
    if (lorasOf(holder.node).has(name)) continue;
    return { model: modifyAtIndices(model, holder.indices, (a) => addLora(a, lora)), path: e.key };
  }
  return { model, path: undefined };
}

/**
 * Attaches several LoRAs in the dict's order (Refiners' `auto_attach_loras`), reporting where
 * each went and which fit nowhere. With `sanityCheck` (default) it then attaches each one again
 * and throws if any still fits: positional attachment was ambiguous (more fitting layers than
 * LoRAs); narrow with `include` / `exclude` or check the key order.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LinearLora, autoAttachLoras } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }), Linear({ inFeatures: 2, outFeatures: 2 }));
 * const lora = () => LinearLora('a', { inFeatures: 2, outFeatures: 2 });
 * autoAttachLoras(m, { first: lora(), second: lora() }).attached; // [{ key: 'first', path: 'Linear_1' }, { key: 'second', path: 'Linear_2' }]
 * ```
 */
export function autoAttachLoras(
  model: AnyLayer,
  loras: ReadonlyMap<string, AnyLayer> | Readonly<Record<string, AnyLayer>>,
  options: AutoAttachLorasOptions = {},
): AutoAttachReport {
  const entries = loras instanceof Map ? [...(loras as ReadonlyMap<string, AnyLayer>).entries()] : Object.entries(loras);
  let m = model;
  const attached: Attachment[] = [];
  const failed: string[] = [];
  for (const [key, lora] of entries) {
    const r = autoAttach(m, lora, options);
    m = r.model;
    if (r.path === undefined) failed.push(key);
    else attached.push({ key, path: r.path });
  }
  if (options.sanityCheck ?? true) {
    for (const { key } of attached) {
      const lora = entries.find(([k]) => k === key)![1];
      const again = autoAttach(m, lora, options);
      if (again.path !== undefined) {
        throw new CanopyError(
          'structure',
          `autoAttachLoras: each LoRA must fit exactly one layer, got "${key}" (LoRA "${loraInfo(lora).name}") fitting again at "${again.path}" after attaching all ${attached.length}; attachment is by walk order and shape, so narrow it with include / exclude`,
        );
      }
    }
  }
  return { model: m, attached, failed };
}


/**
 * Adds a LoRA set from a state dict (`lorasFromDict` keys: `<key>.down.weight`, `<key>.up.weight`
 * in order), attached by position (see `autoAttachLoras`). The name must be new to the model,
 * and every LoRA must find a layer: otherwise an error lists the keys that did not.
 *
 * @example
 * ```ts
 * import { Chain, Linear, addLoras, loraSetScales, zeros } from 'canopy-nn';
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
 * import { Chain, Linear, addLoras, removeLoras, layerEquals, zeros } from 'canopy-nn';
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
 * import { Chain, Linear, removeAllLoras } from 'canopy-nn';
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
 * import { Chain, Linear, addLoras, setLoraSetScales, loraSetScales, zeros } from 'canopy-nn';
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
 * The scale of each set, by name (its first LoRA's; `setLoraSetScales` keeps them equal); its keys
 * are the set names.
 *
 * @example
 * ```ts
 * import { Chain, Linear, loraSetScales } from 'canopy-nn';
 * loraSetScales(Chain(Linear({ inFeatures: 1, outFeatures: 1 }))); // {}
 * ```
 */
export function loraSetScales(model: AnyLayer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, scale } of allLoras(model).map(loraInfo)) if (!(name in out)) out[name] = scale;
  return out;
}

/**
 * Every LoRA of a set, in walk order.
 *
 * @example
 * ```ts
 * import { Chain, Linear, lorasOfSet } from 'canopy-nn';
 * lorasOfSet(Chain(Linear({ inFeatures: 1, outFeatures: 1 })), 'style'); // []
 * ```
 */
export function lorasOfSet(model: AnyLayer, name: string): Lora[] {
  return allLoras(model).filter((l) => loraInfo(l).name === name) as Lora[];
}

// --- utils

function ancestorsAllow(e: KeyedNode, options: AutoAttachOptions): boolean {
  const names = e.ancestors.map((a) => a.kind.name);
  if (options.include !== undefined && !names.some((n) => options.include!.includes(n))) return false;
  if (options.exclude !== undefined && names.some((n) => options.exclude!.includes(n))) return false;
  return true;
}

/** The LoraAdapter in the stack of adapters directly above a base node, with its index path. */
function loraAdapterAbove(e: KeyedNode): { readonly node: AnyLayer; readonly indices: readonly number[] } | undefined {
  for (let k = e.ancestors.length - 1; k >= 0; k--) {
    const a = e.ancestors[k]!;
    if (adapterInfo(a) === undefined || baseTarget(a) !== e.node) return undefined;
    if (isLoraAdapter(a)) return { node: a, indices: e.indices.slice(0, k) };
  }
  return undefined;
}

function allLoras(model: AnyLayer): AnyLayer[] {
  const out: AnyLayer[] = [];
  const go = (n: AnyLayer): void => {
    if (isLoraAdapter(n)) out.push(...n.children.slice(1).filter(isLora));
    n.children.forEach(go);
  };
  go(model);
  return out;
}

/** The set names in walk order. */
function loraSetNames(model: AnyLayer): string[] {
  return [...new Set(allLoras(model).map((l) => loraInfo(l).name))];
}

function requireSets(op: string, model: AnyLayer, names: readonly string[]): void {
  const have = loraSetNames(model);
  const missing = names.filter((n) => !have.includes(n));
  if (missing.length > 0) {
    throw new CanopyError('structure', `${op}: every LoRA set must be in the model, got ${missing.map((n) => `"${n}"`).join(', ')} not there (sets: ${have.join(', ') || 'none'})`);
  }
}
