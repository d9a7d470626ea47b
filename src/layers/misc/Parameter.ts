// Parameter: a learned tensor as a layer's output, repeated over the input's batch (Refiners'
// fl.Parameter, used for learned queries and positional tables).
import { CanopyError } from '../../errors.ts';
import { broadcastTo } from '../../ops/shape.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';
import { randn } from '../../tensor/random.ts';
import type { SeedOptions } from '../init.ts';

/** Options of {@link Parameter}. */
export interface ParameterOptions extends SeedOptions {
  /** Shape of the learned tensor (without the batch dim). */
  readonly dims: readonly number[];
}

/**
 * Returns its `weight` (`dims`, initialised N(0, 1)) expanded to the input's batch:
 * `[N, ...]` → `[N, ...dims]`. Only the input's first dim is read.
 *
 * @example
 * ```ts
 * import { Parameter, zeros, run } from 'canopy-nn';
 * (await run(Parameter({ dims: [4, 8] }), [zeros([2, 3])])).output.shape; // [2, 4, 8]
 * ```
 */
export const Parameter = defineLayer({
  name: 'Parameter',
  inputs: ['tensor'],
  init: ({ dims, seed = 0 }: ParameterOptions) => {
    if (!dims.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new CanopyError('argument', `Parameter: dims must be non-negative integers, got (${dims.join(', ')})`);
    }
    return { attrs: { dims: Object.freeze([...dims]) }, params: { weight: randn(dims, seed) } };
  },
  forward: async ([x]: [Tensor], { attrs: { dims }, params }, env) => {
    if (x.shape.length === 0) throw new CanopyError('shape', `Parameter: input must have a batch dim [N, ...], got ${showShape(x.shape)}`);
    const b = backendOf(env);
    return broadcastTo(b, await b.reshape(params.weight, [1, ...dims]), [x.shape[0]!, ...dims]);
  },
});
