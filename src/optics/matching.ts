// Traversals over the descendants of a tree (never the root: every focus has a parent and a
// name). A traversal focuses the OUTERMOST matching nodes: a match is not searched further, so
// foci are disjoint subtrees and one pass can edit them all (this is what makes the traversal
// laws hold; `walk` with `recurse` is the Chain API's way to see nested matches).
import type { AnyLayer } from '../core/Layer.ts';
import { childFocus, rootFocus, type Focus, type FocusPredicate } from './focus.ts';
import { modifyFoci } from './edit.ts';
import { hasKind, type KindLike, type LayerOfKind } from './kindLike.ts';
import type { Traversal } from './Traversal.ts';

// --- constructors

/**
 * Focuses the outermost descendants for which `predicate(node, focus)` holds (the predicate
 * sees the node, its path and its parent through `focus`).
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, matching, viewAll } from 'canopy';
 * const m = Chain(Identity(), Chain(Identity()), Lambda((x: number) => x));
 * viewAll(matching((_, f) => f.path.endsWith('Identity')))(m).length; // 2
 * ```
 */
export function matching(predicate: FocusPredicate): Traversal<AnyLayer, AnyLayer> {
  return {
    _tag: 'Traversal',
    getAll: (s) => collectFoci(s, predicate).map((f) => f.node),
    modify: (f) => (s) => modifyFoci(s, collectFoci(s, predicate), (n) => f(n)),
  };
}

/**
 * Focuses the outermost descendants of a kind (a named Chain counts as a Chain).
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, ofKind, viewAll } from 'canopy';
 * viewAll(ofKind(Identity))(Chain(Sum(Identity()), Identity())).length; // 2
 * ```
 */
export function ofKind<K extends KindLike>(kind: K): Traversal<AnyLayer, LayerOfKind<K>> {
  return matching((node) => hasKind(node, kind)) as unknown as Traversal<AnyLayer, LayerOfKind<K>>;
}

/**
 * Focuses the direct children of a node.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, eachChild, viewAll } from 'canopy';
 * viewAll(eachChild())(Chain(Sum(Identity()), Identity())).length; // 2
 * ```
 */
export function eachChild(): Traversal<AnyLayer, AnyLayer> {
  return matching((_, focus) => focus.indices.length === 1);
}

// --- destructors

/**
 * The foci of the outermost descendants matching `predicate`, in pre-order.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, hasKind, collectFoci } from 'canopy';
 * collectFoci(Chain(Sum(Identity())), (n) => hasKind(n, Identity)).map((f) => f.path); // ['Sum.Identity']
 * ```
 */
export function collectFoci(root: AnyLayer, predicate: FocusPredicate, from: Focus = rootFocus(root)): Focus[] {
  const out: Focus[] = [];
  const go = (focus: Focus): void => {
    const n = focus.node.children.length;
    for (let i = 0; i < n; i++) {
      const child = childFocus(focus, i);
      if (predicate(child.node, child)) out.push(child);
      else go(child);
    }
  };
  go(from);
  return out;
}
