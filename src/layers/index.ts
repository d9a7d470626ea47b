// canopy's parametric and tensor layers, initialisers, parameter counts and frozen marks.
export { Linear, LinearKind, type LinearOptions } from './linear/Linear.ts';
export { MultiLinear, MultiLinearKind, type MultiLinearOptions } from './linear/MultiLinear.ts';
export { Embedding, EmbeddingKind, type EmbeddingOptions } from './linear/Embedding.ts';
export { Conv2d, Conv2dKind, type Conv2dLayerOptions, type Conv2dPaddingMode } from './conv/Conv2d.ts';
export { ConvTranspose2d, ConvTranspose2dKind, type ConvTranspose2dLayerOptions } from './conv/ConvTranspose2d.ts';
export {
  LayerNorm, LayerNormKind, type LayerNormOptions,
  GroupNorm, GroupNormKind, type GroupNormOptions,
  LayerNorm2d, LayerNorm2dKind, type LayerNorm2dOptions,
  InstanceNorm2d, InstanceNorm2dKind, type InstanceNorm2dOptions,
  BatchNorm2d, BatchNorm2dKind, type BatchNorm2dOptions,
} from './norm/norms.ts';
export {
  ScaledDotProductAttention, ScaledDotProductAttentionKind, type ScaledDotProductAttentionOptions,
} from './attention/ScaledDotProductAttention.ts';
export {
  Attention, AttentionKind, type AttentionLayerOptions,
  SelfAttention, SelfAttentionKind, type SelfAttentionOptions,
  SelfAttention2d, SelfAttention2dKind, type SelfAttention2dOptions,
} from './attention/Attention.ts';
export {
  ReLU, ReLUKind, SiLU, SiLUKind, Sigmoid, SigmoidKind, Tanh, TanhKind,
  HardSwish, HardSwishKind, HardSigmoid, HardSigmoidKind,
  LeakyReLU, LeakyReLUKind, type LeakyReLUOptions, GeLU, GeLUKind, type GeLUOptions,
} from './activation/activations.ts';
export { GLU, GLUKind } from './activation/GLU.ts';
export { Softmax, SoftmaxKind, type SoftmaxOptions } from './activation/Softmax.ts';
export {
  Flatten, FlattenKind, type FlattenOptions, Unflatten, UnflattenKind, Reshape, ReshapeKind,
  Transpose, TransposeKind, Permute, PermuteKind, Squeeze, SqueezeKind, Unsqueeze, UnsqueezeKind,
} from './shape/shape.ts';
export { Slicing, SlicingKind, type SlicingOptions } from './shape/Slicing.ts';
export { Sin, SinKind, Cos, CosKind, Multiply, MultiplyKind, type MultiplyOptions } from './misc/elementwise.ts';
export { Parameter, ParameterKind, type ParameterOptions } from './misc/Parameter.ts';
export { Converter, ConverterKind, type ConverterOptions } from './misc/Converter.ts';
export { Pad, PadKind, type PadLayerOptions, type PadLayerMode, ReflectionPad2d, ReflectionPad2dKind } from './misc/Pad.ts';
export {
  MaxPool1d, MaxPool1dKind, type MaxPool1dOptions, MaxPool2d, MaxPool2dKind, type MaxPool2dOptions,
  AvgPool2d, AvgPool2dKind, type AvgPool2dLayerOptions, Interpolate, InterpolateKind, type InterpolateLayerOptions,
  PixelUnshuffle, PixelUnshuffleKind,
} from './sampling/pooling.ts';
export {
  Downsample, DownsampleKind, type DownsampleOptions, Upsample, UpsampleKind, type UpsampleOptions, type SamplingNeed,
} from './sampling/Downsample.ts';
export { kaimingUniform, normalInit, onesInit, zerosInit, subSeed, type SeedOptions } from './init.ts';
export {
  paramCount, isBuffer, countParams, paramCountsByLayer, isFrozen, trainableParams, freezeParams, unfreezeParams,
  type ParamCounts, type FreezeOptions,
} from './params.ts';
