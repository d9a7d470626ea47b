// Concatenate: the same inputs to every child; their (non-null) outputs joined along `dim`.
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { isLayer, makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { algebraFor } from '../algebra.ts';
import { runBranches } from './branches.ts';

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
  run: (node, args, env, s) =>
    runBranches(node, () => args, env, s, (outs) => {
      const present = outs.filter((o) => o !== null && o !== undefined);
      return algebraFor('Concatenate', present).concat(present, node.attrs['dim'] as number, env);
    }),
});

/**
 * Gives its inputs to every child and concatenates their non-null outputs along `dim`
 * (options, when given, come first).
 *
 * @example
 * ```ts
 * import { Concatenate, Lambda, runSync } from 'canopy';
 * runSync(Concatenate(Lambda(() => [1, 2]), Lambda(() => [3])), []).output; // [1, 2, 3]
 * const alongChannels = Concatenate({ dim: 1 }, Lambda(() => [1]));
 * ```
 */
export function Concatenate<Ls extends AnyLayer[]>(
  ...layers: Ls
): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>>;
export function Concatenate<Ls extends AnyLayer[]>(
  options: ConcatenateOptions,
  ...layers: Ls
): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>>;
export function Concatenate(...items: (AnyLayer | ConcatenateOptions)[]): AnyLayer {
  const first = items[0];
  const hasOptions = first !== undefined && !isLayer(first);
  const options = (hasOptions ? first : {}) as ConcatenateOptions;
  const children = (hasOptions ? items.slice(1) : items) as AnyLayer[];
  return makeLayer(ConcatenateKind, { dim: options.dim ?? 0 }, children);
}
Concatenate.kind = ConcatenateKind;
