// Embedding: rows of a learned table looked up by integer index (torch.nn.Embedding).
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { normalInit, type SeedOptions } from '../init.ts';
import { checkPositive, leaf, param, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions extends SeedOptions {
  /** Rows of the table (valid indices are `0 .. numEmbeddings - 1`). */
  readonly numEmbeddings: number;
  /** Width of each row. */
  readonly embeddingDim: number;
}

/** The Embedding kind. */
export const EmbeddingKind = tensorKind<{ numEmbeddings: number; embeddingDim: number }>({
  name: 'Embedding',
  forward: async (b, args, attrs, params) => {
    const x = tensorArg('Embedding', args);
    const idx = x.dtype === 'int32' ? x : await b.cast(x, 'int32');
    for (const v of idx.data) {
      if (!(v >= 0 && v < attrs.numEmbeddings)) {
        throw new CanopyError('argument', `Embedding: indices must lie in [0, ${attrs.numEmbeddings}), got ${v} in input ${showShape(x.shape)}`);
      }
    }
    return b.gather(param('Embedding', params, 'weight'), idx, 0);
  },
});

/**
 * Looks up rows: integer indices `[...]` (int32; float32 holding integers is cast) → `[..., embeddingDim]`.
 * Param `weight` `[numEmbeddings, embeddingDim]`, initialised N(0, 1) as PyTorch.
 *
 * @example
 * ```ts
 * import { Embedding, fromArray, run } from 'canopy';
 * const emb = Embedding({ numEmbeddings: 10, embeddingDim: 3 });
 * (await run(emb, [fromArray([[1, 2, 9]], 'int32')])).output.shape; // [1, 3, 3]
 * ```
 */
export function Embedding(options: EmbeddingOptions): Layer<[Tensor], Tensor> {
  const { numEmbeddings, embeddingDim, seed = 0 } = options;
  checkPositive('Embedding', 'numEmbeddings', numEmbeddings);
  checkPositive('Embedding', 'embeddingDim', embeddingDim);
  return leaf(EmbeddingKind, { numEmbeddings, embeddingDim }, { weight: normalInit([numEmbeddings, embeddingDim], seed) });
}
Embedding.kind = EmbeddingKind;
