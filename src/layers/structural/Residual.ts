// Residual: x + Chain(x).
import { CanopyError } from '../../errors.ts';
import { pathString } from '../../core/Eval.ts';
import type { AnyLayer, InputOf, Layer, NeedsOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { thenStep } from '../../core/step.ts';
import { algebraFor } from '../algebra.ts';
import { runSequence } from './sequence.ts';

// --- model

/** The Residual kind. */
export const ResidualKind = makeKind({
  name: 'Residual',
  tag: 'RES',
  run: (node, args, env, s) => {
    if (args.length !== 1) {
      throw new CanopyError(
        'arity',
        `Residual: expects exactly 1 input, got ${args.length} (at ${pathString(env.at)})`,
      );
    }
    const x = args[0];
    return thenStep(runSequence(node, args, env, s), ([y, s1]) =>
      thenStep(algebraFor('Residual', [x, y]).add(x, y, env), (sum) => [sum, s1] as const),
    );
  },
});

// --- constructors

/**
 * Adds its input to the output of its children run as a Chain: `x + Chain(...)(x)`.
 *
 * @example
 * ```ts
 * import { Residual, Lambda, runSync } from 'canopy';
 * runSync(Residual(Lambda((x: number) => x * x)), [3]).output; // 12
 * ```
 */
export function Residual<Ls extends AnyLayer[]>(
  ...layers: Ls
): Layer<[InputOf<Ls[0]>[0]], InputOf<Ls[0]>[0], NeedsOf<Ls[number]>> {
  return makeLayer(ResidualKind, {}, layers);
}
Residual.kind = ResidualKind;
