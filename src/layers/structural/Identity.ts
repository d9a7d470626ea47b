// Identity: returns its input.
import type { Layer } from '../../core/Layer.ts';
import { defineLayer } from '../../core/defineKind.ts';
import { asValue } from './sequence.ts';

const identity = defineLayer({ name: 'Identity', forward: (args: readonly unknown[]) => asValue(args) });

/**
 * Returns its input unchanged (several inputs come back as a Tuple).
 *
 * @example
 * ```ts
 * import { Identity, runSync } from 'canopy';
 * runSync(Identity(), [5]).output; // 5
 * ```
 */
export const Identity = Object.assign(<X = unknown>(): Layer<[X], X> => identity() as unknown as Layer<[X], X>, {
  kind: identity.kind,
});
