// Small Stable-Diffusion-like blocks built from canopy layers, shared by the oracle tests (their
// PyTorch twins are in test/fixtures/generate_layers.py) and mirrored in docs/layers.md.
import {
  Chain, Identity, Parallel, Residual, SetContext, Sum, TakeContext, UseContext, named, provide,
  type AnyLayer, type Tensor,
} from '../../src/index.ts';
import {
  Attention, Conv2d, Downsample, Flatten, GeLU, GroupNorm, LayerNorm, Linear, SelfAttention2d, SiLU,
  Transpose, Unflatten, Upsample,
} from '../../src/layers/index.ts';

/** Refiners' SD1 ResidualBlock: Sum(Chain(GN, SiLU, Conv, GN, SiLU, Conv), skip). */
export function ResidualBlock(o: { inChannels: number; outChannels: number; numGroups: number }): AnyLayer {
  const { inChannels: i, outChannels: c, numGroups: g } = o;
  return named(
    'ResidualBlock',
    Sum(
      Chain(
        GroupNorm({ channels: i, numGroups: g }),
        SiLU(),
        Conv2d({ inChannels: i, outChannels: c, kernelSize: 3, padding: 1, seed: 1 }),
        GroupNorm({ channels: c, numGroups: g }),
        SiLU(),
        Conv2d({ inChannels: c, outChannels: c, kernelSize: 3, padding: 1, seed: 2 }),
      ),
      i === c ? Identity() : Conv2d({ inChannels: i, outChannels: c, kernelSize: 1, seed: 3 }),
    ),
  );
}

/** Self-attention on the map, cross-attention to `cross.text` (a context), GeLU feed-forward. */
export function CrossAttentionBlock(o: { channels: number; contextDim: number }): AnyLayer {
  const { channels: c, contextDim: e } = o;
  const text = (): AnyLayer => UseContext('cross', 'text');
  return provide(
    named(
      'CrossAttentionBlock',
      Chain(
        Residual(GroupNorm({ channels: c, numGroups: 2 }), SelfAttention2d({ channels: c, numHeads: 2 })),
        SetContext('block', 'size', (_: unknown, x: Tensor) => x.shape.slice(2)),
        Flatten({ startDim: 2 }),
        Transpose({ dim0: 1, dim1: 2 }),
        Residual(
          LayerNorm({ normalizedShape: c }),
          Parallel(Identity(), text(), text()),
          Attention({ embeddingDim: c, keyEmbeddingDim: e, valueEmbeddingDim: e, numHeads: 2 }),
        ),
        Residual(
          LayerNorm({ normalizedShape: c }),
          Linear({ inFeatures: c, outFeatures: 2 * c, seed: 1 }),
          GeLU(),
          Linear({ inFeatures: 2 * c, outFeatures: c, seed: 2 }),
        ),
        Transpose({ dim0: 1, dim1: 2 }),
        Parallel(Identity(), UseContext('block', 'size')),
        Unflatten({ dim: 2 }),
      ),
    ),
    { block: { size: null } },
  );
}

/** A two-level U-Net: sizes travel through `sampling.shapes`, skips through `unet.residuals`. */
export function UNet(): AnyLayer {
  const push = (): AnyLayer => SetContext('unet', 'residuals', (l: Tensor[], x: Tensor) => void l.push(x));
  const skip = (): AnyLayer => Sum(Identity(), TakeContext('unet', 'residuals', (l: Tensor[]) => l.pop()));
  return provide(
    named(
      'UNet',
      Chain(
        Conv2d({ inChannels: 2, outChannels: 4, kernelSize: 3, padding: 1 }),
        push(),
        Downsample({ channels: 4, scaleFactor: 2 }),
        push(),
        Downsample({ channels: 4, scaleFactor: 2 }),
        Upsample({ channels: 4 }),
        skip(),
        Upsample({ channels: 4 }),
        skip(),
        Conv2d({ inChannels: 4, outChannels: 2, kernelSize: 3, padding: 1 }),
      ),
    ),
    { sampling: { shapes: [] }, unet: { residuals: [] } },
  );
}
