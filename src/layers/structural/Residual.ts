// Residual: x + Chain(x).
import { CanopyError } from '../../errors.ts';
import type { AnyLayer, InputOf, Layer, NeedsOf } from '../../core/Layer.ts';
import { algebraFor } from '../algebra.ts';
import { defineContainer } from '../define.ts';
import { runSequence } from './sequence.ts';

const residual = defineContainer({
  name: 'Residual',
  tag: 'RES',
  forward: (args, self, env) => {
    if (args.length !== 1) throw new CanopyError('arity', `Residual: expects exactly 1 input, got ${args.length}`);
    const x = args[0];
    return runSequence(self, args, env, (y) => algebraFor('Residual', [x, y], env).add(x, y, env));
  },
});

/**
 * Adds its input to the output of its children run as a Chain: `x + Chain(...)(x)`.
 *
 * @example
 * ```ts
 * import { Residual, Lambda, runSync } from 'canopy-nn';
 * runSync(Residual(Lambda((x: number) => x * x)), [3]).output; // 12
 * ```
 */
export function Residual<Ls extends AnyLayer[]>(...layers: Ls): Layer<[InputOf<Ls[0]>[0]], InputOf<Ls[0]>[0], NeedsOf<Ls[number]>> {
  return residual(...layers) as never;
}
Residual.kind = residual.kind;
