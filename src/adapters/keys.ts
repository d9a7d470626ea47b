// Key paths of adapted models (Refiners issue #226: injecting an adapter moved the base weights'
// state-dict keys, so checkpoints saved after injection did not load before it).
//
// The rule: ADAPTERS ARE TRANSPARENT TO KEYS.
// - A base node keeps the key it had before any injection: an adapter takes its target's name
//   among its siblings (so `Linear_1`, `Linear_2` are not renamed) and adds no segment of its own
//   on the way to its target.
// - What the adapter owns (every node of the adapter off the path to its target) lives under
//   `<target key>.~<adapter>`, where `<adapter>` is the adapter's name if it has one, else its
//   kind name (numbered `_2`, `_3`, from the outermost, when adapters of one kind are stacked on
//   one target: stacking a new adapter inside moves no existing key). A child
//   of the adapter with a string `name` attribute (a LoRA) is keyed by that name.
//   `~` never starts a kind-derived child name, so adapter keys cannot collide with base keys.
// So `Chain(Linear)` with a LoRA "foo" keeps `Linear.weight` and adds
// `Linear.~LoraAdapter.foo.Linear_1.weight` (down) and `...foo.Linear_2.weight` (up).
import type { AnyLayer } from '../core/Layer.ts';
import { childNames, joinPath, nameSiblings } from '../core/names.ts';
import type { IndexPath } from '../optics/focus.ts';
import { adapterInfo, baseTarget } from './Adapter.ts';

// --- model

/** A node as the key walk sees it. */
export interface KeyedNode {
  readonly node: AnyLayer;
  /** Child indices from the root (through adapters). */
  readonly indices: IndexPath;
  /** Its key path: base nodes keep their pre-injection path; adapter parts are under `~<adapter>`. */
  readonly key: string;
  /** True inside what an adapter owns (a LoRA's layers), false for the base model. */
  readonly owned: boolean;
  /** Its ancestors from the root (adapters included), nearest last. */
  readonly ancestors: readonly AnyLayer[];
}

// --- destructors

/**
 * Every node that is not an adapter, in tree order (a target before what its adapter owns), with
 * its key path. `stop(entry)` returning true keeps the walk out of that node's descendants.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, keyedNodes } from 'canopy-nn';
 * const lin = Linear({ inFeatures: 2, outFeatures: 2 });
 * const m = Chain(LoraAdapter(lin, LinearLora('foo', { inFeatures: 2, outFeatures: 2, rank: 1 })));
 * keyedNodes(m).map((e) => e.key)[1]; // 'Linear' (the adapter is transparent)
 * ```
 */
export function keyedNodes(model: AnyLayer, stop?: (entry: KeyedNode) => boolean): KeyedNode[] {
  const out: KeyedNode[] = [];
  walkKeys(model, (entry) => {
    out.push(entry);
    return stop?.(entry) === true;
  });
  return out;
}

/**
 * The key of every adapter of a model (its target's key: what it stands for), by its child
 * indices joined with '.'. @internal
 */
export function adapterKeys(model: AnyLayer): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  walkKeys(model, () => false, (indices, key) => out.set(indices.join('.'), key));
  return out;
}

/**
 * The names a container's children have in keys: as `childNames`, but an adapter counts as the
 * base node it wraps, so injecting one renames no sibling.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, keyNames } from 'canopy-nn';
 * const lin = () => Linear({ inFeatures: 2, outFeatures: 2 });
 * keyNames(Chain(LoraAdapter(lin(), LinearLora('a', { inFeatures: 2, outFeatures: 2 })), lin())); // ['Linear_1', 'Linear_2']
 * ```
 */
export function keyNames(node: AnyLayer): readonly string[] {
  if (!node.children.some((c) => adapterInfo(c) !== undefined)) return childNames(node);
  return nameSiblings(node.children.map((c) => baseTarget(c).kind.name));
}

// --- utils

/** The key walk: `onNode` for every node that is not an adapter (true: skip its descendants), `onAdapter` for adapters. */
function walkKeys(model: AnyLayer, onNode: (entry: KeyedNode) => boolean, onAdapter?: (indices: IndexPath, key: string) => void): void {
  const visit = (node: AnyLayer, indices: IndexPath, key: string, owned: boolean, ancestors: readonly AnyLayer[], used: Set<string>): void => {
    const info = adapterInfo(node);
    if (info !== undefined) onAdapter?.(indices, key);
    if (info !== undefined && info.at === undefined) {
      // A replacing adapter: its target is out of the tree; everything it holds is its own.
      const at = joinPath(key, nextSegment(info.name ?? node.kind.name, used));
      const names = ownedNames(node, true);
      node.children.forEach((c, i) => visit(c, [...indices, i], joinPath(at, names[i]!), true, [...ancestors, node], new Set()));
      return;
    }
    if (info?.at !== undefined) {
      // The target first, at this very key; then the adapter's own parts under ~<segment>.
      let target = node;
      const path: AnyLayer[] = [];
      for (const i of info.at) {
        path.push(target);
        target = target.children[i]!;
      }
      // The outer adapter names its segment first, so stacking another inside moves no key.
      const segment = nextSegment(info.name ?? node.kind.name, used);
      visit(target, [...indices, ...info.at], key, owned, [...ancestors, ...path], used);
      let at = joinPath(key, segment);
      path.forEach((p, depth) => {
        const names = ownedNames(p, depth === 0);
        const skip = info.at![depth]!;
        p.children.forEach((c, i) => {
          if (i === skip) return;
          const anc = [...ancestors, ...path.slice(0, depth + 1)];
          visit(c, [...indices, ...info.at!.slice(0, depth), i], joinPath(at, names[i]!), true, anc, new Set());
        });
        at = joinPath(at, names[skip]!);
      });
      return;
    }
    if (onNode({ node, indices, key, owned, ancestors })) return;
    const names = keyNames(node);
    const anc = [...ancestors, node];
    node.children.forEach((c, i) => visit(c, [...indices, i], joinPath(key, names[i]!), owned, anc, new Set()));
  };
  visit(model, [], '', false, [], new Set());
}

function ownedNames(node: AnyLayer, direct: boolean): readonly string[] {
  const names = keyNames(node);
  if (!direct) return names;
  return names.map((n, i) => {
    const name = node.children[i]!.attrs['name'];
    return typeof name === 'string' && name !== '' ? name : n;
  });
}

/** `~name`, numbered `_2`, `_3` when adapters of one name are stacked on one target (outermost first). */
function nextSegment(name: string, used: Set<string>): string {
  let segment = `~${name}`;
  for (let n = 2; used.has(segment); n++) segment = `~${name}_${n}`;
  used.add(segment);
  return segment;
}
