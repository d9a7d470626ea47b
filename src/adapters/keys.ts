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
import type { AnyLayer, Params } from '../core/Layer.ts';
import { withChildren, withParams } from '../core/Layer.ts';
import { childNames, nameSiblings } from '../core/names.ts';
import { CanopyError } from '../errors.ts';
import type { IndexPath } from '../optics/focus.ts';
import type { LoadStateDictOptions, StateDict, StateDictInput } from '../io/stateDict.ts';
import { isTensor, showShape, type Tensor } from '../tensor/Tensor.ts';
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
 * import { Chain, Linear, LoraAdapter, LinearLora, keyedNodes } from 'canopy';
 * const lin = Linear({ inFeatures: 2, outFeatures: 2 });
 * const m = Chain(LoraAdapter(lin, LinearLora('foo', { inFeatures: 2, outFeatures: 2, rank: 1 })));
 * keyedNodes(m).map((e) => e.key)[1]; // 'Linear' (the adapter is transparent)
 * ```
 */
export function keyedNodes(model: AnyLayer, stop?: (entry: KeyedNode) => boolean): KeyedNode[] {
  const out: KeyedNode[] = [];
  const visit = (node: AnyLayer, indices: IndexPath, key: string, owned: boolean, ancestors: readonly AnyLayer[], used: Set<string>): void => {
    const info = adapterInfo(node);
    if (info !== undefined) {
      // The target first, at this very key; then the adapter's own parts under ~<segment>.
      let target = node;
      const path: AnyLayer[] = [];
      for (const i of info.at) {
        path.push(target);
        target = target.children[i]!;
      }
      // The outer adapter names its segment first, so stacking another inside moves no key.
      let segment = `~${info.name ?? node.kind.name}`;
      for (let n = 2; used.has(segment); n++) segment = `~${info.name ?? node.kind.name}_${n}`;
      used.add(segment);
      visit(target, [...indices, ...info.at], key, owned, [...ancestors, ...path], used);
      let at = join(key, segment);
      path.forEach((p, depth) => {
        const names = ownedNames(p, depth === 0);
        const skip = info.at[depth]!;
        p.children.forEach((c, i) => {
          if (i === skip) return;
          const anc = [...ancestors, ...path.slice(0, depth + 1)];
          visit(c, [...indices, ...info.at.slice(0, depth), i], join(at, names[i]!), true, anc, new Set());
        });
        at = join(at, names[skip]!);
      });
      return;
    }
    const entry: KeyedNode = { node, indices, key, owned, ancestors };
    out.push(entry);
    if (stop?.(entry) === true) return;
    const names = keyNames(node);
    const anc = [...ancestors, node];
    node.children.forEach((c, i) => visit(c, [...indices, i], join(key, names[i]!), owned, anc, new Set()));
  };
  visit(model, [], '', false, [], new Set());
  return out;
}

/**
 * The names a container's children have in keys: as `childNames`, but an adapter counts as the
 * base node it wraps, so injecting one renames no sibling.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, keyNames } from 'canopy';
 * const lin = () => Linear({ inFeatures: 2, outFeatures: 2 });
 * keyNames(Chain(LoraAdapter(lin(), LinearLora('a', { inFeatures: 2, outFeatures: 2 })), lin())); // ['Linear_1', 'Linear_2']
 * ```
 */
export function keyNames(node: AnyLayer): readonly string[] {
  if (!node.children.some((c) => adapterInfo(c) !== undefined)) return childNames(node);
  return nameSiblings(node.children.map((c) => baseTarget(c).kind.name));
}

/**
 * The state dict of a model with adapters: base weights under the keys they had before any
 * injection, adapter weights under `<target key>.~<adapter>` (see the rule at the top of this
 * module). On a model without adapters it equals `stateDict(model)`.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, adaptedStateDict } from 'canopy';
 * const m = Chain(LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('foo', { inFeatures: 2, outFeatures: 2, rank: 1 })));
 * [...adaptedStateDict(m).keys()];
 * // ['Linear.weight', 'Linear.bias', 'Linear.~LoraAdapter.foo.Linear_1.weight', 'Linear.~LoraAdapter.foo.Linear_2.weight']
 * ```
 */
export function adaptedStateDict(model: AnyLayer): StateDict {
  const out = new Map<string, Tensor>();
  for (const e of keyedNodes(model)) {
    for (const [name, t] of Object.entries(e.node.params)) out.set(join(e.key, name), t);
  }
  return out;
}

