// GLU: gated linear unit with any activation on the gate (Refiners' fl.GLU(activation)).
import type { AnyLayer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { mul } from '../../ops/elementwise.ts';
import { chunk } from '../../ops/slice.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineContainer } from '../define.ts';

/**
 * `out · activation(gate)` where `out, gate` are the two halves of the last axis:
 * `[..., 2n]` → `[..., n]`. Its one child is the gate's activation.
 *
 * @example
 * ```ts
 * import { GLU, GeLU, zeros, run } from 'canopy-nn';
 * (await run(GLU(GeLU()), [zeros([2, 8])])).output.shape; // [2, 4]
 * ```
 */
export const GLU = defineContainer({
  name: 'GLU',
  init: (activation: AnyLayer) => ({ children: [activation] }),
  forward: async ([x]: [Tensor], self, env): Promise<Tensor> => {
    if (!isTensor(x) || x.shape.length === 0 || x.shape.at(-1)! % 2 !== 0) {
      throw new CanopyError('shape', `GLU: input must be [..., 2n] (an even last axis), got ${isTensor(x) ? showShape(x.shape) : typeof x}`);
    }
    const b = backendOf(env);
    const [out, gate] = await chunk(b, x, 2, -1);
    const g = await self.run(0, [gate]);
    if (!isTensor(g)) throw new CanopyError('argument', `GLU: the activation must return a Tensor, got ${typeof g}`);
    return mul(b, out!, g);
  },
});
