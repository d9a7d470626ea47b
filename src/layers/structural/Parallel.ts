// Parallel: the same inputs to every child; a Tuple of their outputs.
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type Tuple, tuple } from '../../core/tuple.ts';
import { runBranches } from './branches.ts';

/** The Parallel kind. */
export const ParallelKind = makeKind({
  name: 'Parallel',
  tag: 'PAR',
  showOnlyTag: true,
  run: (node, args, env, s) => runBranches(node, () => args, env, s, (outs) => tuple(...outs)),
});

/** The outputs of a list of layers, as a tuple type. */
export type OutputsOf<Ls extends readonly unknown[]> = { [I in keyof Ls]: OutputOf<Ls[I]> };

/**
 * Gives its inputs to every child and returns their outputs as a {@link Tuple}, which a Chain
 * spreads into the next layer's arguments.
 *
 * @example
 * ```ts
 * import { Chain, Parallel, Identity, Lambda, runSync } from 'canopy';
 * const m = Chain(Parallel(Identity(), Lambda((x: number) => x + 1)), Lambda((a: number, b: number) => a * b));
 * runSync(m, [4]).output; // 20
 * ```
 */
export function Parallel<Ls extends AnyLayer[]>(
  ...layers: Ls
): Layer<InputOf<Ls[0]>, Tuple<OutputsOf<Ls>>, NeedsOf<Ls[number]>> {
  return makeLayer(ParallelKind, {}, layers);
}
Parallel.kind = ParallelKind;
