// What the optics accept where Refiners takes a layer type: a kind, or a constructor that names
// its kind (`Linear`, `Chain`, `Linear.kind`). The constructor form also types the result.
import type { AnyLayer, Kind } from '../core/Layer.ts';
import { isKind } from '../core/Layer.ts';

// --- model

/** A kind, or a layer constructor carrying one (`Chain`, `Sum`, a `defineLayer` result). */
export type KindLike = Kind | { readonly kind: Kind };

/** The layer type a {@link KindLike} stands for: a constructor's return type, else any layer. */
export type LayerOfKind<K> = K extends (...args: never) => infer L ? (L extends AnyLayer ? L : AnyLayer) : AnyLayer;

// --- destructors

/**
 * The kind a {@link KindLike} names.
 *
 * @example
 * ```ts
 * import { Chain, toKind } from 'canopy';
 * toKind(Chain) === Chain.kind; // true
 * ```
 */
export function toKind(k: KindLike): Kind {
  return 'run' in k ? k : k.kind;
}

/**
 * True when `node` is of kind `k` (or derives from it: a named Chain is a Chain).
 *
 * @example
 * ```ts
 * import { Chain, Sum, named, hasKind } from 'canopy';
 * hasKind(named('Encoder', Chain()), Chain); // true
 * hasKind(Sum(), Chain); // false: in canopy a Sum is not a Chain
 * ```
 */
export function hasKind(node: AnyLayer, k: KindLike): boolean {
  return isKind(node, toKind(k));
}

/**
 * True for a container kind (one with a Refiners tag such as `CHAIN` or `SUM`): only containers
 * take children through `insert` / `append`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, isContainer } from 'canopy';
 * isContainer(Chain()); // true
 * isContainer(Identity()); // false
 * ```
 */
export function isContainer(node: AnyLayer): boolean {
  return node.kind.tag !== undefined || node.children.length > 0;
}
