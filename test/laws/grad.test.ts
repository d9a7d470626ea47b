// The gradient laws on every built-in layer: analytic gradients (parameters and inputs) agree with
// central finite differences in float32; the contextual U-Net and its explicit twin have equal
// gradients bit for bit.
import { describe, expect, it } from 'vitest';
import {
  type AnyLayer, AvgPool2d, BatchNorm2d, Chain, Conv2d, ConvTranspose2d, Cos, Downsample, Embedding, Flatten, GLU, GeLU, GroupNorm,
  HardSigmoid, HardSwish, InstanceNorm2d, Interpolate, Lambda, LayerNorm, LayerNorm2d, LeakyReLU, Linear, MaxPool2d,
  MultiLinear, Multiply, Pad, Parameter, PixelUnshuffle, ReLU, ReflectionPad2d, SelfAttention, SelfAttention2d, Attention,
  SiLU, Sigmoid, Sin, Slicing, Softmax, Tanh, Transpose, Upsample, fromArray, makeTensor, randn, type Tensor,
} from '../../src/index.ts';
import { gradCheck, unetGradientsEqual } from 'canopy-nn/laws';

const x2 = randn([3, 6], 1);
const x4 = randn([2, 4, 6, 6], 2);

const cases: [string, AnyLayer, unknown[]][] = [
  ['Linear', Linear({ inFeatures: 6, outFeatures: 4, seed: 1 }), [x2]],
  ['MultiLinear', MultiLinear({ inputDim: 6, outputDim: 3, innerDim: 5, numLayers: 2, seed: 1 }), [x2]],
  ['Embedding', Embedding({ numEmbeddings: 5, embeddingDim: 3, seed: 1 }), [fromArray([[1, 4, 1], [0, 2, 3]], 'int32')]],
  ['Conv2d', Conv2d({ inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, padding: 1, groups: 2, seed: 1 }), [x4]],
  ['Conv2d dilated, reflect', Conv2d({ inChannels: 4, outChannels: 2, kernelSize: 3, dilation: 2, padding: 2, paddingMode: 'reflect', seed: 1 }), [x4]],
  ['ConvTranspose2d', ConvTranspose2d({ inChannels: 4, outChannels: 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, seed: 1 }), [x4]],
  ['LayerNorm', LayerNorm({ normalizedShape: 6 }), [x2]],
  ['GroupNorm', GroupNorm({ channels: 4, numGroups: 2 }), [x4]],
  ['LayerNorm2d', LayerNorm2d({ channels: 4 }), [x4]],
  ['InstanceNorm2d', InstanceNorm2d({ numFeatures: 4 }), [x4]],
  ['BatchNorm2d', BatchNorm2d({ numFeatures: 4 }), [x4]],
  ['SelfAttention', SelfAttention({ embeddingDim: 6, numHeads: 2, seed: 1 }), [randn([2, 3, 6], 3)]],
  ['Attention', Attention({ embeddingDim: 6, numHeads: 2, seed: 1 }), [randn([2, 3, 6], 3), randn([2, 4, 6], 4), randn([2, 4, 6], 5)]],
  ['SelfAttention2d', SelfAttention2d({ channels: 4, seed: 1 }), [randn([1, 4, 3, 3], 3)]],
  ['ReLU', ReLU(), [x2]],
  ['SiLU', SiLU(), [x2]],
  ['Sigmoid', Sigmoid(), [x2]],
  ['Tanh', Tanh(), [x2]],
  ['GeLU', GeLU(), [x2]],
  ['GeLU tanh', GeLU({ approximation: 'tanh' }), [x2]],
  ['HardSwish', HardSwish(), [x2]],
  ['HardSigmoid', HardSigmoid(), [x2]],
  ['LeakyReLU', LeakyReLU({ negativeSlope: 0.1 }), [x2]],
  ['GLU', GLU(Sigmoid()), [x2]],
  ['Softmax', Softmax({ dim: 1 }), [x2]],
  ['Sin', Sin(), [x2]],
  ['Cos', Cos(), [x2]],
  ['Multiply', Multiply({ scale: 2, bias: 1 }), [x2]],
  ['Parameter', Parameter({ dims: [2, 3], seed: 1 }), [x2]],
  ['Flatten', Flatten({ startDim: 1 }), [x4]],
  ['Transpose', Transpose({ dim0: 0, dim1: 1 }), [x2]],
  ['Slicing', Slicing({ dim: 1, start: 1, end: 5, step: 2 }), [x2]],
  ['Pad replicate', Pad({ pad: [1, 2, 2, 1], mode: 'replicate' }), [x4]],
  ['ReflectionPad2d', ReflectionPad2d({ padding: 2 }), [x4]],
  ['MaxPool2d', MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 }), [x4]],
  ['AvgPool2d', AvgPool2d({ kernelSize: 2 }), [x4]],
  ['Interpolate bilinear', Interpolate({ mode: 'bilinear' }), [x4, [9, 9]]],
  ['PixelUnshuffle', PixelUnshuffle({ downscaleFactor: 2 }), [x4]],
  ['Downsample', Downsample({ channels: 4, scaleFactor: 2, padding: 1, registerShape: false, seed: 1 }), [x4]],
  ['Upsample', Upsample({ channels: 4, upsampleFactor: 2, seed: 1 }), [x4]],
  ['Chain', Chain(Linear({ inFeatures: 6, outFeatures: 5, seed: 2 }), SiLU(), LayerNorm({ normalizedShape: 5 }), Linear({ inFeatures: 5, outFeatures: 2, seed: 3 })), [x2]],
];

describe('law: analytic gradients agree with finite differences on every built-in layer', () => {
  for (const [name, layer, inputs] of cases) {
    it(name, async () => {
      const r = await gradCheck(layer, inputs);
      expect(r.mismatches).toEqual([]);
      expect(r.checked).toBeGreaterThan(0);
    });
  }

  it('catches a layer whose gradient does not reach its input (computed on the host)', async () => {
    const hostSquare = Lambda((x: Tensor) => makeTensor((x.data as Float32Array).map((v) => v * v), x.shape));
    const r = await gradCheck(hostSquare, [x2]);
    expect(r.ok).toBe(false);
    expect(r.mismatches[0]!.where).toMatch(/^input #0/);
  });
});

describe('law: contextual U-Net and explicit Residual twin have equal gradients', () => {
  for (const depth of [1, 2, 4]) {
    it(`depth ${depth}, bit for bit`, async () => {
      expect(await unetGradientsEqual(depth, 5, randn([3, 5], depth))).toBe(true);
    });
  }
});
