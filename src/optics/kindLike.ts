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

/** The kind a {@link KindLike} names. @internal */
export function toKind(k: KindLike): Kind {
  return 'kind' in k ? k.kind : k;
}

/** True when `node` is of kind `k` (or derives from it: a named Chain is a Chain). @internal */
export function hasKind(node: AnyLayer, k: KindLike): boolean {
  return isKind(node, toKind(k));
}

/** A kind as a node test; a predicate passes through. @internal */
export function kindTest<P extends (node: AnyLayer, ...rest: never[]) => unknown>(test: KindLike | P): P | ((node: AnyLayer) => boolean) {
  return typeof test === 'function' && !('kind' in test) ? test : (node: AnyLayer) => hasKind(node, test as KindLike);
}

/** A kind or a predicate as text, for queries and messages. @internal */
export function showTest(test: KindLike | ((...args: never[]) => unknown)): string {
  return typeof test === 'function' && !('kind' in test) ? '...' : toKind(test as KindLike).name;
}
