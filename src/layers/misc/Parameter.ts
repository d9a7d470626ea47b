// Parameter: a learned tensor as a layer's output, repeated over the input's batch (Refiners'
// fl.Parameter, used for learned queries and positional tables).
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { broadcastTo } from '../../ops/shape.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { normalInit, type SeedOptions } from '../init.ts';
import { leaf, param, tensorArg, tensorKind } from './tensorLayer.ts';

/** Options of {@link Parameter}. */
export interface ParameterOptions extends SeedOptions {
  /** Shape of the learned tensor (without the batch dim). */
  readonly dims: readonly number[];
}

/** The Parameter kind. */
export const ParameterKind = tensorKind<{ dims: readonly number[] }>({
  name: 'Parameter',
  forward: async (b, args, { dims }, params) => {
    const x = tensorArg('Parameter', args);
    if (x.shape.length === 0) throw new CanopyError('shape', `Parameter: input must have a batch dim [N, ...], got ${showShape(x.shape)}`);
    const w = param('Parameter', params, 'weight');
    return broadcastTo(b, await b.reshape(w, [1, ...dims]), [x.shape[0]!, ...dims]);
  },
});

/**
 * Returns its `weight` (`dims`, initialised N(0, 1)) expanded to the input's batch:
 * `[N, ...]` → `[N, ...dims]`. Only the input's first dim is read.
 *
 * @example
 * ```ts
 * import { Parameter, zeros, run } from 'canopy';
 * (await run(Parameter({ dims: [4, 8] }), [zeros([2, 3])])).output.shape; // [2, 4, 8]
 * ```
 */
export function Parameter(options: ParameterOptions): Layer<[Tensor], Tensor> {
  const { dims, seed = 0 } = options;
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new CanopyError('argument', `Parameter: dims must be non-negative integers, got (${dims.join(', ')})`);
  }
  return leaf(ParameterKind, { dims: Object.freeze([...dims]) }, { weight: normalInit(dims, seed) });
}
Parameter.kind = ParameterKind;
