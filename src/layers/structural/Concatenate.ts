// Concatenate: the same inputs to every child; their (non-null) outputs joined along `dim`.
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { isLayer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { showJson } from '../../io/showJson.ts';
import { runEachThen } from './sequence.ts';
import { algebraFor } from '../algebra.ts';
import { defineContainer } from '../define.ts';

/** Options of {@link Concatenate}. */
export interface ConcatenateOptions {
  /** Axis to join along. Default: 0. */
  readonly dim?: number;
}

const concatenate = defineContainer({
  name: 'Concatenate',
  tag: 'CAT',
  showOnlyTag: true,
  defaults: { dim: 0 },
  init: (...items: (AnyLayer | ConcatenateOptions)[]) => {
    const first = items[0];
    const hasOptions = first !== undefined && !isLayer(first);
    const { dim = 0 } = (hasOptions ? first : {}) as ConcatenateOptions;
    // Options after a layer (PyTorch's torch.cat(tensors, dim) order) would become a child that
    // fails at run time as "not a layer": refused here with the usage.
    const late = items.findIndex((it, i) => i > 0 && typeof it === 'object' && it !== null && !isLayer(it));
    if (late > 0) {
      throw new CanopyError('argument', `Concatenate: options must come first, as Concatenate({ dim: 1 }, a, b), got ${showJson(items[late])} as argument ${late + 1}`);
    }
    return { attrs: { dim }, children: (hasOptions ? items.slice(1) : items) as AnyLayer[] };
  },
  forward: (args, self, env) =>
    runEachThen(self, args, (outs) => {
      const present = outs.filter((o) => o !== null && o !== undefined);
      return algebraFor('Concatenate', present, env).concat(present, self.attrs.dim, env);
    }),
});

/**
 * Gives its inputs to every child and concatenates their non-null outputs along `dim`
 * (options, when given, come first).
 *
 * @example
 * ```ts
 * import { Concatenate, Lambda, runSync } from 'canopy-nn';
 * runSync(Concatenate(Lambda(() => [1, 2]), Lambda(() => [3])), []).output; // [1, 2, 3]
 * const alongChannels = Concatenate({ dim: 1 }, Lambda(() => [1]));
 * ```
 */
export function Concatenate<Ls extends AnyLayer[]>(...layers: Ls): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>>;
export function Concatenate<Ls extends AnyLayer[]>(
  options: ConcatenateOptions,
  ...layers: Ls
): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>>;
export function Concatenate(...items: (AnyLayer | ConcatenateOptions)[]): AnyLayer {
  return concatenate(...items);
}
Concatenate.kind = concatenate.kind;
