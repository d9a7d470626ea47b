// face-api's tiny face detector (a Tiny-YOLOv2 with separable convolutions) as a canopy tree, and
// the key map from its tfjs weight names. Input `[N, 3, S, S]` RGB in 0–255 (S divisible by 32,
// face-api's default 416); output `[N, 25, S/32, S/32]`: for each cell, 5 anchors × [x, y, w, h,
// score] before the sigmoid/exp (see `decodeDetections`).
import type { AnyLayer } from '../../core/Layer.ts';
import type { KeyMap } from '../../io/keyMap.ts';
import { LeakyReLU } from '../../layers/activation/activations.ts';
import { Conv2d } from '../../layers/conv/Conv2d.ts';
import { type Body, defineContainer } from '../../layers/define.ts';
import { MaxPool2d } from '../../layers/sampling/pooling.ts';
import { Chain } from '../../layers/structural/Chain.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { ImageNormalize } from './ImageNormalize.ts';
import { SamePad } from './SamePad.ts';
import { SeparableConv2d } from './SeparableConv2d.ts';

// --- model

/** face-api's mean RGB for the detector (`tinyFaceDetector/const.ts`). */
export const tinyFaceDetectorMeanRgb = Object.freeze([117.001, 114.697, 97.404] as const);

/** The 5 anchor boxes (width, height in cells), face-api's `BOX_ANCHORS`. */
export const tinyFaceDetectorAnchors: readonly (readonly [number, number])[] = Object.freeze([
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
].map((a) => Object.freeze(a as [number, number])));

// --- constructors

// face-api's leaky ReLU uses float32(0.1).
const leaky = (): AnyLayer => LeakyReLU({ negativeSlope: Math.fround(0.1) });

// TensorFlow's maxPool(2, s, 'same'): the extra row/column is at the bottom/right.
const samePool = (stride: number): AnyLayer[] => [SamePad({ kernelSize: 2, stride, mode: 'replicate' }), MaxPool2d({ kernelSize: 2, stride })];

/**
 * The detector's tree (random weights until loaded, see `loadFaceApiModels`): ImageNormalize,
 * conv0 (Conv2d 3→16 3×3 valid) + LeakyReLU(0.1) + "SAME" max pool, then five SeparableConv2d
 * blocks 16→32→…→512 each with LeakyReLU and pool (stride 1 after the last), then a 1×1 Conv2d
 * 512→25. 193,321 parameters.
 *
 * @example
 * ```ts
 * import { TinyFaceDetector, countParams } from 'canopy-nn';
 * countParams(TinyFaceDetector()).total; // 193321
 * ```
 */
export const TinyFaceDetector = defineContainer({
  name: 'TinyFaceDetector',
  extends: Chain,
  init: (): Body<[Tensor], Tensor> => {
    const channels = [16, 32, 64, 128, 256, 512];
    const blocks = channels.slice(1).flatMap((out, i) => [
      SeparableConv2d({ inChannels: channels[i]!, outChannels: out }),
      leaky(),
      ...samePool(i === 4 ? 1 : 2),
    ]);
    return {
      children: [
        ImageNormalize({ mean: tinyFaceDetectorMeanRgb, std: 255 }),
        Conv2d({ inChannels: 3, outChannels: 16, kernelSize: 3 }),
        leaky(),
        ...samePool(2),
        ...blocks,
        Conv2d({ inChannels: 512, outChannels: 25, kernelSize: 1 }),
      ],
    };
  },
});

/**
 * face-api's weight names → {@link TinyFaceDetector} keys with their layouts.
 *
 * @example
 * ```ts
 * import { tinyFaceDetectorKeyMap } from 'canopy-nn';
 * tinyFaceDetectorKeyMap[2]; // { from: 'conv1/depthwise_filter', to: 'SeparableConv2d_1.Conv2d_1.weight', layout: 'depthwise' }
 * ```
 */
export const tinyFaceDetectorKeyMap: KeyMap = Object.freeze([
  { from: 'conv0/filters', to: 'Conv2d_1.weight', layout: 'convHWIO' },
  { from: 'conv0/bias', to: 'Conv2d_1.bias' },
  ...[1, 2, 3, 4, 5].flatMap((i) => [
    { from: `conv${i}/depthwise_filter`, to: `SeparableConv2d_${i}.Conv2d_1.weight`, layout: 'depthwise' as const },
    { from: `conv${i}/pointwise_filter`, to: `SeparableConv2d_${i}.Conv2d_2.weight`, layout: 'convHWIO' as const },
    { from: `conv${i}/bias`, to: `SeparableConv2d_${i}.Conv2d_2.bias` },
  ]),
  { from: 'conv8/filters', to: 'Conv2d_2.weight', layout: 'convHWIO' },
  { from: 'conv8/bias', to: 'Conv2d_2.bias' },
]);
