// Distribute: the i-th input to the i-th child; a Tuple of their outputs.
import { CanopyError } from '../../errors.ts';
import type { AnyLayer, Args, Layer, NeedsOf } from '../../core/Layer.ts';
import { thenStep } from '../../core/step.ts';
import { type Tuple, tuple } from '../../core/tuple.ts';
import { defineContainer } from '../define.ts';
import type { OutputsOf } from './Parallel.ts';

const distribute = defineContainer({
  name: 'Distribute',
  tag: 'DISTR',
  showOnlyTag: true,
  forward: (args, self) => {
    if (args.length !== self.children.length) {
      throw new CanopyError('arity', `Distribute: expects one input per child (${self.children.length}), got ${args.length}`);
    }
    return thenStep(self.runEach((i) => [args[i]]), (outs) => tuple(...outs));
  },
});

/**
 * Gives its i-th input to its i-th child and returns their outputs as a {@link Tuple}.
 *
 * @example
 * ```ts
 * import { Distribute, Lambda, runSync } from 'canopy-nn';
 * runSync(Distribute(Lambda((x: number) => x + 1), Lambda((x: number) => x * 2)), [1, 5]).output; // [2, 10]
 * ```
 */
export function Distribute<Ls extends AnyLayer[]>(...layers: Ls): Layer<Args, Tuple<OutputsOf<Ls>>, NeedsOf<Ls[number]>> {
  return distribute(...layers) as never;
}
Distribute.kind = distribute.kind;
