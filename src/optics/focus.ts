// A focus: one node of a tree seen from the root, with what predicates need to decide on it
// (its parent, its index path and its path). Foci are computed during a walk; they are never
// stored in the tree, so a tree stays a plain value that any number of parents share.
import type { AnyLayer } from '../core/Layer.ts';
import { childNames, joinPath } from '../core/names.ts';

// --- model

/** Child indices from the root: `[0, 1]` is the root's first child's second child. */
export type IndexPath = readonly number[];

/** One node of a tree and where it sits. */
export interface Focus {
  readonly node: AnyLayer;
  /** The node's parent; `undefined` for the root. */
  readonly parent: AnyLayer | undefined;
  /** Child indices from the root (`[]` for the root). */
  readonly indices: IndexPath;
  /** The path: dotted child names from the root, without the root's own name (`''` for the root). */
  readonly path: string;
}

/** A test on a node that also sees its parent and path. */
export type FocusPredicate = (node: AnyLayer, focus: Focus) => boolean;

/** What a walk decides for a node: take it, pass it (and look inside), or skip its subtree. */
export type WalkDecision = boolean | 'prune';

/** A walk predicate; it sees the node and its focus (parent, index path, path). */
export type WalkPredicate = (node: AnyLayer, focus: Focus) => WalkDecision;

// --- constructors

/** The focus of a whole tree. @internal */
export function rootFocus(root: AnyLayer): Focus {
  return { node: root, parent: undefined, indices: [], path: '' };
}

/** The focus of child `index` of the node in `focus`. @internal */
export function childFocus(focus: Focus, index: number): Focus {
  const parent = focus.node;
  const name = childNames(parent)[index]!;
  return {
    node: parent.children[index]!,
    parent,
    indices: [...focus.indices, index],
    path: joinPath(focus.path, name),
  };
}

// --- destructors

/**
 * The descendants of `from` that `test` takes, in pre-order, with Refiners' walk rules: a node
 * not taken is looked into, `'prune'` skips the node and its subtree, and a taken node is looked
 * into only when `nested` (by default the foci are the outermost matches: disjoint subtrees, so
 * one pass can edit them all). @internal
 */
export function collectFoci(root: AnyLayer, test: WalkPredicate, from: Focus = rootFocus(root), nested = false): Focus[] {
  const out: Focus[] = [];
  const go = (focus: Focus): void => {
    for (let i = 0; i < focus.node.children.length; i++) {
      const child = childFocus(focus, i);
      const d = test(child.node, child);
      if (d === 'prune') continue;
      if (d) out.push(child);
      if (!d || nested) go(child);
    }
  };
  go(from);
  return out;
}
