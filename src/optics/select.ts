// canopy's one editing API, in the spirit of Penzai's `pz.select`: start from a whole model,
// narrow to the nodes you mean (by path, kind, predicate, children), then read them or edit them
// all at once. A selection is "a partially applied lens": the model with holes at the selected
// nodes (`root` and the foci' positions) plus the values that fill them (the foci' nodes).
// `map` changes the values and keeps them selected; `deselect` fills the holes and returns the
// model. Every edit returns a new model that shares every untouched subtree with the old one, and
// an edit that changes nothing returns the model itself.
import * as E from 'fp-ts/lib/Either.js';
import { CanopyError, type CanopyErrorCode } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';
import { childFocus, collectFoci, rootFocus, type Focus, type FocusPredicate, type WalkPredicate } from './focus.ts';
import { modifyFoci, spliceFoci } from './edit.ts';
import { hasKind, kindTest, showTest, toKind, type KindLike, type LayerOfKind } from './kindLike.ts';
import { childList, resolvePath, type PathLike } from './path.ts';
import type { ValidPath } from './pathTypes.ts';

// --- model

/** Some nodes of a model, chosen step by step; every method returns a new value. */
export interface Selection {
  /** The model the selection is taken from. */
  readonly root: AnyLayer;
  /** The selected nodes with their parents and paths, in pre-order, disjoint (unless `nested`). */
  readonly foci: readonly Focus[];
  /** How the selection was made (`select(model).atKind(Linear).where(...)`), for error messages. */
  readonly query: string;
  /** How many nodes are selected. */
  readonly count: number;

  // narrowing (within each selected node)
  /** The node at a path relative to each selected node (a `path` error when one lacks it). */
  readonly at: <const P extends PathLike>(path: ValidPath<P>) => Selection;
  /** The outermost descendants of a kind (Penzai's `at_instances_of`). */
  readonly atKind: (kind: KindLike) => Selection;
  /**
   * The outermost descendants `test` takes; `'prune'` skips a subtree. With `nested`, matches
   * inside matches too (for reading: nested nodes cannot be edited in one pass).
   */
  readonly atDescendants: (test: WalkPredicate, options?: { readonly nested?: boolean }) => Selection;
  /** The direct children. */
  readonly children: () => Selection;
  /** Keeps the selected nodes of a kind, or for which the predicate holds. */
  readonly where: (test: KindLike | FocusPredicate) => Selection;
  /** Keeps the `index`-th selected node (negative counts from the end); a `path` error when absent. */
  readonly nth: (index: number) => Selection;
  /** Throws unless at least one node is selected; returns the selection. */
  readonly ensureSome: () => Selection;
  /** Throws unless exactly one node is selected; returns the selection. */
  readonly ensureOne: () => Selection;

  // reading
  /** The selected nodes. */
  readonly get: () => readonly AnyLayer[];
  /** The one selected node (typed by `kind`, asserted, when given); an error when there are none or several. */
  readonly one: {
    (): AnyLayer;
    <K extends KindLike>(kind: K): LayerOfKind<K>;
  };
  /** The paths of the selected nodes, as errors and state dicts write them. */
  readonly paths: () => readonly string[];

  // editing
  /** Replaces each selected node by `f(node, focus)` and keeps them selected (Penzai's `apply(keep_selected=True)`). */
  readonly map: (f: (node: AnyLayer, focus: Focus) => AnyLayer) => Selection;
  /** The model with the selected nodes put back (changed ones by `map` included). */
  readonly deselect: () => AnyLayer;
  /** Replaces each selected node by `f(node, focus)`: `map(f).deselect()`. */
  readonly apply: (f: (node: AnyLayer, focus: Focus) => AnyLayer) => AnyLayer;
  /** Replaces each selected node by `node`. */
  readonly set: (node: AnyLayer) => AnyLayer;
  /** Inserts `node` before each selected node, in its parent. */
  readonly insertBefore: (node: AnyLayer) => AnyLayer;
  /** Inserts `node` after each selected node, in its parent. */
  readonly insertAfter: (node: AnyLayer) => AnyLayer;
  /** Removes each selected node from its parent. */
  readonly remove: () => AnyLayer;
  /**
   * Inserts `node` among each selected container's children with Refiners' index rules: a
   * negative index counts from the end so that `-1` appends, an index out of range clamps.
   */
  readonly insertChild: (index: number, node: AnyLayer) => AnyLayer;
}

// --- constructors

/**
 * Selects the whole model; narrow with `at`, `atKind`, `where`, `children`, ..., then read or edit.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, Lambda, select, childNames } from 'canopy-nn';
 * const m = Chain(Sum(Identity(), Identity()), Identity());
 * const m2 = select(m).atKind(Sum).atKind(Identity).insertAfter(Lambda((x: number) => x));
 * childNames(m2.children[0]!); // ['Identity_1', 'Lambda_1', 'Identity_2', 'Lambda_2']
 * select(m2).at('Sum.Lambda_2').paths(); // ['Sum.Lambda_2']
 * ```
 */
export function select(model: AnyLayer): Selection {
  return new Sel(model, [rootFocus(model)], 'select(model)');
}

// The methods live on a prototype: a selection is made at every step of a query, so making one
// must cost a few fields, not a closure per method.
class Sel implements Selection {
  readonly count: number;
  constructor(
    readonly root: AnyLayer,
    readonly foci: readonly Focus[],
    readonly query: string,
  ) {
    this.count = foci.length;
    Object.freeze(this);
  }

