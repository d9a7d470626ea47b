// GLU: gated linear unit with any activation on the gate (Refiners' fl.GLU(activation)).
import type { AnyLayer, Layer } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { evalChild } from '../../context/evaluate.ts';
import { thenStep } from '../../core/step.ts';
import { CanopyError } from '../../errors.ts';
import { mul } from '../../ops/elementwise.ts';
import { chunk } from '../../ops/slice.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { tensorArg } from '../misc/tensorLayer.ts';

/** The GLU kind: its one child is the gate's activation. */
export const GLUKind = makeKind({
  name: 'GLU',
  evaluate: (node, args) => (env) => (s) => {
    const x = tensorArg('GLU', args);
    const d = x.shape.at(-1) ?? 0;
    if (x.shape.length === 0 || d % 2 !== 0) {
      throw new CanopyError('shape', `GLU: input must be [..., 2n] (an even last axis), got ${showShape(x.shape)}`);
    }
    const b = backendOf(env);
    return chunk(b, x, 2, -1).then(([out, gate]) =>
      thenStep(evalChild(node, 0, [gate])(env)(s), ([g, s1]) => {
        if (!isTensor(g)) throw new CanopyError('argument', `GLU: the activation must return a Tensor, got ${typeof g}`);
        return mul(b, out!, g).then((y) => [y, s1] as const);
      }),
    );
  },
});

/**
 * `out · activation(gate)` where `out, gate` are the two halves of the last axis:
 * `[..., 2n]` → `[..., n]`.
 *
 * @example
 * ```ts
 * import { GLU, GeLU, zeros, run } from 'canopy';
 * (await run(GLU(GeLU()), [zeros([2, 8])])).output.shape; // [2, 4]
 * ```
 */
export function GLU(activation: AnyLayer): Layer<[Tensor], Tensor> {
  return makeLayer(GLUKind, {}, [activation]);
}
GLU.kind = GLUKind;
