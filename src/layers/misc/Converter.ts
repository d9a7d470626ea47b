// Converter: casts its tensor inputs to one dtype (Refiners' fl.Converter). Refiners reads the
// target dtype from the parent Chain's weights; canopy layers have no parent pointer, so the
// target is an explicit attribute.
import type { Args } from '../../core/Layer.ts';
import { tuple } from '../../core/tuple.ts';
import { CanopyError } from '../../errors.ts';
import { isTensor, type DType } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

/** Options of {@link Converter}. */
export interface ConverterOptions {
  /** Target dtype of every tensor input. Default `'float32'`. */
  readonly dtype?: DType;
}

/**
 * Casts every tensor input to `dtype` (other inputs pass through); several inputs come back as a
 * Tuple.
 *
 * @example
 * ```ts
 * import { Converter, fromArray, run, type Tensor } from 'canopy-nn';
 * ((await run(Converter(), [fromArray([1, 2], 'int32')])).output as Tensor).dtype; // 'float32'
 * ```
 */
export const Converter = defineLayer({
  name: 'Converter',
  defaults: { dtype: 'float32' },
  init: ({ dtype = 'float32' }: ConverterOptions = {}) => {
    if (dtype !== 'float32' && dtype !== 'int32') throw new CanopyError('dtype', `Converter: dtype must be 'float32' or 'int32', got ${String(dtype)}`);
    return { attrs: { dtype } };
  },
  forward: async (args: Args, { attrs: { dtype } }, env): Promise<unknown> => {
    const out = await Promise.all(args.map(async (x) => (isTensor(x) && x.dtype !== dtype ? backendOf(env).cast(x, dtype) : x)));
    return out.length === 1 ? out[0] : tuple(...out);
  },
});
