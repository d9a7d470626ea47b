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
 * import { thenStep } from 'canopy';
 * thenStep(2, (x) => x + 1); // 3, not a Promise
 * ```
 */
export function thenStep<A, B>(x: Step<A>, f: (a: A) => Step<B>): Step<B> {
  return isPromiseLike(x) ? x.then(f) : f(x);
}

/** Runs `f`, turning a synchronous throw and an asynchronous rejection alike into `onError`. */
export function tryStep<A>(f: () => Step<A>, onError: (e: unknown) => never): Step<A> {
  let result: Step<A>;
  try {
    result = f();
  } catch (e) {
    return onError(e);
  }
  return isPromiseLike(result) ? result.then(undefined, onError) : result;
}

/** Collects steps left to right into one step of an array; stays synchronous when all are. */
export function sequenceSteps<A>(steps: ReadonlyArray<() => Step<A>>): Step<A[]> {
  const out: A[] = [];
  const loop = (i: number): Step<A[]> => {
    for (; i < steps.length; i++) {
      const s = steps[i]!();
      if (isPromiseLike(s)) {
        const next = i + 1;
        return s.then((v) => {
          out.push(v);
          return loop(next);
        });
      }
      out.push(s);
    }
    return out;
  };
  return loop(0);
}
