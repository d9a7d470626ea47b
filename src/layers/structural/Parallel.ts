// Parallel: the same inputs to every child; a Tuple of their outputs.
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { thenStep } from '../../core/step.ts';
import { type Tuple, tuple } from '../../core/tuple.ts';
import { defineContainer } from '../define.ts';

/** The outputs of a list of layers, as a tuple type. */
export type OutputsOf<Ls extends readonly unknown[]> = { [I in keyof Ls]: OutputOf<Ls[I]> };

const parallel = defineContainer({
  name: 'Parallel',
  tag: 'PAR',
  showOnlyTag: true,
  forward: (args, self) => thenStep(self.runEach(() => args), (outs) => tuple(...outs)),
});

/**
 * Gives its inputs to every child and returns their outputs as a {@link Tuple}, which a Chain
 * spreads into the next layer's arguments.
 *
 * @example
 * ```ts
 * import { Chain, Parallel, Identity, Lambda, runSync } from 'canopy-nn';
 * const m = Chain(Parallel(Identity(), Lambda((x: number) => x + 1)), Lambda((a: number, b: number) => a * b));
 * runSync(m, [4]).output; // 20
 * ```
 */
export function Parallel<Ls extends AnyLayer[]>(...layers: Ls): Layer<InputOf<Ls[0]>, Tuple<OutputsOf<Ls>>, NeedsOf<Ls[number]>> {
  return parallel(...layers) as never;
}
Parallel.kind = parallel.kind;
