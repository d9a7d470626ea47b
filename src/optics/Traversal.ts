// A traversal focuses zero or more parts of a whole at once: read them all, or rebuild the whole
// with each part changed. Layer traversals (by kind, by predicate, children) focus disjoint
// subtrees, so one pass edits them all and the laws of docs/optics.md hold.
import type { Lens } from './Lens.ts';

// --- model

/** Focuses zero or more `A` inside an `S`. */
export interface Traversal<S, A> {
  readonly _tag: 'Traversal';
  readonly getAll: (s: S) => readonly A[];
  /** Data-last: `modify(f)(s)`; returns `s` itself when `f` changes nothing. */
  readonly modify: (f: (a: A) => A) => (s: S) => S;
}

// --- constructors

/**
 * Builds a traversal from its two operations.
 *
 * @example
 * ```ts
 * import { traversal } from 'canopy';
 * const both = traversal(
 *   (p: readonly [number, number]) => [p[0], p[1]],
 *   (f) => (p) => [f(p[0]), f(p[1])] as const,
 * );
 * both.getAll([1, 2]); // [1, 2]
 * ```
 */
export function traversal<S, A>(
  getAll: (s: S) => readonly A[],
  modify: (f: (a: A) => A) => (s: S) => S,
): Traversal<S, A> {
  return { _tag: 'Traversal', getAll, modify };
}

/**
 * A lens seen as a traversal with exactly one focus.
 *
 * @example
 * ```ts
 * import { Chain, Identity, atPath, lensToTraversal } from 'canopy';
 * lensToTraversal(atPath('Identity')).getAll(Chain(Identity())).length; // 1
 * ```
 */
export function lensToTraversal<S, A>(l: Lens<S, A>): Traversal<S, A> {
  return {
    _tag: 'Traversal',
    getAll: (s) => [l.get(s)],
    modify: (f) => (s) => {
      const a = l.get(s);
      const b = f(a);
      return Object.is(a, b) ? s : l.set(b)(s);
    },
  };
}

// --- combinators

/**
 * Every focus of `bc` inside every focus of `ab`.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, Lambda, ofKind, eachChild, composeTraversal } from 'canopy';
 * const m = Chain(Sum(Identity(), Lambda((x: number) => x)), Sum(Identity()));
 * composeTraversal(ofKind(Sum), eachChild()).getAll(m).length; // 3
 * ```
 */
export function composeTraversal<S, A, B>(ab: Traversal<S, A>, bc: Traversal<A, B>): Traversal<S, B> {
  return {
    _tag: 'Traversal',
    getAll: (s) => ab.getAll(s).flatMap((a) => bc.getAll(a)),
    modify: (f) => ab.modify(bc.modify(f)),
  };
}
