// Distribute: the i-th input to the i-th child; a Tuple of their outputs.
import { CanopyError } from '../../errors.ts';
import { pathString } from '../../core/Eval.ts';
import type { AnyLayer, Args, Layer, NeedsOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type Tuple, tuple } from '../../core/tuple.ts';
import { runBranches } from './branches.ts';
import type { OutputsOf } from './Parallel.ts';

/** The Distribute kind. */
export const DistributeKind = makeKind({
  name: 'Distribute',
  tag: 'DISTR',
  showOnlyTag: true,
  run: (node, args, env, s) => {
    if (args.length !== node.children.length) {
      throw new CanopyError(
        'arity',
        `Distribute: expects one input per child (${node.children.length}), got ${args.length} (at ${pathString(env.at)})`,
      );
    }
    return runBranches(node, (i) => [args[i]], env, s, (outs) => tuple(...outs));
  },
});

/**
 * Gives its i-th input to its i-th child and returns their outputs as a {@link Tuple}.
 *
 * @example
 * ```ts
 * import { Distribute, Lambda, runSync } from 'canopy';
 * runSync(Distribute(Lambda((x: number) => x + 1), Lambda((x: number) => x * 2)), [1, 5]).output; // [2, 10]
 * ```
 */
export function Distribute<Ls extends AnyLayer[]>(...layers: Ls): Layer<Args, Tuple<OutputsOf<Ls>>, NeedsOf<Ls[number]>> {
  return makeLayer(DistributeKind, {}, layers);
}
Distribute.kind = DistributeKind;
