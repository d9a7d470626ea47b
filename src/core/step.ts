// A value now or later. Synchronous layers pay nothing for the possibility of asynchronous ones:
// `then` only goes through a Promise when it is handed one.

// --- model

/** A value that is either available now or a Promise of it (gpu.js kernels are asynchronous). */
export type Step<T> = T | Promise<T>;

// --- destructors

/** True when `x` is a Promise-like value that must be awaited. */
export function isPromiseLike<T>(x: Step<T>): x is Promise<T> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

// --- combinators

/**
 * Applies `f` to the value of a step, synchronously when the step is synchronous.
 *
 * @example
 * ```ts
 * import { thenStep } from 'canopy-nn';
 * thenStep(2, (x) => x + 1); // 3, not a Promise
 * ```
 */
export function thenStep<A, B>(x: Step<A>, f: (a: A) => Step<B>): Step<B> {
  return isPromiseLike(x) ? x.then(f) : f(x);
}
