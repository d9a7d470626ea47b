// The reference backend: plain, obviously-correct TypeScript for every primitive, the living
// specification that every other backend is tested against. Synchronous; accumulates sums, dot
// products and convolutions in float64 and rounds once to float32, so it is at least as accurate
// as any float32 kernel (compare other backends with a tolerance scaled to magnitude).

import type { Backend } from '../Backend.ts';
import { binary, cast, unary, where } from './elementwise.ts';
import { argmax, reduce } from './reduce.ts';
import { concat, expand, pad, permute, reshape, slice } from './movement.ts';
import { conv2d, convTranspose2d, matmul, pool2d } from './contraction.ts';
import { gather } from './gather.ts';

/**
 * The reference backend (synchronous, float64 accumulation).
 *
 * @example
 * ```ts
 * import { referenceBackend, fromArray, toNested } from 'canopy-nn';
 * const y = referenceBackend.reduce('sum', fromArray([[1, 2], [3, 4]]), [1], false);
 * toNested(y); // [3, 7]
 * ```
 */
export const referenceBackend = Object.freeze({
  name: 'reference',
  unary,
  binary,
  where,
  cast,
  reduce,
  argmax,
  reshape,
  permute,
  expand,
  slice,
  pad,
  concat,
  matmul,
  conv2d,
  convTranspose2d,
  pool2d,
  gather,
}) satisfies Backend;

export { erf } from './elementwise.ts';
