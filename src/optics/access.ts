// Reading and writing through any optic, data-last so they compose with fp-ts `pipe`. Named
// `view` / `viewAll` rather than get / getAll because canopy's interpreter already exports `get`
// (read the evaluation state).
import type { Optic } from './compose.ts';
import { asTraversal } from './compose.ts';

// --- destructors

/**
 * The one focus of a lens, or the first focus of a traversal (`undefined` when it has none).
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { Chain, Identity, atPath, view } from 'canopy';
 * pipe(Chain(Identity()), view(atPath('Identity'))).kind.name; // 'Identity'
 * ```
 */
export function view<S, A>(o: Optic<S, A> & { readonly _tag: 'Lens' }): (s: S) => A;
export function view<S, A>(o: Optic<S, A>): (s: S) => A | undefined;
export function view<S, A>(o: Optic<S, A>): (s: S) => A | undefined {
  return o._tag === 'Lens' ? o.get : (s) => o.getAll(s)[0];
}

/**
 * Every focus, in tree order.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ofKind, viewAll } from 'canopy';
 * viewAll(ofKind(Identity))(Chain(Identity(), Identity())).length; // 2
 * ```
 */
export function viewAll<S, A>(o: Optic<S, A>): (s: S) => readonly A[] {
  return asTraversal(o).getAll;
}

// --- combinators

/**
 * Sets every focus to `a`.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, atPath, set, childNames } from 'canopy';
 * childNames(set(atPath('Identity'), Lambda((x: number) => x))(Chain(Identity()))); // ['Lambda']
 * ```
 */
export function set<S, A>(o: Optic<S, A>, a: A): (s: S) => S {
  return o._tag === 'Lens' ? o.set(a) : o.modify(() => a);
}

/**
 * Applies `f` to every focus; returns the same whole when `f` changes nothing.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ofKind, modify } from 'canopy';
 * const m = Chain(Identity());
 * modify(ofKind(Identity), (n) => n)(m) === m; // true
 * ```
 */
export function modify<S, A>(o: Optic<S, A>, f: (a: A) => A): (s: S) => S {
  return asTraversal(o).modify(f);
}
