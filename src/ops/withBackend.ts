// Ops with the backend argument bound, for code that always uses one backend.

import type { Backend } from '../backend/Backend.ts';
import * as all from './all.ts';

type AllOps = typeof all;

/** Every op of `src/ops` with its first argument (the backend) bound. */
export type BoundOps = {
  readonly [K in keyof AllOps]: AllOps[K] extends (b: Backend, ...args: infer A) => infer R ? (...args: A) => R : never;
} & {
  /** Alias of `variance` (`var` cannot name a function but can name a property). */
  readonly var: BoundOps['variance'];
};

/**
 * All ops bound to backend `b`: `withBackend(b).softmax(x, -1)`.
 *
 * @example
 * ```ts
 * import { withBackend, fromArray, referenceBackend, toNested } from 'canopy-nn';
 * const o = withBackend(referenceBackend);
 * toNested(await o.softmax(fromArray([0, 0]), -1)); // [0.5, 0.5]
 * ```
 */
export function withBackend(b: Backend): BoundOps {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(all) as [string, (b: Backend, ...args: never[]) => unknown][]) {
    out[name] = (...args: never[]) => f(b, ...args);
  }
  out['var'] = out['variance'];
  return Object.freeze(out) as BoundOps;
}
