// Several values travelling as one. Refiners spreads a Python tuple returned by a layer into the
// next layer's arguments; JavaScript arrays are ordinary values (a list in a context, say), so a
// multi-output needs an explicit marker.

// --- model

const TUPLE: unique symbol = Symbol.for('canopy.tuple');

/** A frozen array of outputs that a Chain spreads into the next layer's arguments. */
export type Tuple<T extends readonly unknown[] = readonly unknown[]> = T & { readonly [TUPLE]: true };

// --- constructors

/**
 * Marks values as a multi-output.
 *
 * @example
 * ```ts
 * import { tuple, isTuple } from 'canopy-nn';
 * isTuple(tuple(1, 2)); // true
 * isTuple([1, 2]); // false
 * ```
 */
export function tuple<T extends readonly unknown[]>(...values: T): Tuple<T> {
  const t = [...values] as unknown as Tuple<T>;
  Object.defineProperty(t, TUPLE, { value: true, enumerable: false });
  return Object.freeze(t);
}

// --- destructors

/** True for values made by {@link tuple}. */
export function isTuple(x: unknown): x is Tuple {
  return Array.isArray(x) && (x as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** The arguments a value becomes when it is passed on: a tuple's items, or the value alone. */
export function spread(x: unknown): readonly unknown[] {
  return isTuple(x) ? x : [x];
}