/**
 * Only the base model's weights of an adapted model, under their own keys: what
 * `stateDict(ejectAll(model))` gives, without ejecting.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, baseStateDict } from 'canopy';
 * const m = Chain(LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('foo', { inFeatures: 2, outFeatures: 2 })));
 * [...baseStateDict(m).keys()]; // ['Linear.weight', 'Linear.bias']
 * ```
 */
export function baseStateDict(model: AnyLayer): StateDict {
  const all = adaptedStateDict(model);
  return new Map([...all].filter(([k]) => !k.split('.').some((s) => s.startsWith('~'))));
}

// --- combinators

/**
 * Loads a state dict with {@link adaptedStateDict}'s keys into an adapted model (the input is not
 * changed; untouched subtrees are shared). Same contract as `loadStateDict`: with `strict` (the
 * default) every missing, unexpected or mismatched key is reported in one error; without it,
 * missing keys keep their values and unknown keys are ignored, so a base-only checkpoint loads
 * into an adapted model with `{ strict: false }`.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, adaptedStateDict, loadAdaptedStateDict } from 'canopy';
 * const make = (seed: number) => Chain(LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2, seed }), LinearLora('foo', { inFeatures: 2, outFeatures: 2, seed })));
 * const loaded = loadAdaptedStateDict(make(1), adaptedStateDict(make(2)));
 * adaptedStateDict(loaded).get('Linear.weight') === adaptedStateDict(make(2)).get('Linear.weight'); // false: equal values, new model
 * ```
 */
export function loadAdaptedStateDict<L extends AnyLayer>(model: L, dict: StateDictInput, options: LoadStateDictOptions = {}): L {
  const strict = options.strict ?? true;
  const entries = dict instanceof Map ? [...(dict as ReadonlyMap<string, Tensor>).entries()] : Object.entries(dict);
  const given = new Map<string, Tensor>();
  for (const [k, v] of entries) {
    if (!isTensor(v)) throw new CanopyError('argument', `loadAdaptedStateDict: every value must be a Tensor, got ${typeof v} at key "${k}"`);
    given.set(k, v);
  }
  const nodes = keyedNodes(model).filter((e) => Object.keys(e.node.params).length > 0);
  const problems: string[] = [];
  const expected = new Set<string>();
  for (const e of nodes) {
    for (const [name, t] of Object.entries(e.node.params)) {
      const k = join(e.key, name);
      expected.add(k);
      const v = given.get(k);
      if (v === undefined) {
        if (strict) problems.push(`missing: ${k} ${showShape(t.shape)}`);
      } else if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
        problems.push(`mismatch: ${k}: model ${showShape(t.shape)}, dict ${showShape(v.shape)}`);
      } else if (v.dtype !== t.dtype) {
        problems.push(`mismatch: ${k}: model ${t.dtype}, dict ${v.dtype}`);
      }
    }
  }
  if (strict) for (const [k, v] of given) if (!expected.has(k)) problems.push(`unexpected: ${k} ${showShape(v.shape)}`);
  if (problems.length > 0) {
    throw new CanopyError(
      'io',
      `loadAdaptedStateDict: the dict must ${strict ? "hold exactly the model's keys with their shapes" : 'give every key it shares with the model the same shape'}, got ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`,
    );
  }
  const updates = new Map<string, Params>();
  for (const e of nodes) {
    let changed = false;
    const next: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(e.node.params)) {
      const v = given.get(join(e.key, name));
      next[name] = v ?? t;
      if (v !== undefined && v !== t) changed = true;
    }
    if (changed) updates.set(e.indices.join('.'), next);
  }
  return rebuildAt(model, updates) as L;
}

// --- utils

/** Rebuilds the nodes whose index path (joined by '.') has new params; shares the rest. */
function rebuildAt(model: AnyLayer, updates: ReadonlyMap<string, Params>): AnyLayer {
  if (updates.size === 0) return model;
  const prefixes = new Set<string>();
  for (const k of updates.keys()) {
    const parts = k === '' ? [] : k.split('.');
    for (let i = 0; i <= parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  const go = (node: AnyLayer, at: string): AnyLayer => {
    if (!prefixes.has(at)) return node;
    let out = withChildren(node, node.children.map((c, i) => go(c, at === '' ? String(i) : `${at}.${i}`)));
    const p = updates.get(at);
    if (p !== undefined) out = withParams(out, p);
    return out;
  };
  return go(model, '');
}

function ownedNames(node: AnyLayer, direct: boolean): readonly string[] {
  const names = keyNames(node);
  if (!direct) return names;
  return names.map((n, i) => {
    const name = node.children[i]!.attrs['name'];
    return typeof name === 'string' && name !== '' ? name : n;
  });
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
