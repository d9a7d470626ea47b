// `pow` on one pair of numbers with C99 / IEEE 754 semantics, as PyTorch computes it.
//
// JavaScript's Math.pow differs from C's pow in exactly three places, all giving NaN where C gives
// 1: pow(1, NaN), pow(±1, ±Infinity). Everything else (NaN bases with a zero exponent included)
// already agrees, so the special cases come first and Math.pow does the rest.

/**
 * `x ** y` as C's `pow`: `pow(1, y) = 1` for every `y` (NaN too), `pow(x, ±0) = 1` for every `x`
 * (NaN too) and `pow(-1, ±Infinity) = 1`; otherwise `Math.pow(x, y)`.
 *
 * @example
 * ```ts
 * import { cPow } from './scalarPow.ts';
 * cPow(1, NaN); // 1 (Math.pow gives NaN)
 * cPow(-1, Infinity); // 1 (Math.pow gives NaN)
 * cPow(NaN, 0); // 1
 * cPow(2, 10); // 1024
 * ```
 */
export function cPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}
