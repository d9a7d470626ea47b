// A focus: one node of a tree seen from the root, with what predicates need to decide on it
// (its parent, its index path and its dotted name path). Foci are computed during a walk; they
// are never stored in the tree, so a tree stays a plain value that any number of parents share.
import type { AnyLayer } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';

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
  /** Dotted child names from the root's children, e.g. `Sum.Linear_2` (`''` for the root). */
  readonly path: string;
}

/** A test on a node that also sees its parent and path. */
export type FocusPredicate = (node: AnyLayer, focus: Focus) => boolean;

// --- constructors

/**
 * The focus of a whole tree.
 *
 * @example
 * ```ts
 * import { Chain, rootFocus } from 'canopy';
 * rootFocus(Chain()).path; // ''
 * ```
 */
export function rootFocus(root: AnyLayer): Focus {
  return { node: root, parent: undefined, indices: [], path: '' };
}

/**
 * The focus of child `index` of the node in `focus`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, rootFocus, childFocus } from 'canopy';
 * childFocus(rootFocus(Chain(Identity(), Identity())), 1).path; // 'Identity_2'
 * ```
 */
export function childFocus(focus: Focus, index: number): Focus {
  const parent = focus.node;
  const name = childNames(parent)[index]!;
  return {
    node: parent.children[index]!,
    parent,
    indices: [...focus.indices, index],
    path: focus.path === '' ? name : `${focus.path}.${name}`,
  };
}

// --- utils

/**
 * `path` as Refiners' `get_path` prints it, with the root's kind name first (`Chain.Sum.Linear_2`).
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, absolutePath } from 'canopy';
 * absolutePath(Chain(Sum(Identity())), 'Sum.Identity'); // 'Chain.Sum.Identity'
 * ```
 */
export function absolutePath(root: AnyLayer, path: string): string {
  return path === '' ? root.kind.name : `${root.kind.name}.${path}`;
}
