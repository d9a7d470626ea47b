// Attaching LoRAs by position, as Refiners' `auto_attach` does (quirk (f)): a LoRA goes to the
// first base layer, in walk order, of its `up`'s kind and shape, that lies under the included
// ancestors and not under the excluded ones, and does not already hold a LoRA of the same name.
// Keys are only labels for the report: attachment never reads them. `autoAttachLoras` checks the
// result is unambiguous by attaching every LoRA again: each attempt must find nothing.
import type { AnyLayer } from '../core/Layer.ts';
import { isKind } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import { modifyAtIndices } from '../optics/edit.ts';
import { adapterInfo, baseTarget } from './Adapter.ts';
import { keyedNodes, type KeyedNode } from './keys.ts';
import { isLoraCompatible, loraName, loraUp, requireLora } from './Lora.ts';
import { addLora, isLoraAdapter, lorasOf, LoraAdapter } from './LoraAdapter.ts';

// --- model

/** Options of {@link autoAttach} and {@link autoAttachLoras}. */
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

// --- combinators

/**
 * Attaches one LoRA to the first fitting layer: into its LoraAdapter if it has one (without a
 * LoRA of that name), else in a new LoraAdapter. `path` is the target's key path, `undefined`
 * (and the same model) when nothing fits.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LinearLora, autoAttach } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 3 }), Linear({ inFeatures: 3, outFeatures: 3 }));
 * autoAttach(m, LinearLora('a', { inFeatures: 3, outFeatures: 3 })).path; // 'Linear_2'
 * ```
 */
export function autoAttach(model: AnyLayer, lora: AnyLayer, options: AutoAttachOptions = {}): { readonly model: AnyLayer; readonly path: string | undefined } {
  requireLora('autoAttach', lora);
  const name = loraName(lora);
  const upKind = loraUp(lora).kind;
  for (const e of keyedNodes(model, (x) => x.owned)) {
    if (e.owned || !isKind(e.node, upKind) || !ancestorsAllow(e, options) || !isLoraCompatible(lora, e.node)) continue;
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
          `autoAttachLoras: each LoRA must fit exactly one layer, got "${key}" (LoRA "${loraName(lora)}") fitting again at "${again.path}" after attaching all ${attached.length}; attachment is by walk order and shape, so narrow it with include / exclude`,
        );
      }
    }
  }
  return { model: m, attached, failed };
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
