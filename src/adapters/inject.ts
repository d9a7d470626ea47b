// inject / eject: the adapter's two verbs, as pure functions on a model value. Both are
// selections plus one replacement each: every untouched subtree of the result is the very same
// object as in the input, and the input never changes.
// Where an adapter goes is a target: a key path, a node, a kind with a predicate, or a
// selection, resolved to foci of the model. Paths and kinds look through adapters already there
// (adapters are transparent to keys, see keys.ts), so a second adapter on the same path wraps
// the same base node and stacks inside the first.
import * as E from 'fp-ts/lib/Either.js';
import type { AnyLayer } from '../core/Layer.ts';
import { isLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import { childFocus, collectFoci, rootFocus, type Focus } from '../optics/focus.ts';
import { modifyFoci } from '../optics/edit.ts';
import { hasKind, toKind, type KindLike } from '../optics/kindLike.ts';
import { resolvePath, showPath, type PathLike } from '../optics/path.ts';
import type { Selection } from '../optics/select.ts';
import { adapterInfo, adapterTarget, describeAdapter, requireAdapter, type AdapterInfo } from './Adapter.ts';
import { adapterKeys, keyedNodes, type KeyedNode } from './keys.ts';

// --- model

/** Nodes of a kind, optionally filtered; only base nodes match (never parts of an adapter). */
export interface KindTarget {
  readonly kind: KindLike;
  /** Keeps the matches for which it holds; sees the key path and ancestors. Default: all. */
  readonly where?: (node: AnyLayer, entry: KeyedNode) => boolean;
}

/**
 * What `inject` adapts: a key path (`'Chain_2.Linear'`, adapters looked through; an index path
 * or array is a raw path), the node itself (every base occurrence, by identity), a
 * {@link KindTarget}, or a selection of the same model.
 */
export type Target = PathLike | AnyLayer | KindTarget | Selection;



/** Builds the adapter for one target (it must hold that very target at its `at` path). */
export type AdapterBuilder = (target: AnyLayer, focus: Focus) => AnyLayer;

/** An injected adapter: where it is (raw path and key path) and what it is. */
export interface InjectedAdapter {
  readonly node: AnyLayer;
  readonly info: AdapterInfo;
  /** Dotted child names from the root, through the adapters above it. */
  readonly path: string;
  /** Its target's key path (what the state dict uses). */
  readonly key: string;
}

// --- combinators

/**
 * Puts an adapter in the place of its target. `target` is a key path, the node itself, a
 * `{ kind, where }` or a selection (see {@link Target}); `adapter` is a built adapter (one place
 * only; its target must be the node found there) or a builder called for each target. A named
 * adapter is refused when the model already holds an adapter of that name.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Linear, Multiply, named, makeAdapter, inject, eject, layerEquals } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * const adapted = inject(m, 'Linear', (lin) => makeAdapter(named('MyAdapter', Sum(lin, Multiply({ scale: 0 }))), 0));
 * layerEquals(eject(adapted, 'MyAdapter'), m); // true (by kind name: the only MyAdapter)
 * ```
 */
export function inject(model: AnyLayer, target: Target, adapter: AnyLayer | AdapterBuilder): AnyLayer;
/** Refiners' `adapter.inject()`: the target is the adapter's own target, found in `model` by identity. */
export function inject(model: AnyLayer, adapter: AnyLayer): AnyLayer;
export function inject(model: AnyLayer, target: Target, adapter?: AnyLayer | AdapterBuilder): AnyLayer {
  if (adapter === undefined) {
    const a = target as AnyLayer;
    requireAdapter('inject', a);
    return inject(model, adapterTarget(a), a);
  }
  const foci = resolveTarget('inject', model, target);
  if (typeof adapter !== 'function' && foci.length > 1) {
    throw new CanopyError(
      'argument',
      `inject: one built adapter must go to exactly one place, got ${foci.length} targets for ${describeTarget(target)} (${foci.map((f) => f.path).join(', ')}); pass a builder (target) => adapter instead`,
    );
  }
  const present = injectedAdapters(model);
  const names = new Set<string>();
  return modifyFoci(model, foci, (node, focus) => {
    const built = typeof adapter === 'function' ? adapter(node, focus) : adapter;
    const info = requireAdapter('inject', built);
    if (adapterTarget(built) !== node) {
      const where = info.at === undefined ? 'as the target it replaces' : `at its path [${info.at.join(', ')}]`;
      throw new CanopyError(
        'structure',
        `inject: the adapter must hold the target it replaces ${where}, got a ${adapterTarget(built).kind.name} there instead of the ${node.kind.name} at "${focus.path}"`,
        { path: focus.path },
      );
    }
    if (info.name !== undefined) {
      const clash = present.find((p) => p.info.name === info.name);
      if (clash !== undefined || names.has(info.name)) {
        throw new CanopyError(
          'structure',
          `inject: adapter named "${info.name}" must be injected once, got it already injected at "${clash?.key ?? focus.path}"; eject it first`,
          { path: focus.path },
        );
      }
      names.add(info.name);
    }
    return built;
  });
}

/**
 * Takes an adapter out: every occurrence of it (the same adapter value or record, or every adapter
 * of that name or kind name) is replaced by what it holds at its target path now, so adapters
 * stacked inside it stay. Ejecting what is not injected is an error that lists what is.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, inject, eject, layerEquals } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * const a = makeAdapter(Chain(m.children[0]!), 0, { name: 'a' });
 * layerEquals(eject(inject(m, a), a), m); // true
 * ```
 */
export function eject(model: AnyLayer, adapter: AnyLayer | string): AnyLayer {
  const matches =
    typeof adapter === 'string'
      ? (n: AnyLayer): boolean => {
          const info = adapterInfo(n);
          return info !== undefined && (info.name === adapter || (info.name === undefined && n.kind.name === adapter));
        }
      : ((wanted: AdapterInfo) => (n: AnyLayer): boolean => adapterInfo(n) === wanted)(requireAdapter('eject', adapter));
  const out = ejectWhere(model, matches);
  if (out !== undefined) return out;
  const present = injectedAdapters(model);
  const want = typeof adapter === 'string' ? `an adapter named "${adapter}"` : `the ${describeAdapter(adapter)} adapter given`;
  throw new CanopyError(
    'structure',
    `eject: ${want} must be injected in the model, got ${present.length === 0 ? 'no adapters' : `only ${present.map((p) => `${describeAdapter(p.node)} at "${p.key}"`).join(', ')}`}`,
  );
}

/**
 * Ejects every adapter: the base model.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, inject, ejectAll, layerEquals } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * layerEquals(ejectAll(inject(m, 'Linear', (l) => makeAdapter(Chain(l), 0))), m); // true
 * ```
 */
export function ejectAll(model: AnyLayer): AnyLayer {
  return ejectWhere(model, (n) => adapterInfo(n) !== undefined) ?? model;
}

/** Ejects the adapters `matches` accepts, outermost first, until none is left; `undefined` when there was none. */
function ejectWhere(model: AnyLayer, matches: (n: AnyLayer) => boolean): AnyLayer | undefined {
  let out: AnyLayer | undefined;
  for (;;) {
    const foci = collectFoci(out ?? model, matches);
    if (foci.length === 0) return out;
    out = modifyFoci(out ?? model, foci, ejectOne);
  }
}

/** What takes an adapter's place when it is ejected: its target, if the adapter allows it now. */
function ejectOne(n: AnyLayer): AnyLayer {
  const ok = requireAdapter('eject', n).canEject(n);
  if (ok !== true) throw new CanopyError('structure', `eject: the ${describeAdapter(n)} adapter must be ejectable, got ${ok}`);
  return adapterTarget(n);
}

// --- destructors

/**
 * The adapters a model holds, outermost first, with their raw paths and their targets' key paths.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, inject, injectedAdapters } from 'canopy-nn';
 * const m = inject(Chain(Linear({ inFeatures: 1, outFeatures: 1 })), 'Linear', (l) => makeAdapter(Chain(l), 0));
 * injectedAdapters(m).map((a) => [a.path, a.key]); // [['Chain', 'Linear']]
 * ```
 */
export function injectedAdapters(model: AnyLayer): InjectedAdapter[] {
  const keys = adapterKeys(model);
  return [rootFocus(model), ...collectFoci(model, () => true, undefined, true)].flatMap(({ node, indices, path }) => {
    const info = adapterInfo(node);
    return info === undefined ? [] : [{ node, info, path, key: keys.get(indices.join('.')) ?? '' }];
  });
}

// --- targets

/** The foci of `model` a target names (never empty: a target that matches nothing is an error). */
function resolveTarget(op: string, model: AnyLayer, target: Target): readonly Focus[] {
  const foci = findTarget(op, model, target);
  if (foci.length === 0) {
    throw new CanopyError('path', `${op}: the target must match at least one node, got none for ${describeTarget(target)}`);
  }
  return foci;
}

/** A target as text, for messages. */
function describeTarget(target: Target): string {
  if (isSelection(target)) return target.query;
  if (isLayer(target)) return `a ${target.kind.name} given by identity`;
  if (isKindTarget(target)) return `kind ${toKind(target.kind).name}${target.where === undefined ? '' : ' where(...)'}`;
  return `path "${showPath(target)}"`;
}

function findTarget(op: string, model: AnyLayer, target: Target): readonly Focus[] {
  if (isSelection(target)) {
    if (target.root !== model) {
      throw new CanopyError('argument', `${op}: a selection target must be taken from the model it adapts, got ${target.query} of another model`);
    }
    return target.foci;
  }
  if (isLayer(target)) return baseFoci(model, (e) => e.node === target);
  if (isKindTarget(target)) {
    const where = target.where;
    return baseFoci(model, (e) => hasKind(e.node, target.kind) && (where === undefined || where(e.node, e)));
  }
  if (typeof target === 'string') {
    const hit = keyedNodes(model).find((e) => !e.owned && e.key === target);
    if (hit !== undefined) return [toFocus(model, hit)];
  }
  const r = resolvePath(model, target, op);
  if (E.isLeft(r)) throw r.left;
  return [r.right.reduce<Focus>(childFocus, rootFocus(model))];
}

/** The outermost base nodes (not the root) for which `match` holds. */
function baseFoci(model: AnyLayer, match: (e: KeyedNode) => boolean): Focus[] {
  const hits: KeyedNode[] = [];
  keyedNodes(model, (e) => {
    if (e.owned || e.indices.length === 0) return e.owned;
    if (match(e)) {
      hits.push(e);
      return true;
    }
    return false;
  });
  return hits.map((e) => toFocus(model, e));
}

function toFocus(model: AnyLayer, e: KeyedNode): Focus {
  return e.indices.reduce<Focus>(childFocus, rootFocus(model));
}

function isSelection(t: Target): t is Selection {
  return typeof t === 'object' && t !== null && 'foci' in t && 'root' in t;
}

function isKindTarget(t: Target): t is KindTarget {
  return typeof t === 'object' && t !== null && !Array.isArray(t) && !isLayer(t) && 'kind' in t;
}

