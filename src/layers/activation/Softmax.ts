// Softmax along one axis (torch.nn.Softmax(dim)).
import { CanopyError } from '../../errors.ts';
import { softmax } from '../../ops/softmax.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

/** Options of {@link Softmax}. */
export interface SoftmaxOptions {
  /** Axis to normalise (negative counts from the end). Default `-1`. */
  readonly dim?: number;
}

/**
 * `exp(x) / Σ exp(x)` along `dim`; same shape out.
 *
 * @example
 * ```ts
 * import { Softmax, fromArray, toNested, run } from 'canopy-nn';
 * toNested((await run(Softmax(), [fromArray([0, 0])])).output); // [0.5, 0.5]
 * ```
 */
export const Softmax = defineLayer({
  name: 'Softmax',
  options: { dim: true },
  defaults: { dim: -1 },
  inputs: ['tensor'],
  init: ({ dim = -1 }: SoftmaxOptions = {}) => {
    if (!Number.isInteger(dim)) throw new CanopyError('argument', `Softmax: dim must be an integer, got ${dim}`);
    return { attrs: { dim } };
  },
  forward: ([x]: [Tensor], { attrs: { dim } }, env) => {
    const r = x.shape.length;
    if (dim < -r || dim >= r) throw new CanopyError('shape', `Softmax: dim ${dim} must index the input, got ${showShape(x.shape)}`);
    return softmax(backendOf(env), x, dim);
  },
});
