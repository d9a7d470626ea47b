// Matmul: matmul(first(x), second(x)).
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { runEachThen } from './sequence.ts';
import { algebraFor } from '../algebra.ts';
import { defineContainer } from '../define.ts';

const matmul = defineContainer({
  name: 'Matmul',
  tag: 'MATMUL',
  init: (input: AnyLayer, other: AnyLayer) => ({ children: [input, other] }),
  forward: (args, self, env) => runEachThen(self, args, ([a, b]) => algebraFor('Matmul', [a, b], env).matmul(a, b, env)),
});

/**
 * Gives its inputs to both children and multiplies their outputs as matrices.
 *
 * @example
 * ```ts
 * import { Matmul, Identity, Lambda, runSync } from 'canopy-nn';
 * runSync(Matmul(Identity(), Lambda((x: number) => x + 1)), [3]).output; // 12
 * ```
 */
export function Matmul<A extends AnyLayer, B extends AnyLayer>(input: A, other: B): Layer<InputOf<A>, OutputOf<A>, NeedsOf<A | B>> {
  return matmul(input, other) as never;
}
Matmul.kind = matmul.kind;
