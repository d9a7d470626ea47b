// Adapters: a layer that takes a target node's place and holds that target somewhere inside it.
// Refiners keeps the target in a hidden attribute and relies on parent pointers; in canopy the
// adapter is a plain value that records WHERE its target sits among its descendants (an index
// path). Ejecting puts back whatever sits there now, so adapters stacked on the same target (one
// inside the other) can be ejected in any order, and an adapter restructuring a Chain (Refiners'
// docs example 2) is the same thing with a deeper path. An adapter may also drop its target and
// put other children in its place (Refiners' ContextAdapter test): it then keeps the target
// aside, in its record, and ejecting puts that very target back.
// An adapter may say when it cannot be ejected (a LoraAdapter while merged): eject asks it and
// knows nothing of any particular adapter.
import type { AnyLayer } from '../core/Layer.ts';
import { makeLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { IndexPath } from '../optics/focus.ts';
import { ensurePath, nodeAtUnchecked, type PathLike } from '../optics/path.ts';

// --- model

/**
 * What makes a node an adapter, stored as its `adapter` attribute. The object itself is the
 * adapter's identity: it survives edits of the adapter's children (stacking, weight loading,
 * adding a LoRA), so `eject(model, handle)` finds the adapter after such edits.
 */
export interface AdapterInfo {
  /** A name that must be unique in a model (a second injection is refused); `undefined` for none. */
  readonly name: string | undefined;
  /**
   * Where the target sits, as child indices from the adapter (`[0]`: its first child), or
   * `undefined` when the adapter replaced its target by other children and keeps it in `replaced`.
   */
  readonly at: IndexPath | undefined;
  /** The target an adapter replaced by other children (what ejecting puts back); else `undefined`. */
  readonly replaced: AnyLayer | undefined;
  /** `true` when the adapter can be ejected as it is now, else why not (see {@link AdapterOptions}). */
  readonly canEject: (adapter: AnyLayer) => true | string;
}

/** Where an adapter's target is: a path among its descendants, or `{ replaces: target }` when none of its children is the target. */
export type AdapterTargetAt = PathLike | { readonly replaces: AnyLayer };

/** Options of {@link makeAdapter}. */
export interface AdapterOptions {
  /** Make the adapter named: a model holds at most one adapter of that name. Default: unnamed. */
  readonly name?: string;
  /**
   * `true` when the adapter (as it is at eject time) can be ejected, else the reason it cannot,
   * which `eject` reports. Default: always `true`.
   */
  readonly canEject?: (adapter: AnyLayer) => true | string;
}

// --- constructors

/**
 * Marks a built container as an adapter whose target sits at `at` (a path relative to the
 * container, names or indices), or that replaces a target `{ replaces: target }` by its own
 * children. The container is usually a named Sum or Chain holding the target and what adapts it;
 * nothing is injected yet.
 *
 * @example
 * ```ts
 * import { Sum, Chain, Linear, Multiply, named, makeAdapter, adapterTarget } from 'canopy-nn';
 * const lin = Linear({ inFeatures: 2, outFeatures: 2 });
 * const a = makeAdapter(named('MyAdapter', Sum(Chain(Multiply({ scale: 0 })), lin)), 'Linear');
 * adapterTarget(a) === lin; // true
 * ```
 */
export function makeAdapter<L extends AnyLayer>(container: L, at: AdapterTargetAt, options: AdapterOptions = {}): L {
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new CanopyError('argument', `makeAdapter: a name must be a non-empty string, got ${JSON.stringify(options.name)}`);
  }
  const replaced = typeof at === 'object' && 'replaces' in at ? at.replaces : undefined;
  const indices = replaced === undefined ? ensurePath(container, at as PathLike, 'makeAdapter') : undefined;
  if (indices?.length === 0) {
    throw new CanopyError('structure', `makeAdapter: the target must be a descendant of the adapter, got the adapter itself (path "${String(at)}")`);
  }
  const info: AdapterInfo = Object.freeze({ name: options.name, at: indices && Object.freeze([...indices]), replaced, canEject: options.canEject ?? ejectable });
  return withAdapterInfo(container, info) as L;
}

const ejectable = (): true => true;

/** The same node carrying `info` (kind, children, params and contexts kept). */
function withAdapterInfo(node: AnyLayer, info: AdapterInfo): AnyLayer {
  return makeLayer(node.kind, { ...node.attrs, adapter: info }, node.children, { contexts: node.contexts, params: node.params });
}

// --- destructors

/**
 * True when `node` is an adapter.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, isAdapter } from 'canopy-nn';
 * isAdapter(makeAdapter(Chain(Linear({ inFeatures: 1, outFeatures: 1 })), 0)); // true
 * ```
 */
export function isAdapter(node: AnyLayer): boolean {
  return adapterInfo(node) !== undefined;
}

/** The adapter record of a node, or `undefined` when it is not an adapter. @internal */
export function adapterInfo(node: AnyLayer): AdapterInfo | undefined {
  const a = node.attrs['adapter'];
  if (typeof a !== 'object' || a === null) return undefined;
  const info = a as Partial<AdapterInfo>;
  return typeof info.canEject === 'function' ? (a as AdapterInfo) : undefined;
}

/**
 * The node an adapter holds as its target now (after stacking, another adapter), or the target
 * it replaced by other children.
 *
 * @example
 * ```ts
 * import { Chain, Identity, makeAdapter, adapterTarget } from 'canopy-nn';
 * const id = Identity();
 * adapterTarget(makeAdapter(Chain(id), 0)) === id; // true
 * ```
 */
export function adapterTarget(node: AnyLayer): AnyLayer {
  const info = requireAdapter('adapterTarget', node);
  return info.at === undefined ? info.replaced! : nodeAtUnchecked(node, info.at);
}

/** The base node under a stack of adapters: follows targets until a node that is not an adapter. @internal */
export function baseTarget(node: AnyLayer): AnyLayer {
  let n = node;
  while (isAdapter(n)) n = adapterTarget(n);
  return n;
}

/** A short description of an adapter for messages: its kind, and its name when it has one (`Chain "cnx"`). @internal */
export function describeAdapter(node: AnyLayer): string {
  const name = adapterInfo(node)?.name;
  return name === undefined ? node.kind.name : `${node.kind.name} "${name}"`;
}

/** The adapter record, or a `structure` error naming `op`. @internal */
export function requireAdapter(op: string, node: AnyLayer): AdapterInfo {
  const info = adapterInfo(node);
  if (info === undefined) {
    throw new CanopyError('structure', `${op}: the layer must be an adapter (built with makeAdapter), got a ${node.kind.name}`);
  }
  return info;
}
