// Identity: returns its input.
import type { Args, Layer } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';
import { asValue } from './sequence.ts';

const identity = defineLayer({ name: 'Identity', forward: (args: Args) => asValue(args) });

/**
 * Returns its input unchanged (several inputs come back as a Tuple).
 *
 * @example
 * ```ts
 * import { Identity, runSync } from 'canopy-nn';
 * runSync(Identity(), [5]).output; // 5
 * ```
 */
export function Identity<X = unknown>(): Layer<[X], X> {
  return identity() as Layer<[X], X>;
}
Identity.kind = identity.kind;
