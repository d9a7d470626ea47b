// Attention, SelfAttention and SelfAttention2d, assembled from Chains exactly as Refiners does, so
// their state-dict keys match Refiners' (`Distribute.Linear_1.weight`, ..., `Linear.weight`).
import type { AnyLayer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { type Body, defineContainer } from '../define.ts';
import { Chain } from '../structural/Chain.ts';
import { Distribute } from '../structural/Distribute.ts';
import { Identity } from '../structural/Identity.ts';
import { Parallel } from '../structural/Parallel.ts';
import { SetContext } from '../context/SetContext.ts';
import { UseContext } from '../context/UseContext.ts';
import type { SeedOptions } from '../init.ts';
import { deriveSeed } from '../../tensor/random.ts';
import { Linear } from '../linear/Linear.ts';
import { Flatten, Transpose, Unflatten } from '../shape/shape.ts';
import { ScaledDotProductAttention } from './ScaledDotProductAttention.ts';

// --- model

/** Options of {@link Attention}. */
export interface AttentionLayerOptions extends SeedOptions {
  /** Query features, and the output's. */
  readonly embeddingDim: number;
  /** Default `1`. */
  readonly numHeads?: number;
  /** Key features. Default `embeddingDim`. */
  readonly keyEmbeddingDim?: number;
  /** Value features. Default `embeddingDim`. */
  readonly valueEmbeddingDim?: number;
  /** Projected features (split into heads). Default `embeddingDim`. */
  readonly innerDim?: number;
  /** Bias on the q, k, v projections (the output projection always has one). Default `true`. */
  readonly useBias?: boolean;
  /** Default `false`. */
  readonly isCausal?: boolean;
}

const defaults = { numHeads: 1, useBias: true, isCausal: false };

type Resolved = Readonly<Required<AttentionLayerOptions>>;

function resolve(o: AttentionLayerOptions): Resolved {
  const r: Resolved = {
    embeddingDim: o.embeddingDim,
    keyEmbeddingDim: o.keyEmbeddingDim ?? o.embeddingDim,
    valueEmbeddingDim: o.valueEmbeddingDim ?? o.embeddingDim,
    innerDim: o.innerDim ?? o.embeddingDim,
    numHeads: o.numHeads ?? 1,
    useBias: o.useBias ?? true,
    isCausal: o.isCausal ?? false,
    seed: o.seed ?? 0,
  };
  for (const k of ['embeddingDim', 'keyEmbeddingDim', 'valueEmbeddingDim', 'innerDim', 'numHeads'] as const) checkPositiveInt('Attention', r[k], k);
  return r;
}

/** Distribute(q, k, v projections), ScaledDotProductAttention, output Linear. */
function attentionBody(r: Resolved): AnyLayer[] {
  const proj = (inF: number, i: number): AnyLayer =>
    Linear({ inFeatures: inF, outFeatures: r.innerDim, bias: r.useBias, seed: deriveSeed(r.seed, i) });
  return [
    Distribute(proj(r.embeddingDim, 0), proj(r.keyEmbeddingDim, 1), proj(r.valueEmbeddingDim, 2)),
    ScaledDotProductAttention({ numHeads: r.numHeads, isCausal: r.isCausal }),
    Linear({ inFeatures: r.innerDim, outFeatures: r.embeddingDim, bias: true, seed: deriveSeed(r.seed, 3) }),
  ];
}

// --- constructors

/**
 * Multi-head attention with projections: `(q [B, Lq, embeddingDim], k [B, Lk, keyEmbeddingDim],
 * v [B, Lk, valueEmbeddingDim])` → `[B, Lq, embeddingDim]`. A Chain of
 * `Distribute(Linear, Linear, Linear)`, `ScaledDotProductAttention`, `Linear`.
 *
 * @example
 * ```ts
 * import { Attention, randn, run } from 'canopy-nn';
 * const att = Attention({ embeddingDim: 8, keyEmbeddingDim: 6, valueEmbeddingDim: 6, numHeads: 2 });
 * (await run(att, [randn([1, 4, 8], 0), randn([1, 3, 6], 1), randn([1, 3, 6], 2)])).output.shape; // [1, 4, 8]
 * ```
 */
export const Attention = defineContainer({
  name: 'Attention',
  options: { embeddingDim: true, numHeads: true, keyEmbeddingDim: true, valueEmbeddingDim: true, innerDim: true, useBias: true, isCausal: true, seed: true },
  extends: Chain,
  defaults,
  init: (options: AttentionLayerOptions): Body<[Tensor, Tensor, Tensor], Tensor> => {
    const r = resolve(options);
    const { seed: _s, ...attrs } = r;
    return { attrs, children: attentionBody(r) };
  },
});

/** Options of {@link SelfAttention}: {@link Attention}'s, keys and values being the queries. */
export type SelfAttentionOptions = Omit<AttentionLayerOptions, 'keyEmbeddingDim' | 'valueEmbeddingDim'>;

/**
 * Attention of a sequence on itself: `[B, L, embeddingDim]` → same shape. Attention's chain with
 * `Parallel(Identity, Identity, Identity)` in front.
 *
 * @example
 * ```ts
 * import { SelfAttention, randn, run } from 'canopy-nn';
 * (await run(SelfAttention({ embeddingDim: 8, numHeads: 2, isCausal: true }), [randn([2, 5, 8], 0)])).output.shape; // [2, 5, 8]
 * ```
 */
export const SelfAttention = defineContainer({
  name: 'SelfAttention',
  options: { embeddingDim: true, innerDim: true, numHeads: true, useBias: true, isCausal: true, seed: true },
  extends: Chain,
  defaults,
  init: (options: SelfAttentionOptions): Body<[Tensor], Tensor> => {
    const r = resolve(options);
    const attrs = { embeddingDim: r.embeddingDim, innerDim: r.innerDim, numHeads: r.numHeads, useBias: r.useBias, isCausal: r.isCausal };
    return { attrs, children: [Parallel(Identity(), Identity(), Identity()), ...attentionBody(r)] };
  },
});

/** Options of {@link SelfAttention2d}: {@link SelfAttention}'s with `channels` as the embedding. */
export interface SelfAttention2dOptions extends Omit<SelfAttentionOptions, 'embeddingDim' | 'innerDim'> {
  readonly channels: number;
}

/**
 * Self-attention over the pixels of a feature map: `[B, channels, H, W]` → same shape. It stores
 * `[H, W]` in its own `reshape` context (`SetContext`), flattens to a sequence, attends, and
 * restores the map from the context (`UseContext` + `Unflatten`); Refiners uses two Lambdas and
 * `set_context("reshape", ...)` for the same thing. Keys match Refiners' SelfAttention2d.
 *
 * @example
 * ```ts
 * import { SelfAttention2d, randn, run } from 'canopy-nn';
 * (await run(SelfAttention2d({ channels: 4, numHeads: 2 }), [randn([1, 4, 3, 5], 0)])).output.shape; // [1, 4, 3, 5]
 * ```
 */
export const SelfAttention2d = defineContainer({
  name: 'SelfAttention2d',
  options: { channels: true, numHeads: true, useBias: true, isCausal: true, seed: true },
  extends: Chain,
  defaults,
  init: (options: SelfAttention2dOptions): Body<[Tensor], Tensor> => {
    const { channels } = options;
    const r = resolve({ ...options, embeddingDim: channels });
    const attrs = { channels, numHeads: r.numHeads, useBias: r.useBias, isCausal: r.isCausal };
    const children = [
      SetContext('reshape', 'size', (_: unknown, x: Tensor) => {
        // the first child sees the block's input: check it here, where the message can say 2d
        if (!isTensor(x) || x.shape.length !== 4 || x.shape[1] !== channels) {
          const got = isTensor(x) ? showShape(x.shape) : typeof x;
          throw new CanopyError('shape', `SelfAttention2d: input must be [N, ${channels}, H, W], got ${got}`);
        }
        return x.shape.slice(2);
      }),
      Flatten({ startDim: 2 }),
      Transpose({ dim0: 1, dim1: 2 }),
      Parallel(Identity(), Identity(), Identity()),
      ...attentionBody(r),
      Transpose({ dim0: 1, dim1: 2 }),
      Parallel(Identity(), UseContext('reshape', 'size')),
      Unflatten({ dim: 2 }),
    ];
    return { attrs, children, contexts: { reshape: { size: null } } };
  },
});
