// Refiners' insert / append / insert_before_type / insert_after_type on a container value: each
// returns a new container (children renamed by `childNames`), the input is untouched. To insert
// deeper, compose with a lens: `modifyLens(atPath('Sum.Chain'), (c) => append(c, l))(model)`.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';
import { childList } from './path.ts';
import { hasKind, isContainer, toKind, type KindLike } from './kindLike.ts';

// --- combinators

/**
 * Inserts `layer` among `model`'s children with Refiners' index rules: a negative index counts
 * from the end so that `-1` appends (`max(0, len + index + 1)`, unlike `Array.splice`), an index
 * past the end appends, one before the start prepends.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, insert, childNames } from 'canopy';
 * const m = Chain(Identity(), Identity());
 * childNames(insert(m, -2, Lambda((x: number) => x))); // ['Identity_1', 'Lambda', 'Identity_2']
 * ```
 */
export function insert(model: AnyLayer, index: number, layer: AnyLayer): AnyLayer {
  ensureContainer('insert', model);
  if (!Number.isInteger(index)) throw new CanopyError('argument', `insert: index must be an integer, got ${index}`);
  const n = model.children.length;
  const at = index < 0 ? Math.max(0, n + index + 1) : Math.min(index, n);
  const kids = model.children.slice();
  kids.splice(at, 0, layer);
  return withChildren(model, kids);
}

/**
 * Adds `layer` as the last child (`insert(model, -1, layer)`).
 *
 * @example
 * ```ts
 * import { Chain, Identity, append, childNames } from 'canopy';
 * childNames(append(Chain(Identity()), Identity())); // ['Identity_1', 'Identity_2']
 * ```
 */
export function append(model: AnyLayer, layer: AnyLayer): AnyLayer {
  return insert(model, -1, layer);
}

/**
 * Inserts `layer` before the first direct child of `kind`; a `path` error lists the children
 * when there is none.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, insertBeforeKind, childNames } from 'canopy';
 * childNames(insertBeforeKind(Chain(Lambda((x: number) => x), Identity()), Identity, Chain()));
 * // ['Lambda', 'Chain', 'Identity']
 * ```
 */
export function insertBeforeKind(model: AnyLayer, kind: KindLike, layer: AnyLayer): AnyLayer {
  return insert(model, firstOfKind('insertBeforeKind', model, kind), layer);
}

/**
 * Inserts `layer` after the first direct child of `kind`; a `path` error lists the children
 * when there is none.
 *
 * @example
 * ```ts
 * import { Chain, Identity, insertAfterKind, childNames } from 'canopy';
 * childNames(insertAfterKind(Chain(Identity(), Identity()), Identity, Chain()));
 * // ['Identity_1', 'Chain', 'Identity_2']
 * ```
 */
export function insertAfterKind(model: AnyLayer, kind: KindLike, layer: AnyLayer): AnyLayer {
  return insert(model, firstOfKind('insertAfterKind', model, kind) + 1, layer);
}

// --- utils

function firstOfKind(op: string, model: AnyLayer, kind: KindLike): number {
  const i = model.children.findIndex((c) => hasKind(c, kind));
  if (i < 0) {
    throw new CanopyError('path', `${op}: a direct child of kind ${toKind(kind).name} must exist, got none under the root (${childList(model)})`, {
      path: '',
    });
  }
  return i;
}

/** Throws a `structure` error when `model` is a leaf kind, which takes no children. @internal */
export function ensureContainer(op: string, model: AnyLayer): void {
  if (!isContainer(model)) {
    throw new CanopyError('structure', `${op}: the target must be a container (Chain, Sum, ...), got a ${model.kind.name} leaf`, { path: '' });
  }
}
