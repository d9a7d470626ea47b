// Embedding: a lookup table of learned rows (torch.nn.Embedding).
import { CanopyError } from '../../errors.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';
import { randn } from '../../tensor/random.ts';
import type { SeedOptions } from '../init.ts';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions extends SeedOptions {
  /** Rows of the table (valid indices are `0 .. numEmbeddings - 1`). */
  readonly numEmbeddings: number;
  /** Width of each row. */
  readonly embeddingDim: number;
}

/**
 * Looks up rows: integer indices `[...]` (int32; float32 holding integers is cast) → `[..., embeddingDim]`.
 * Param `weight` `[numEmbeddings, embeddingDim]`, initialised N(0, 1) as PyTorch.
 *
 * @example
 * ```ts
 * import { Embedding, fromArray, run } from 'canopy-nn';
 * const emb = Embedding({ numEmbeddings: 10, embeddingDim: 3 });
 * (await run(emb, [fromArray([[1, 2, 9]], 'int32')])).output.shape; // [1, 3, 3]
 * ```
 */
export const Embedding = defineLayer({
  name: 'Embedding',
  options: { numEmbeddings: true, embeddingDim: true, seed: true },
  inputs: ['tensor'],
  init: ({ numEmbeddings, embeddingDim, seed = 0 }: EmbeddingOptions) => {
    checkPositiveInt('Embedding', numEmbeddings, 'numEmbeddings');
    checkPositiveInt('Embedding', embeddingDim, 'embeddingDim');
    return { attrs: { numEmbeddings, embeddingDim }, params: { weight: randn([numEmbeddings, embeddingDim], seed) } };
  },
  forward: async ([x]: [Tensor], { attrs, params }, env) => {
    const b = backendOf(env);
    const idx = x.dtype === 'int32' ? x : await b.cast(x, 'int32');
    for (const v of idx.data) {
      if (!(v >= 0 && v < attrs.numEmbeddings)) {
        throw new CanopyError('argument', `Embedding: indices must lie in [0, ${attrs.numEmbeddings}), got ${v} in input ${showShape(x.shape)}`);
      }
    }
    return b.gather(params.weight, idx, 0);
  },
});
