// A lens focuses exactly one part `A` of a whole `S`: read it, or rebuild the whole around a new
// part. Written here in a few lines rather than taken from monocle-ts or optics-ts (see
// docs/optics.md): canopy's lenses are partial on paths that do not exist and must report the
// failing step, and they must return the same whole when the part does not change.

// --- model

/** Focuses one `A` inside an `S`. */
export interface Lens<S, A> {
  readonly _tag: 'Lens';
  readonly get: (s: S) => A;
  /** Data-last: `set(a)(s)`; returns `s` itself when `a` is already there. */
  readonly set: (a: A) => (s: S) => S;
}

// --- constructors

/**
 * Builds a lens from a getter and a setter. The setter is wrapped so that setting the value
 * that is already there returns the same whole (`Object.is`).
 *
 * @example
 * ```ts
 * import { lens } from 'canopy';
 * const first = lens((p: readonly [number, number]) => p[0], (a) => (p) => [a, p[1]] as const);
 * const p = [1, 2] as const;
 * first.set(1)(p) === p; // true (nothing changed: the same array)
 * ```
 */
export function lens<S, A>(get: (s: S) => A, set: (a: A) => (s: S) => S): Lens<S, A> {
  return { _tag: 'Lens', get, set: (a) => (s) => (Object.is(get(s), a) ? s : set(a)(s)) };
}

/**
 * The lens on the whole itself.
 *
 * @example
 * ```ts
 * import { idLens } from 'canopy';
 * idLens<number>().get(3); // 3
 * ```
 */
export function idLens<S>(): Lens<S, S> {
  return { _tag: 'Lens', get: (s) => s, set: (a) => () => a };
}

// --- combinators

/**
 * Focuses `ab`'s part, then `bc`'s part inside it.
 *
 * @example
 * ```ts
 * import { Chain, Identity, atPath, attr, composeLens } from 'canopy';
 * const l = composeLens(atPath('Identity'), attr('note'));
 * l.get(l.set('hi')(Chain(Identity()))); // 'hi'
 * ```
 */
export function composeLens<S, A, B>(ab: Lens<S, A>, bc: Lens<A, B>): Lens<S, B> {
  return {
    _tag: 'Lens',
    get: (s) => bc.get(ab.get(s)),
    set: (b) => (s) => {
      const a = ab.get(s);
      const a2 = bc.set(b)(a);
      return a2 === a ? s : ab.set(a2)(s);
    },
  };
}

/**
 * Applies `f` to the focused part; returns the same whole when `f` returns the same part.
 *
 * @example
 * ```ts
 * import { Chain, Identity, atPath, modifyLens } from 'canopy';
 * const m = Chain(Identity());
 * modifyLens(atPath('Identity'), (n) => n)(m) === m; // true
 * ```
 */
export function modifyLens<S, A>(l: Lens<S, A>, f: (a: A) => A): (s: S) => S {
  return (s) => {
    const a = l.get(s);
    const b = f(a);
    return Object.is(a, b) ? s : l.set(b)(s);
  };
}
