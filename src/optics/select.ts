// Selections in the spirit of Penzai's `pz.select`: start from a whole model, narrow to the nodes
// you mean (by kind, predicate, path, children), then edit them all at once. A selection is a
// plain value: the root and the foci (disjoint subtrees, each with its parent and path). Every
// edit returns a new root that shares every untouched subtree with the old one.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';
import { childFocus, rootFocus, type Focus, type FocusPredicate } from './focus.ts';
import { modifyFoci, spliceFoci } from './edit.ts';
import { hasKind, toKind, type KindLike } from './kindLike.ts';
import { collectFoci } from './matching.ts';
import * as E from 'fp-ts/lib/Either.js';
import { resolvePath, type PathLike } from './path.ts';

// --- model

/** Some nodes of a model, chosen step by step; every method returns a new value. */
export interface Selection {
  /** The model the selection is taken from. */
  readonly root: AnyLayer;
  /** The selected nodes with their parents and paths, in pre-order, disjoint. */
  readonly foci: readonly Focus[];
  /** How the selection was made (`select(model).atKind(Linear).where(...)`), for error messages. */
  readonly query: string;

  // narrowing
  /** Within each selected node, its outermost descendants of `kind`. */
  readonly atKind: (kind: KindLike) => Selection;
  /** Keeps the selected nodes for which `predicate(node, focus)` holds. */
  readonly where: (predicate: FocusPredicate) => Selection;
  /** Within each selected node, its outermost descendants for which the predicate holds. */
  readonly atDescendants: (predicate: FocusPredicate) => Selection;
  /** Within each selected node, the node at a relative path (an error when one lacks it). */
  readonly at: (path: PathLike) => Selection;
  /** The direct children of each selected node. */
  readonly children: () => Selection;
  /** Throws unless at least one node is selected; returns the selection. */
  readonly ensureSome: () => Selection;
  /** Throws unless exactly one node is selected; returns the selection. */
  readonly ensureOne: () => Selection;

  // reading
  /** The selected nodes. */
  readonly get: () => readonly AnyLayer[];
  /** The one selected node; a `path` error naming the query when there are none or several. */
  readonly one: () => AnyLayer;
  /** The dotted paths of the selected nodes. */
  readonly paths: () => readonly string[];
  readonly count: number;

  // editing (each returns the new root)
  /** Replaces each selected node by `f(node, focus)`. */
  readonly apply: (f: (node: AnyLayer, focus: Focus) => AnyLayer) => AnyLayer;
  /** Replaces each selected node by `node`. */
  readonly set: (node: AnyLayer) => AnyLayer;
  /** Inserts `node` before each selected node, in its parent. */
  readonly insertBefore: (node: AnyLayer) => AnyLayer;
  /** Inserts `node` after each selected node, in its parent. */
  readonly insertAfter: (node: AnyLayer) => AnyLayer;
  /** Removes each selected node from its parent. */
  readonly remove: () => AnyLayer;
  /** Puts the selected nodes back: the root itself (Penzai's `deselect`). */
  readonly deselect: () => AnyLayer;
}

// --- constructors

/**
 * Selects the whole model; narrow with `atKind`, `where`, `at`, `children`, then read or edit.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, Lambda, select, childNames } from 'canopy';
 * const m = Chain(Sum(Identity(), Identity()), Identity());
 * const m2 = select(m).atKind(Sum).atKind(Identity).insertAfter(Lambda((x: number) => x));
 * childNames(m2.children[0]!); // ['Identity_1', 'Lambda_1', 'Identity_2', 'Lambda_2']
 * ```
 */
export function select(model: AnyLayer): Selection {
  return makeSelection(model, [rootFocus(model)], 'select(model)');
}

/**
 * Selects foci of `root` found some other way (a walk, `collectFoci`). They must be disjoint.
 *
 * @example
 * ```ts
 * import { Chain, Identity, walk, selectFoci } from 'canopy';
 * const m = Chain(Identity(), Identity());
 * selectFoci(m, [...walk(m)]).count; // 2
 * ```
 */
export function selectFoci(root: AnyLayer, foci: readonly Focus[], query = 'selectFoci(model, foci)'): Selection {
  return makeSelection(root, foci, query);
}

function makeSelection(root: AnyLayer, foci: readonly Focus[], query: string): Selection {
  const within = (step: string, find: (f: Focus) => Focus[]): Selection =>
    makeSelection(root, foci.flatMap(find), `${query}.${step}`);
  const requireCount = (op: string, ok: (n: number) => boolean, want: string): void => {
    if (!ok(foci.length)) {
      throw new CanopyError(
        'path',
        `${query}.${op}: ${want} must be selected, got ${foci.length}${foci.length > 0 ? ` (${foci.map((f) => f.path || '(root)').join(', ')})` : ''}; searched from the root (${childListOf(root)})`,
        { path: '' },
      );
    }
  };
  const splice = (op: string, f: (n: AnyLayer) => readonly AnyLayer[]): AnyLayer => {
    if (foci.some((x) => x.parent === undefined)) {
      throw new CanopyError(
        'structure',
        `${query}.${op}: every selected node must have a parent, got the root; narrow the selection first (root ${childListOf(root)})`,
        { path: '' },
      );
    }
    return spliceFoci(root, foci, (n) => f(n));
  };
  const self: Selection = {
    root,
    foci,
    query,
    count: foci.length,
    atKind: (kind) => within(`atKind(${toKind(kind).name})`, (f) => collectFoci(root, (n) => hasKind(n, kind), f)),
    where: (predicate) => makeSelection(root, foci.filter((f) => predicate(f.node, f)), `${query}.where(...)`),
    atDescendants: (predicate) => within('atDescendants(...)', (f) => collectFoci(root, predicate, f)),
    at: (path) =>
      within(`at(${JSON.stringify(path)})`, (f) => {
        const r = resolvePath(f.node, path, `${query}.at`);
        if (E.isLeft(r)) {
          throw new CanopyError('path', `${r.left.message}, relative to the selected node "${f.path || '(root)'}"`, { path: f.path });
        }
        return [r.right.reduce<Focus>(childFocus, f)];
      }),
    children: () => within('children()', (f) => f.node.children.map((_, i) => childFocus(f, i))),
    ensureSome: () => {
      requireCount('ensureSome()', (n) => n > 0, 'at least one node');
      return self;
    },
    ensureOne: () => {
      requireCount('ensureOne()', (n) => n === 1, 'exactly one node');
      return self;
    },
    get: () => foci.map((f) => f.node),
    one: () => {
      requireCount('one()', (n) => n === 1, 'exactly one node');
      return foci[0]!.node;
    },
    paths: () => foci.map((f) => f.path),
    apply: (f) => modifyFoci(root, foci, f),
    set: (node) => modifyFoci(root, foci, () => node),
    insertBefore: (node) => splice('insertBefore', (n) => [node, n]),
    insertAfter: (node) => splice('insertAfter', (n) => [n, node]),
    remove: () => splice('remove', () => []),
    deselect: () => modifyFoci(root, foci, (_, f) => f.node),
  };
  return Object.freeze(self);
}

// --- utils

function childListOf(node: AnyLayer): string {
  const names = childNames(node);
  return names.length === 0 ? 'has no children' : `children: ${names.join(', ')}`;
}
