// Refiners' pop / remove / replace on a container value. Each returns a new container; the
// removed child is returned alongside where Refiners returns it.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';
import { childList } from './path.ts';

// --- model

/** What {@link pop} gives back: the new container and the child it took out. */
export interface Popped {
  readonly model: AnyLayer;
  readonly popped: AnyLayer;
}

/** A direct child, by the node itself (identity), its name, or its index. */
export type ChildRef = AnyLayer | string | number;

// --- combinators

/**
 * Takes out the child at `index` (Python rules: negative counts from the end, default the last);
 * a `path` error when the index is out of range.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, pop, childNames } from 'canopy';
 * const { model, popped } = pop(Chain(Identity(), Lambda((x: number) => x)));
 * [childNames(model), popped.kind.name]; // [['Identity'], 'Lambda']
 * ```
 */
export function pop(model: AnyLayer, index = -1): Popped {
  const n = model.children.length;
  const i = index < 0 ? n + index : index;
  if (!Number.isInteger(index) || i < 0 || i >= n) {
    throw new CanopyError(
      'path',
      `pop: index must be in ${n === 0 ? 'an empty range (no children)' : `[${-n}, ${n - 1}]`}, got ${index} under the root (${childList(model)})`,
      { path: '' },
    );
  }
  const kids = model.children.slice();
  const [popped] = kids.splice(i, 1);
  return { model: withChildren(model, kids), popped: popped! };
}

/**
 * Removes a direct child (the first one `===` to `child`, or the one with that name or index);
 * a `path` error lists the children when it is not there.
 *
 * @example
 * ```ts
 * import { Chain, Identity, remove, childNames } from 'canopy';
 * const leaf = Identity();
 * childNames(remove(Chain(Identity(), leaf), leaf)); // ['Identity']
 * ```
 */
export function remove(model: AnyLayer, child: ChildRef): AnyLayer {
  const i = childIndexOf('remove', model, child);
  const kids = model.children.slice();
  kids.splice(i, 1);
  return withChildren(model, kids);
}

/**
 * Replaces a direct child (found as in {@link remove}) by `next`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, replace, childNames } from 'canopy';
 * childNames(replace(Chain(Identity(), Identity()), 'Identity_2', Lambda((x: number) => x)));
 * // ['Identity', 'Lambda']
 * ```
 */
export function replace(model: AnyLayer, child: ChildRef, next: AnyLayer): AnyLayer {
  const i = childIndexOf('replace', model, child);
  if (model.children[i] === next) return model;
  const kids = model.children.slice();
  kids[i] = next;
  return withChildren(model, kids);
}

// --- utils

/** The index of a direct child given as a node, name or index; a `path` error when absent. @internal */
export function childIndexOf(op: string, model: AnyLayer, child: ChildRef): number {
  const n = model.children.length;
  let i: number;
  let what: string;
  if (typeof child === 'number') {
    i = child < 0 ? n + child : child;
    if (!Number.isInteger(child) || i >= n) i = -1;
    what = `index ${child}`;
  } else if (typeof child === 'string') {
    i = childNames(model).indexOf(child);
    what = `no child "${child}"`;
  } else {
    i = model.children.indexOf(child);
    what = `a ${child.kind.name} that is not one of them`;
  }
  if (i < 0) {
    throw new CanopyError('path', `${op}: the layer must be a direct child of the root, got ${what} (${childList(model)})`, { path: '' });
  }
  return i;
}
