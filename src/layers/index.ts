// canopy's layers: the one way to define one, the structural and context layers, the tensor
// layers, initialisers, parameter counts and frozen marks.
export { defineLayer, defineContainer, type Self, type Init, type Body, type Inputs, type LayerSpec, type ContainerSpec, type AttrsConstructor } from './define.ts';
export { numberAlgebra } from './algebra.ts';
export { backendOf } from './backendOf.ts';
export { Chain, type Next, type BrokenChain } from './structural/Chain.ts';
export { Residual } from './structural/Residual.ts';
export { Passthrough } from './structural/Passthrough.ts';
export { Sum } from './structural/Sum.ts';
export { Parallel, type OutputsOf } from './structural/Parallel.ts';
export { Distribute } from './structural/Distribute.ts';
export { Concatenate, type ConcatenateOptions } from './structural/Concatenate.ts';
export { Matmul } from './structural/Matmul.ts';
export { Lambda } from './structural/Lambda.ts';
export { Identity } from './structural/Identity.ts';
export { GetArg } from './structural/GetArg.ts';
export { Return } from './structural/Return.ts';
export { Breakpoint } from './structural/Breakpoint.ts';
export { SetContext } from './context/SetContext.ts';
export { UseContext } from './context/UseContext.ts';
export { TakeContext } from './context/TakeContext.ts';
export { Linear, type LinearOptions } from './linear/Linear.ts';
export { MultiLinear, type MultiLinearOptions } from './linear/MultiLinear.ts';
export { Embedding, type EmbeddingOptions } from './linear/Embedding.ts';
export { Conv2d, type Conv2dLayerOptions, type Conv2dPaddingMode } from './conv/Conv2d.ts';
export { ConvTranspose2d, type ConvTranspose2dLayerOptions } from './conv/ConvTranspose2d.ts';
export {
  LayerNorm, type LayerNormOptions, GroupNorm, type GroupNormOptions, LayerNorm2d, type LayerNorm2dOptions,
  InstanceNorm2d, type InstanceNorm2dOptions, BatchNorm2d, type BatchNorm2dOptions,
} from './norm/norms.ts';
export { ScaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention/ScaledDotProductAttention.ts';
export {
  Attention, type AttentionLayerOptions, SelfAttention, type SelfAttentionOptions, SelfAttention2d, type SelfAttention2dOptions,
} from './attention/Attention.ts';
export {
  ReLU, SiLU, Sigmoid, Tanh, HardSwish, HardSigmoid, Sin, Cos, LeakyReLU, type LeakyReLUOptions, GeLU, type GeLUOptions,
} from './activation/activations.ts';
export { GLU } from './activation/GLU.ts';
export { Softmax, type SoftmaxOptions } from './activation/Softmax.ts';
export { Flatten, type FlattenOptions, Unflatten, Reshape, Transpose, Permute, Squeeze, Unsqueeze } from './shape/shape.ts';
export { Slicing, type SlicingOptions } from './shape/Slicing.ts';
export { Multiply, type MultiplyOptions } from './misc/elementwise.ts';
export { Parameter, type ParameterOptions } from './misc/Parameter.ts';
export { Converter, type ConverterOptions } from './misc/Converter.ts';
export { Pad, type PadLayerOptions, type PadLayerMode, ReflectionPad2d } from './misc/Pad.ts';
export {
  MaxPool1d, type MaxPool1dOptions, MaxPool2d, type MaxPool2dOptions, AvgPool2d, type AvgPool2dLayerOptions,
  Interpolate, type InterpolateLayerOptions, PixelUnshuffle,
} from './sampling/pooling.ts';
export { Downsample, type DownsampleOptions, Upsample, type UpsampleOptions, type SamplingNeed } from './sampling/Downsample.ts';
export { kaimingUniform, type SeedOptions } from './init.ts';
export {
  countParams, paramCountsByLayer, isFrozen, freezeParams, unfreezeParams,
  type ParamCounts, type FreezeOptions,
} from './params.ts';
