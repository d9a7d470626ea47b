// The two tree edits every optic is built from. Both rebuild only the spine from the root to the
// edited nodes (withChildren copies one children array per level) and return the very same node
// wherever nothing changed, so untouched subtrees stay `===` and a no-op edit returns the root.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';
import type { Focus, IndexPath } from './focus.ts';

// --- combinators

/**
 * Replaces the node at `indices` by `f(node)`: O(depth), not O(size).
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, modifyAtIndices } from 'canopy';
 * const m = Chain(Chain(Identity()), Identity());
 * const m2 = modifyAtIndices(m, [0, 0], () => Lambda((x: number) => x));
 * m2.children[1] === m.children[1]; // true: the untouched sibling is shared
 * ```
 */
export function modifyAtIndices(root: AnyLayer, indices: IndexPath, f: (node: AnyLayer) => AnyLayer): AnyLayer {
  const go = (node: AnyLayer, depth: number): AnyLayer => {
    if (depth === indices.length) return f(node);
    const i = indices[depth]!;
    const child = node.children[i];
    if (child === undefined) {
      throw new CanopyError('path', `modifyAtIndices: index must be below ${node.children.length}, got ${i} at depth ${depth}`);
    }
    const next = go(child, depth + 1);
    if (next === child) return node;
    const kids = node.children.slice();
    kids[i] = next;
    return withChildren(node, kids);
  };
  return go(root, 0);
}

/**
 * Replaces each focused node by a list of nodes (none removes it, two insert a sibling), in one
 * pass that rebuilds only the spines above the foci. Foci must be disjoint descendants of
 * `root` (no focus inside another), as selections and traversals produce them.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, childFocus, rootFocus, spliceFoci, childNames } from 'canopy';
 * const m = Chain(Identity(), Identity());
 * const m2 = spliceFoci(m, [childFocus(rootFocus(m), 0)], (n) => [Lambda((x: number) => x), n]);
 * childNames(m2); // ['Lambda', 'Identity_1', 'Identity_2']
 * ```
 */
export function spliceFoci(
  root: AnyLayer,
  foci: readonly Focus[],
  f: (node: AnyLayer, focus: Focus) => readonly AnyLayer[],
): AnyLayer {
  if (foci.length === 0) return root;
  const trie = buildTrie(foci);
  if (trie.here !== undefined) {
    throw new CanopyError('structure', 'splice: a focus must have a parent to be replaced by several nodes or removed, got the root (at the root)');
  }
  const rebuild = (node: AnyLayer, t: Trie): AnyLayer => {
    const out: AnyLayer[] = [];
    let changed = false;
    node.children.forEach((child, i) => {
      const sub = t.kids.get(i);
      if (sub === undefined) {
        out.push(child);
      } else if (sub.here !== undefined) {
        const repl = f(child, sub.here);
        if (repl.length !== 1 || repl[0] !== child) changed = true;
        out.push(...repl);
      } else {
        const next = rebuild(child, sub);
        if (next !== child) changed = true;
        out.push(next);
      }
    });
    return changed ? withChildren(node, out) : node;
  };
  return rebuild(root, trie);
}

/**
 * Replaces each focused node by `f(node)`; the root itself may be a focus.
 *
 * @example
 * ```ts
 * import { Chain, Identity, rootFocus, modifyFoci } from 'canopy';
 * const m = Chain(Identity());
 * modifyFoci(m, [rootFocus(m)], (n) => n) === m; // true
 * ```
 */
export function modifyFoci(root: AnyLayer, foci: readonly Focus[], f: (node: AnyLayer, focus: Focus) => AnyLayer): AnyLayer {
  const atRoot = foci.find((x) => x.indices.length === 0);
  if (atRoot !== undefined) return f(root, atRoot);
  return spliceFoci(root, foci, (n, focus) => [f(n, focus)]);
}

// --- utils

interface Trie {
  here: Focus | undefined;
  readonly kids: Map<number, Trie>;
}

function buildTrie(foci: readonly Focus[]): Trie {
  const root: Trie = { here: undefined, kids: new Map() };
  for (const focus of foci) {
    let t = root;
    for (const i of focus.indices) {
      if (t.here !== undefined) break; // nested in an earlier focus: the outer one wins
      let next = t.kids.get(i);
      if (next === undefined) t.kids.set(i, (next = { here: undefined, kids: new Map() }));
      t = next;
    }
    if (t.here === undefined && t.kids.size === 0) t.here = focus;
  }
  return root;
}
