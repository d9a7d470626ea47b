// Refiners' find / ensure_find / find_parent over a tree value. A node is found by identity
// (`===`): with values, the same node may sit under several parents (legal sharing, like
// Refiners' shared leaves), and these functions report its FIRST occurrence in pre-order.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';
import type { Focus } from './focus.ts';
import { toKind, type KindLike, type LayerOfKind } from './kindLike.ts';
import { walk } from './walk.ts';

// --- destructors

/**
 * The first descendant of a kind (pre-order), or `undefined`.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, find } from 'canopy';
 * find(Chain(Identity()), Identity)?.kind.name; // 'Identity'
 * find(Chain(Identity()), Sum); // undefined
 * ```
 */
export function find<K extends KindLike>(model: AnyLayer, kind: K): LayerOfKind<K> | undefined {
  for (const f of walk(model, kind)) return f.node as LayerOfKind<K>;
  return undefined;
}

/**
 * The first descendant of a kind; throws a `path` error listing the root's children when none.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ensureFind } from 'canopy';
 * ensureFind(Chain(Identity()), Identity).kind.name; // 'Identity'
 * ```
 */
export function ensureFind<K extends KindLike>(model: AnyLayer, kind: K): LayerOfKind<K> {
  const found = find(model, kind);
  if (found === undefined) {
    const names = childNames(model);
    throw new CanopyError(
      'path',
      `ensureFind: a ${toKind(kind).name} must exist under the root, got none (children: ${names.length === 0 ? 'none' : names.join(', ')})`,
      { path: '' },
    );
  }
  return found;
}

/**
 * The focus (parent, path) of the first occurrence of `node` in `model`, the root included.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, focusOf } from 'canopy';
 * const leaf = Identity();
 * focusOf(Chain(Sum(leaf)), leaf)?.path; // 'Sum.Identity'
 * ```
 */
export function focusOf(model: AnyLayer, node: AnyLayer): Focus | undefined {
  if (model === node) return { node, parent: undefined, indices: [], path: '' };
  for (const f of walk(model, (n) => n === node, false)) return f;
  return undefined;
}

/**
 * The parent of the first occurrence of `node`, or `undefined` (also for the root itself).
 *
 * @example
 * ```ts
 * import { Chain, Identity, findParent } from 'canopy';
 * const leaf = Identity();
 * const inner = Chain(leaf);
 * findParent(Chain(inner), leaf) === inner; // true
 * ```
 */
export function findParent(model: AnyLayer, node: AnyLayer): AnyLayer | undefined {
  return focusOf(model, node)?.parent;
}

/**
 * The parent of the first occurrence of `node`; throws a `path` error when it is not in `model`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ensureFindParent } from 'canopy';
 * const leaf = Identity();
 * const m = Chain(leaf);
 * ensureFindParent(m, leaf) === m; // true
 * ```
 */
export function ensureFindParent(model: AnyLayer, node: AnyLayer): AnyLayer {
  const parent = findParent(model, node);
  if (parent === undefined) {
    throw new CanopyError(
      'path',
      `ensureFindParent: the ${node.kind.name} must be a descendant of the model, got no occurrence (children of the root: ${childNames(model).join(', ') || 'none'})`,
      { path: '' },
    );
  }
  return parent;
}
