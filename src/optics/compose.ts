// One `compose` for every pair of optics: two lenses give a lens, anything with a traversal gives
// a traversal (a lens is a traversal with one focus).
import type { Lens } from './Lens.ts';
import { composeLens } from './Lens.ts';
import type { Traversal } from './Traversal.ts';
import { composeTraversal, lensToTraversal } from './Traversal.ts';

// --- model

/** A lens or a traversal. */
export type Optic<S, A> = Lens<S, A> | Traversal<S, A>;

// --- combinators

/**
 * Composes optics left to right: `compose(a, b, c)` focuses `c` inside `b` inside `a`.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, atPath, ofKind, compose, viewAll } from 'canopy';
 * const m = Chain(Sum(Identity(), Identity()));
 * viewAll(compose(atPath('Sum'), ofKind(Identity)))(m).length; // 2
 * ```
 */
export function compose<S, A, B>(ab: Lens<S, A>, bc: Lens<A, B>): Lens<S, B>;
export function compose<S, A, B, C>(ab: Lens<S, A>, bc: Lens<A, B>, cd: Lens<B, C>): Lens<S, C>;
export function compose<S, A, B>(ab: Optic<S, A>, bc: Optic<A, B>): Traversal<S, B>;
export function compose<S, A, B, C>(ab: Optic<S, A>, bc: Optic<A, B>, cd: Optic<B, C>): Traversal<S, C>;
export function compose(...optics: Optic<unknown, unknown>[]): Optic<unknown, unknown> {
  return optics.reduce((acc, o) =>
    acc._tag === 'Lens' && o._tag === 'Lens' ? composeLens(acc, o) : composeTraversal(asTraversal(acc), asTraversal(o)),
  );
}

/**
 * Any optic as a traversal.
 *
 * @example
 * ```ts
 * import { Chain, Identity, atPath, asTraversal } from 'canopy';
 * asTraversal(atPath('Identity'))._tag; // 'Traversal'
 * ```
 */
export function asTraversal<S, A>(o: Optic<S, A>): Traversal<S, A> {
  return o._tag === 'Lens' ? lensToTraversal(o) : o;
}
