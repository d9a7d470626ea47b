// Matmul: matmul(first(x), second(x)).
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { algebraFor } from '../algebra.ts';
import { runBranches } from './branches.ts';

/** The Matmul kind. */
export const MatmulKind = makeKind({
  name: 'Matmul',
  tag: 'MATMUL',
  run: (node, args, env, s) =>
    runBranches(node, () => args, env, s, (outs) => algebraFor('Matmul', outs).matmul(outs[0], outs[1], env)),
});

/**
 * Gives its inputs to both children and multiplies their outputs as matrices.
 *
 * @example
 * ```ts
 * import { Matmul, Identity, Lambda, runSync } from 'canopy';
 * runSync(Matmul(Identity(), Lambda((x: number) => x + 1)), [3]).output; // 12
 * ```
 */
export function Matmul<A extends AnyLayer, B extends AnyLayer>(
  input: A,
  other: B,
): Layer<InputOf<A>, OutputOf<A>, NeedsOf<A | B>> {
  return makeLayer(MatmulKind, {}, [input, other]);
}
Matmul.kind = MatmulKind;
