// Refiners' `Chain.walk` and `Chain.layers` as pure functions over a tree value. Where Refiners
// prunes a subtree when the predicate raises StopIteration, a canopy predicate returns 'prune'.
import type { AnyLayer } from '../core/Layer.ts';
import { childFocus, rootFocus, type Focus } from './focus.ts';
import { hasKind, type KindLike, type LayerOfKind } from './kindLike.ts';

// --- model

/** What a walk predicate decides for a node: yield it, pass it (and look inside), or skip its subtree. */
export type WalkDecision = boolean | 'prune';

/** A walk predicate; it sees the node and its focus (parent, index path, name path). */
export type WalkPredicate = (node: AnyLayer, focus: Focus) => WalkDecision;

// --- destructors

/**
 * Yields the descendants of `model` that match, in pre-order, as {@link Focus} values (node,
 * parent, path), with Refiners' rules: a match is yielded and looked into only when `recurse`
 * is true; a node that does not match is looked into; `'prune'` skips the node and its subtree.
 * So `walk(m)` yields the direct children and `walk(m, undefined, true)` every descendant.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, walk } from 'canopy';
 * const m = Chain(Sum(Identity()), Identity());
 * [...walk(m, Identity)].map((f) => f.path); // ['Sum.Identity', 'Identity']
 * ```
 */
export function* walk(
  model: AnyLayer,
  predicate?: KindLike | WalkPredicate,
  recurse = false,
): Generator<Focus, void, undefined> {
  const decide: WalkPredicate =
    predicate === undefined
      ? () => true
      : typeof predicate === 'function' && !('kind' in predicate)
        ? predicate
        : (node) => hasKind(node, predicate as KindLike);
  function* go(focus: Focus): Generator<Focus, void, undefined> {
    const n = focus.node.children.length;
    for (let i = 0; i < n; i++) {
      const child = childFocus(focus, i);
      const d = decide(child.node, child);
      if (d === 'prune') continue;
      if (d) {
        yield child;
        if (recurse) yield* go(child);
      } else {
        yield* go(child);
      }
    }
  }
  yield* go(rootFocus(model));
}

/**
 * The descendants of a kind, as `walk(model, kind, recurse)` finds them.
 *
 * @example
 * ```ts
 * import { Chain, layers } from 'canopy';
 * const m = Chain(Chain(Chain(Chain())), Chain());
 * [layers(m, Chain).length, layers(m, Chain, true).length]; // [2, 4]
 * ```
 */
export function layers<K extends KindLike>(model: AnyLayer, kind: K, recurse = false): LayerOfKind<K>[] {
  return [...walk(model, kind, recurse)].map((f) => f.node as LayerOfKind<K>);
}
