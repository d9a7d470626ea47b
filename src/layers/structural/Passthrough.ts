// Passthrough: runs its children for their effects on contexts and returns its own inputs.
import type { AnyLayer, InputOf, Layer, NeedsOf } from '../../core/Layer.ts';
import type { Tuple } from '../../core/tuple.ts';
import { defineContainer } from '../define.ts';
import { asValue, runSequence } from './sequence.ts';

const passthrough = defineContainer({
  name: 'Passthrough',
  tag: 'PASS',
  showOnlyTag: true,
  forward: (args, self, env) => runSequence(self, args, env, () => asValue(args)),
});

/**
 * Runs its children as a Chain (so their SetContext writes happen) and returns its original inputs.
 *
 * @example
 * ```ts
 * import { Passthrough, Lambda, runSync } from 'canopy-nn';
 * runSync(Passthrough(Lambda((x: number) => x * 100)), [7]).output; // 7
 * ```
 */
export function Passthrough<Ls extends AnyLayer[]>(
  ...layers: Ls
): Layer<InputOf<Ls[0]>, InputOf<Ls[0]> extends readonly [infer X] ? X : Tuple<InputOf<Ls[0]>>, NeedsOf<Ls[number]>> {
  return passthrough(...layers) as never;
}
Passthrough.kind = passthrough.kind;
