// Refiners' Chain API as pure functions, each a one-line use of `select`: the first argument is
// the container it acts on, and every edit returns a new model (the input is left as it was).
// To act on a nested container, select it first: `select(m).at('Sum.Chain').insertChild(-1, l)`.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { makeLayer, withChildren } from '../core/Layer.ts';
import type { Focus, WalkPredicate } from './focus.ts';
import { hasKind, kindTest, type KindLike, type LayerOfKind } from './kindLike.ts';
import type { PathLike, PathStep } from './path.ts';
import type { ValidPath } from './pathTypes.ts';
import { select, type Selection } from './select.ts';

// --- model

/** What {@link pop} gives back: the new container and the child it took out. */
export interface Popped {
  readonly model: AnyLayer;
  readonly popped: AnyLayer;
}

/** A direct child, by the node itself (identity), its name, or its index. */
export type ChildRef = AnyLayer | string | number;

// --- destructors

/**
 * Refiners' `chain[key]`: a direct child by name or index (negative from the end).
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, childAt } from 'canopy-nn';
 * childAt(Chain(Identity(), Lambda((x: number) => x)), 'Lambda').kind.name; // 'Lambda'
 * ```
 */
export function childAt(model: AnyLayer, key: PathStep): AnyLayer {
  return select(model).at([key]).one();
}

/**
 * Refiners' `layer(path, type)`: the node at `path`, its kind asserted (and typed) when given.
 *
 * @example
 * ```ts
 * import { Chain, Sum, layer } from 'canopy-nn';
 * const m = Chain(Sum(Chain(), Chain()));
 * layer(m, 'Sum.Chain_2', Chain) === layer(m, [0, 1]); // true
 * ```
 */
export function layer<const P extends PathLike, K extends KindLike>(model: AnyLayer, path: ValidPath<P>, kind: K): LayerOfKind<K>;
export function layer<const P extends PathLike>(model: AnyLayer, path: ValidPath<P>): AnyLayer;
export function layer(model: AnyLayer, path: PathLike, kind?: KindLike): AnyLayer {
  return kind === undefined ? select(model).at(path).one() : select(model).at(path).one(kind);
}

/**
 * Refiners' `find(type)`: the first descendant of a kind (pre-order), or `undefined`.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, find } from 'canopy-nn';
 * [find(Chain(Identity()), Identity)?.kind.name, find(Chain(Identity()), Sum)]; // ['Identity', undefined]
 * ```
 */
export function find<K extends KindLike>(model: AnyLayer, kind: K): LayerOfKind<K> | undefined {
  return select(model).atKind(kind).get()[0] as LayerOfKind<K> | undefined;
}

/**
 * Refiners' `ensure_find(type)`: the first descendant of a kind; a `path` error when none.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ensureFind } from 'canopy-nn';
 * ensureFind(Chain(Identity()), Identity).kind.name; // 'Identity'
 * ```
 */
export function ensureFind<K extends KindLike>(model: AnyLayer, kind: K): LayerOfKind<K> {
  return select(model).atKind(kind).ensureSome().get()[0] as LayerOfKind<K>;
}

/**
 * Refiners' `find_parent(module)`: the parent of the first occurrence of `node` (by identity),
 * or `undefined` (also for the root itself).
 *
 * @example
 * ```ts
 * import { Chain, Identity, findParent } from 'canopy-nn';
 * const leaf = Identity();
 * const inner = Chain(leaf);
 * findParent(Chain(inner), leaf) === inner; // true
 * ```
 */
export function findParent(model: AnyLayer, node: AnyLayer): AnyLayer | undefined {
  return occurrences(model, node).foci[0]?.parent;
}

/**
 * Refiners' `ensure_find_parent(module)`: as {@link findParent}; a `path` error when `node` is
 * not a descendant.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ensureFindParent } from 'canopy-nn';
 * const leaf = Identity();
 * const m = Chain(leaf);
 * ensureFindParent(m, leaf) === m; // true
 * ```
 */
export function ensureFindParent(model: AnyLayer, node: AnyLayer): AnyLayer {
  return occurrences(model, node).ensureSome().foci[0]!.parent!;
}

/**
 * Refiners' `layers(type, recurse)`: the descendants of a kind; matches inside matches only when
 * `recurse`.
 *
 * @example
 * ```ts
 * import { Chain, layers } from 'canopy-nn';
 * const m = Chain(Chain(Chain(Chain())), Chain());
 * [layers(m, Chain).length, layers(m, Chain, true).length]; // [2, 4]
 * ```
 */
export function layers<K extends KindLike>(model: AnyLayer, kind: K, recurse = false): LayerOfKind<K>[] {
  return select(model).atDescendants((n) => hasKind(n, kind), { nested: recurse }).get() as LayerOfKind<K>[];
}

/**
 * Refiners' `walk(predicate, recurse)`: the descendants that match, in pre-order, as foci (node,
 * parent, path). A match is looked into only when `recurse`; a node that does not match is looked
 * into; a predicate returning `'prune'` skips the subtree (Refiners raises `StopIteration`). So
 * `walk(m)` gives the direct children and `walk(m, undefined, true)` every descendant.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, walk } from 'canopy-nn';
 * walk(Chain(Sum(Identity()), Identity()), Identity).map((f) => f.path); // ['Sum.Identity', 'Identity']
 * ```
 */
export function walk(model: AnyLayer, predicate?: KindLike | WalkPredicate, recurse = false): readonly Focus[] {
  return select(model).atDescendants(predicate === undefined ? () => true : kindTest(predicate), { nested: recurse }).foci;
}

// --- combinators

