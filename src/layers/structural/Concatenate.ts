// Concatenate: the same inputs to every child; their (non-null) outputs joined along `dim`.
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { map } from '../../core/Eval.ts';
import { algebraFor } from '../algebra.ts';
import { evalBranches } from './branches.ts';

/** Options of {@link Concatenate}. */
export interface ConcatenateOptions {
  /** Axis to join along. Default: 0. */
  readonly dim?: number;
}

/** The Concatenate kind. */
export const ConcatenateKind = makeKind({
  name: 'Concatenate',
  tag: 'CAT',
  showOnlyTag: true,
  defaults: { dim: 0 },
  evaluate: (node, args) =>
    map((outs: unknown[], env) => {
      const present = outs.filter((o) => o !== null && o !== undefined);
      return algebraFor('Concatenate', present).concat(present, node.attrs['dim'] as number, env);
    })(evalBranches(node, () => args)),
});

/**
 * Gives its inputs to every child and concatenates their non-null outputs along `dim`.
 * Children come first; pass options as the last argument.
 *
 * @example
 * ```ts
 * import { Concatenate, Lambda, runSync } from 'canopy';
 * runSync(Concatenate(Lambda(() => [1, 2]), Lambda(() => [3])), []).output; // [1, 2, 3]
 * ```
 */
export function Concatenate<Ls extends AnyLayer[]>(
  ...layers: Ls | [...Ls, ConcatenateOptions]
): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>> {
  const last = layers[layers.length - 1];
  const hasOptions = last !== undefined && !('kind' in (last as object));
  const options = (hasOptions ? last : {}) as ConcatenateOptions;
  const children = (hasOptions ? layers.slice(0, -1) : layers) as AnyLayer[];
  return makeLayer(ConcatenateKind, { dim: options.dim ?? 0 }, children);
}
Concatenate.kind = ConcatenateKind;
