// Passthrough: runs its children for their effects on contexts, then returns its own inputs.
import type { AnyLayer, InputOf, Layer, NeedsOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { thenStep } from '../../core/step.ts';
import type { Tuple } from '../../core/tuple.ts';
import { asValue, runSequence } from './sequence.ts';

/** The Passthrough kind. */
export const PassthroughKind = makeKind({
  name: 'Passthrough',
  tag: 'PASS',
  showOnlyTag: true,
  run: (node, args, env, s) => thenStep(runSequence(node, args, env, s), ([, s1]) => [asValue(args), s1] as const),
});

/**
 * Runs its children as a Chain (so their SetContext writes happen) and returns its original inputs.
 *
 * @example
 * ```ts
 * import { Passthrough, Lambda, runSync } from 'canopy';
 * runSync(Passthrough(Lambda((x: number) => x * 100)), [7]).output; // 7
 * ```
 */
export function Passthrough<Ls extends AnyLayer[]>(
  ...layers: Ls
): Layer<InputOf<Ls[0]>, InputOf<Ls[0]> extends readonly [infer X] ? X : Tuple<InputOf<Ls[0]>>, NeedsOf<Ls[number]>> {
  return makeLayer(PassthroughKind, {}, layers);
}
Passthrough.kind = PassthroughKind;
