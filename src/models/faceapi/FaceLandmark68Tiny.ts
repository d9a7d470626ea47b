// face-api's tiny 68-point landmark net as a canopy tree, and the key map from its tfjs names.
// Input `[N, 3, 112, 112]` RGB 0–255 (a face crop padded to a square, see `landmarkInput`);
// output `[N, 136]`: x0, y0, x1, y1, … relative to the padded square (see `landmarksFromOutput`).
import type { AnyLayer } from '../../core/Layer.ts';
import type { KeyMap } from '../../io/keyMap.ts';
import { ReLU } from '../../layers/activation/activations.ts';
import { Conv2d } from '../../layers/conv/Conv2d.ts';
import { Linear } from '../../layers/linear/Linear.ts';
import { type Body, defineContainer } from '../../layers/define.ts';
import { AvgPool2d } from '../../layers/sampling/pooling.ts';
import { Flatten } from '../../layers/shape/shape.ts';
import { Chain } from '../../layers/structural/Chain.ts';
import { Residual } from '../../layers/structural/Residual.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { ImageNormalize } from './ImageNormalize.ts';
import { SamePad } from './SamePad.ts';
import { SeparableConv2d } from './SeparableConv2d.ts';

// --- model

/** face-api's mean RGB for the tiny feature extractor. */
export const faceLandmark68TinyMeanRgb = Object.freeze([122.782, 117.001, 104.298] as const);

// --- constructors

/**
 * face-api's `denseBlock3`: `out1 = relu(conv0(x))` (stride 2), `out2 = sep1(out1)`,
 * `out3 = sep2(relu(out1 + out2))`, result `relu(out1 + out2 + out3)`; written as
 * `conv0, ReLU, Residual(sep1), Residual(ReLU, sep2), ReLU`, since the second residual's input
 * is exactly `out1 + out2`.
 *
 * @example
 * ```ts
 * import { DenseBlock, zeros, run } from 'canopy-nn';
 * (await run(DenseBlock({ inChannels: 3, outChannels: 8, first: true }), [zeros([1, 3, 16, 16])])).output.shape; // [1, 8, 8, 8]
 * ```
 */
export const DenseBlock = defineContainer({
  name: 'DenseBlock',
  extends: Chain,
  init: ({ inChannels, outChannels, first = false }: DenseBlockOptions): Body<[Tensor], Tensor> => {
    const head: AnyLayer[] = first
      ? [SamePad({ kernelSize: 3, stride: 2 }), Conv2d({ inChannels, outChannels, kernelSize: 3, stride: 2 })]
      : [SeparableConv2d({ inChannels, outChannels, stride: 2 })];
    const children = [
      ...head,
      ReLU(),
      Residual(SeparableConv2d({ inChannels: outChannels, outChannels })),
      Residual(ReLU(), SeparableConv2d({ inChannels: outChannels, outChannels })),
      ReLU(),
    ];
    return { attrs: { inChannels, outChannels }, children };
  },
});

/** Options of {@link DenseBlock}. */
export interface DenseBlockOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  /** The first block: a plain strided Conv2d (after "SAME" padding) instead of a separable one. Default `false`. */
  readonly first?: boolean;
}

/**
 * The landmark net's tree: ImageNormalize, three DenseBlocks 3→32→64→128 (112 → 56 → 28 → 14),
 * 14×14 average pool, Flatten, Linear 128→136. 77,224 parameters.
 *
 * @example
 * ```ts
 * import { FaceLandmark68Tiny, countParams } from 'canopy-nn';
 * countParams(FaceLandmark68Tiny()).total; // 77224
 * ```
 */
export const FaceLandmark68Tiny = defineContainer({
  name: 'FaceLandmark68Tiny',
  extends: Chain,
  init: (): Body<[Tensor], Tensor> => ({
    children: [
      ImageNormalize({ mean: faceLandmark68TinyMeanRgb, std: 255 }),
      DenseBlock({ inChannels: 3, outChannels: 32, first: true }),
      DenseBlock({ inChannels: 32, outChannels: 64 }),
      DenseBlock({ inChannels: 64, outChannels: 128 }),
      AvgPool2d({ kernelSize: 14, stride: 2 }),
      Flatten({ startDim: 1 }),
      Linear({ inFeatures: 128, outFeatures: 136 }),
    ],
  }),
});

const sep = (from: string, to: string): KeyMap => [
  { from: `${from}/depthwise_filter`, to: `${to}.Conv2d_1.weight`, layout: 'depthwise' },
  { from: `${from}/pointwise_filter`, to: `${to}.Conv2d_2.weight`, layout: 'convHWIO' },
  { from: `${from}/bias`, to: `${to}.Conv2d_2.bias` },
];

/**
 * face-api's weight names → {@link FaceLandmark68Tiny} keys with their layouts.
 *
 * @example
 * ```ts
 * import { faceLandmark68TinyKeyMap } from 'canopy-nn';
 * faceLandmark68TinyKeyMap.at(-2); // { from: 'fc/weights', to: 'Linear.weight', layout: 'dense' }
 * ```
 */
export const faceLandmark68TinyKeyMap: KeyMap = Object.freeze([
  { from: 'dense0/conv0/filters', to: 'DenseBlock_1.Conv2d.weight', layout: 'convHWIO' },
  { from: 'dense0/conv0/bias', to: 'DenseBlock_1.Conv2d.bias' },
  ...sep('dense0/conv1', 'DenseBlock_1.Residual_1.SeparableConv2d'),
  ...sep('dense0/conv2', 'DenseBlock_1.Residual_2.SeparableConv2d'),
  ...[1, 2].flatMap((i) => [
    ...sep(`dense${i}/conv0`, `DenseBlock_${i + 1}.SeparableConv2d`),
    ...sep(`dense${i}/conv1`, `DenseBlock_${i + 1}.Residual_1.SeparableConv2d`),
    ...sep(`dense${i}/conv2`, `DenseBlock_${i + 1}.Residual_2.SeparableConv2d`),
  ]),
  { from: 'fc/weights', to: 'Linear.weight', layout: 'dense' },
  { from: 'fc/bias', to: 'Linear.bias' },
]);