  // narrowing
  at<const P extends PathLike>(path: ValidPath<P>): Selection {
    return this.within(`at(${JSON.stringify(path)})`, (f) => {
      const r = resolvePath(f.node, path as PathLike, `${this.query}.at`);
      if (E.isLeft(r)) {
        if (f.path === '') throw r.left;
        const at = r.left.path === '' || r.left.path === undefined ? f.path : `${f.path}.${r.left.path}`;
        throw new CanopyError('path', `${r.left.message}, relative to the selected node "${f.path}"`, { path: at });
      }
      return [r.right.reduce(childFocus, f)];
    });
  }
  atKind(kind: KindLike): Selection {
    return this.within(`atKind(${toKind(kind).name})`, (f) => collectFoci(f.node, (n) => hasKind(n, kind), f));
  }
  atDescendants(test: WalkPredicate, options: { readonly nested?: boolean } = {}): Selection {
    return this.within(`atDescendants(...${options.nested === true ? ', nested' : ''})`, (f) => collectFoci(f.node, test, f, options.nested));
  }
  children(): Selection {
    return this.within('children()', (f) => f.node.children.map((_, i) => childFocus(f, i)));
  }
  where(test: KindLike | FocusPredicate): Selection {
    const keep = kindTest(test);
    return new Sel(this.root, this.foci.filter((f) => keep(f.node, f)), `${this.query}.where(${showTest(test)})`);
  }
  nth(index: number): Selection {
    const n = this.count;
    const i = index < 0 ? n + index : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) {
      const range = n === 0 ? 'an empty range (none selected)' : `[${-n}, ${n - 1}]`;
      this.fail('path', `nth(${index})`, `index must be in ${range}, got ${index}; searched from the root (${childList(this.root)})`);
    }
    return new Sel(this.root, [this.foci[i]!], `${this.query}.nth(${index})`);
  }
  ensureSome(): Selection {
    return this.requireCount('ensureSome()', this.count > 0, 'at least one node');
  }
  ensureOne(): Selection {
    return this.requireCount('ensureOne()', this.count === 1, 'exactly one node');
  }

  // reading
  get(): readonly AnyLayer[] {
    return this.foci.map((f) => f.node);
  }
  one(): AnyLayer;
  one<K extends KindLike>(kind: K): LayerOfKind<K>;
  one(kind?: KindLike): AnyLayer {
    const op = kind === undefined ? 'one()' : `one(${toKind(kind).name})`;
    this.requireCount(op, this.count === 1, 'exactly one node');
    const { node, path } = this.foci[0]!;
    if (kind !== undefined && !hasKind(node, kind)) {
      const at = path === '' ? 'the root' : path;
      this.fail('structure', op, `the node at "${path}" must be a ${toKind(kind).name}, got a ${node.kind.name} (at ${at})`, path);
    }
    return node;
  }
  paths(): readonly string[] {
    return this.foci.map((f) => f.path);
  }

  // editing
  map(f: (node: AnyLayer, focus: Focus) => AnyLayer): Selection {
    return new Sel(this.root, this.foci.map((focus) => ({ ...focus, node: f(focus.node, focus) })), `${this.query}.map(...)`);
  }
  deselect(): AnyLayer {
    return modifyFoci(this.root, this.foci, (_, focus) => focus.node);
  }
  apply(f: (node: AnyLayer, focus: Focus) => AnyLayer): AnyLayer {
    return this.map(f).deselect();
  }
  set(node: AnyLayer): AnyLayer {
    return this.map(() => node).deselect();
  }
  insertBefore(node: AnyLayer): AnyLayer {
    return this.splice('insertBefore', (n) => [node, n]);
  }
  insertAfter(node: AnyLayer): AnyLayer {
    return this.splice('insertAfter', (n) => [n, node]);
  }
  remove(): AnyLayer {
    return this.splice('remove', () => []);
  }
  insertChild(index: number, node: AnyLayer): AnyLayer {
    const op = `insertChild(${index})`;
    if (!Number.isInteger(index)) this.fail('argument', op, `index must be an integer, got ${index}`);
    return this.apply((c, f) => {
      if (c.kind.tag === undefined && c.children.length === 0) {
        this.fail('structure', op, `the selected node must be a container (Chain, Sum, ...), got a ${c.kind.name} leaf (at ${f.path || 'the root'})`, f.path);
      }
      const n = c.children.length;
      const kids = c.children.slice();
      kids.splice(index < 0 ? Math.max(0, n + index + 1) : Math.min(index, n), 0, node);
      return withChildren(c, kids);
    });
  }

  // utils
  /** Narrowing looks into the current values: after a `map`, into the tree they are part of. */
  private within(step: string, find: (f: Focus) => Focus[]): Selection {
    const model = this.deselect();
    const base = model === this.root ? this.foci : this.foci.map((f) => f.indices.reduce(childFocus, rootFocus(model)));
    return new Sel(model, base.flatMap(find), `${this.query}.${step}`);
  }
  private splice(op: string, f: (n: AnyLayer) => readonly AnyLayer[]): AnyLayer {
    if (this.foci.some((x) => x.parent === undefined)) {
      const why = `every selected node must have a parent, got the root; narrow the selection first (root ${childList(this.root)})`;
      this.fail('structure', `${op}()`, why);
    }
    return spliceFoci(this.root, this.foci, (_, focus) => f(focus.node));
  }
  private requireCount(op: string, ok: boolean, want: string): Selection {
    if (!ok) {
      const got = this.count > 0 ? ` (${this.foci.map((f) => f.path || '(root)').join(', ')})` : '';
      this.fail('path', op, `${want} must be selected, got ${this.count}${got}; searched from the root (${childList(this.root)})`);
    }
    return this;
  }
  private fail(code: CanopyErrorCode, op: string, what: string, path = ''): never {
    throw new CanopyError(code, `${this.query}.${op}: ${what}`, { path });
  }
}
