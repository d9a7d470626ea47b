// The two tree edits every selection is built from. Both rebuild only the spine from the root to
// the edited nodes (withChildren copies one children array per level) and return the very same
// node wherever nothing changed, so untouched subtrees stay `===` and a no-op edit returns the root.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';
import type { Focus, IndexPath } from './focus.ts';

// --- combinators

/** Replaces the node at `indices` by `f(node)`: O(depth), not O(size). @internal */
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
 * pass that rebuilds only the spines above the foci (grouped in a trie). The foci must be
 * disjoint descendants of `root`: a focus inside another is a `structure` error. @internal
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

/** Replaces each focused node by `f(node, focus)`; the root itself may be the one focus. @internal */
export function modifyFoci(root: AnyLayer, foci: readonly Focus[], f: (node: AnyLayer, focus: Focus) => AnyLayer): AnyLayer {
  const atRoot = foci.find((x) => x.indices.length === 0);
  if (atRoot !== undefined) {
    if (foci.length > 1) throw overlapping(atRoot);
    return f(root, atRoot);
  }
  if (foci.length === 1) return modifyAtIndices(root, foci[0]!.indices, (n) => f(n, foci[0]!)); // the common case, without a trie
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
      if (t.here !== undefined) throw overlapping(focus);
      let next = t.kids.get(i);
      if (next === undefined) t.kids.set(i, (next = { here: undefined, kids: new Map() }));
      t = next;
    }
    if (t.here !== undefined || t.kids.size > 0) throw overlapping(focus);
    t.here = focus;
  }
  return root;
}

function overlapping(focus: Focus): CanopyError {
  const at = focus.path === '' ? 'the root' : focus.path;
  return new CanopyError('structure', `edit: the selected nodes must be disjoint to be edited, got ${at} overlapping another one (at ${at})`, {
    path: focus.path,
  });
}