/**
 * Refiners' `insert(index, module)`: `-1` appends (`max(0, len + index + 1)`, unlike
 * `Array.splice`), an index out of range clamps.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, insert, childNames } from 'canopy-nn';
 * childNames(insert(Chain(Identity(), Identity()), -2, Lambda((x: number) => x))); // ['Identity_1', 'Lambda', 'Identity_2']
 * ```
 */
export function insert(model: AnyLayer, index: number, layer: AnyLayer): AnyLayer {
  return select(model).insertChild(index, layer);
}

/**
 * Refiners' `append(module)`: adds `layer` as the last child.
 *
 * @example
 * ```ts
 * import { Chain, Identity, append, childNames } from 'canopy-nn';
 * childNames(append(Chain(Identity()), Identity())); // ['Identity_1', 'Identity_2']
 * ```
 */
export function append(model: AnyLayer, layer: AnyLayer): AnyLayer {
  return select(model).insertChild(-1, layer);
}

/**
 * Refiners' `insert_before_type(type, module)`: before the first direct child of `kind`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, insertBeforeKind, childNames } from 'canopy-nn';
 * childNames(insertBeforeKind(Chain(Lambda((x: number) => x), Identity()), Identity, Chain())); // ['Lambda', 'Chain', 'Identity']
 * ```
 */
export function insertBeforeKind(model: AnyLayer, kind: KindLike, layer: AnyLayer): AnyLayer {
  return select(model).children().where(kind).nth(0).insertBefore(layer);
}

/**
 * Refiners' `insert_after_type(type, module)`: after the first direct child of `kind`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, insertAfterKind, childNames } from 'canopy-nn';
 * childNames(insertAfterKind(Chain(Identity(), Identity()), Identity, Chain())); // ['Identity_1', 'Chain', 'Identity_2']
 * ```
 */
export function insertAfterKind(model: AnyLayer, kind: KindLike, layer: AnyLayer): AnyLayer {
  return select(model).children().where(kind).nth(0).insertAfter(layer);
}

/**
 * Refiners' `pop(index=-1)`: takes out a child (negative counts from the end); a `path` error
 * out of range.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, pop, childNames } from 'canopy-nn';
 * const { model, popped } = pop(Chain(Identity(), Lambda((x: number) => x)));
 * [childNames(model), popped.kind.name]; // [['Identity'], 'Lambda']
 * ```
 */
export function pop(model: AnyLayer, index = -1): Popped {
  const child = select(model).children().nth(index);
  return { model: child.remove(), popped: child.one() };
}

/**
 * Refiners' `remove(module)`: removes a direct child (the first one `===` to `child`, or the one
 * with that name or index).
 *
 * @example
 * ```ts
 * import { Chain, Identity, remove, childNames } from 'canopy-nn';
 * const leaf = Identity();
 * childNames(remove(Chain(Identity(), leaf), leaf)); // ['Identity']
 * ```
 */
export function remove(model: AnyLayer, child: ChildRef): AnyLayer {
  return selectChild(model, child).remove();
}

/**
 * Refiners' `replace(old, new)`: replaces a direct child (found as in {@link remove}) by `next`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, replace, childNames } from 'canopy-nn';
 * childNames(replace(Chain(Identity(), Identity()), 'Identity_2', Lambda((x: number) => x))); // ['Identity', 'Lambda']
 * ```
 */
export function replace(model: AnyLayer, child: ChildRef, next: AnyLayer): AnyLayer {
  return selectChild(model, child).set(next);
}

/**
 * Refiners' `chain[start:end:step]`: the container with a Python slice of its children (negative
 * indices count from the end, bounds clamp, a negative step walks backwards). Named `sliceChain`
 * because `slice` is the tensor op.
 *
 * @example
 * ```ts
 * import { Chain, Identity, sliceChain } from 'canopy-nn';
 * sliceChain(Chain(Identity(), Identity(), Identity()), 0, -1).children.length; // 2
 * ```
 */
export function sliceChain(model: AnyLayer, start?: number, end?: number, step = 1): AnyLayer {
  if (!Number.isInteger(step) || step === 0) {
    throw new CanopyError('argument', `sliceChain: step must be a non-zero integer, got ${step}`);
  }
  const n = model.children.length;
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number =>
    v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const [from, to] = step > 0 ? [clamp(start, 0, 0, n), clamp(end, n, 0, n)] : [clamp(start, n - 1, -1, n - 1), clamp(end, -1, -1, n - 1)];
  const kids: AnyLayer[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) kids.push(model.children[i]!);
  return withChildren(model, kids);
}

/**
 * Refiners' `structural_copy()`: new container objects, the same leaves (all the weights). Values
 * never need it for safety (an edit never changes the original); it is there for parity.
 *
 * @example
 * ```ts
 * import { Chain, Identity, structuralCopy } from 'canopy-nn';
 * const m = Chain(Chain(Identity()));
 * const c = structuralCopy(m);
 * [c === m, c.children[0] === m.children[0], c.children[0]!.children[0] === m.children[0]!.children[0]]; // [false, false, true]
 * ```
 */
export function structuralCopy(model: AnyLayer): AnyLayer {
  if (model.children.length === 0 && model.kind.tag === undefined) return model;
  return makeLayer(model.kind, model.attrs, model.children.map(structuralCopy), { contexts: model.contexts, params: model.params });
}

// --- utils

function occurrences(model: AnyLayer, node: AnyLayer): Selection {
  return select(model).atDescendants((n) => n === node);
}

function selectChild(model: AnyLayer, child: ChildRef): Selection {
  return typeof child === 'object' ? select(model).children().where((n) => n === child).nth(0) : select(model).at([child]);
}
