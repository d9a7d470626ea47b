// Softmax along one axis (torch.nn.Softmax(dim)).
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { softmax } from '../../ops/softmax.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { leaf, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

/** Options of {@link Softmax}. */
export interface SoftmaxOptions {
  /** Axis to normalise (negative counts from the end). Default `-1`. */
  readonly dim?: number;
}

/** The Softmax kind. */
export const SoftmaxKind = tensorKind<{ dim: number }>({
  name: 'Softmax',
  defaults: { dim: -1 },
  forward: (b, args, { dim }) => {
    const x = tensorArg('Softmax', args);
    const r = x.shape.length;
    if (dim < -r || dim >= r) throw new CanopyError('shape', `Softmax: dim ${dim} must index the input, got ${showShape(x.shape)}`);
    return softmax(b, x, dim);
  },
});

/**
 * `exp(x) / Σ exp(x)` along `dim`; same shape out.
 *
 * @example
 * ```ts
 * import { Softmax, fromArray, toNested, run } from 'canopy';
 * toNested((await run(Softmax(), [fromArray([0, 0])])).output); // [0.5, 0.5]
 * ```
 */
export function Softmax(options: SoftmaxOptions = {}): Layer<[Tensor], Tensor> {
  const { dim = -1 } = options;
  if (!Number.isInteger(dim)) throw new CanopyError('argument', `Softmax: dim must be an integer, got ${dim}`);
  return leaf(SoftmaxKind, { dim });
}
Softmax.kind = SoftmaxKind;
