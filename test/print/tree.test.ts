import { describe, expect, it } from 'vitest';
import {
  LeakyReLU, Linear, ReLU, freezeParams, Chain, Concatenate, Lambda, Residual, Sum, Identity, named, printTree, provide, UseContext, layerLabel,
  defineLayer, LinearLora, Conv2dLora, LoraAdapter, Conv2d, inject, MaxPool2d,
} from 'canopy-nn';
import { linear } from '../helpers/fakeLinear.ts';

// Stand-ins printing Refiners' attribute names, to compare with Refiners' own printouts.
const refinersLeaf = <A extends Record<string, unknown>>(name: string) => defineLayer({ name, forward: ([x]: [number], _self: { attrs: A }) => x });
const FakeConv2d = refinersLeaf<{ in_channels: number; out_channels: number; kernel_size: readonly number[]; device: string; dtype: string }>('Conv2d');
const FakeMaxPool2d = refinersLeaf<{ kernel_size: number; stride: number }>('MaxPool2d');
const FakeFlatten = refinersLeaf<{ start_dim: number }>('Flatten');
const Softmax = refinersLeaf<Record<string, never>>('Softmax');

describe('printTree', () => {
  it("matches Refiners' fixture (tests/fluxion/layers/test_chain.py) exactly", () => {
    const model = Chain(linear(1, 1), linear(1, 1), Chain(linear(1, 1), linear(2, 1)));
    expect(printTree(model)).toBe(
      [
        '(CHAIN)',
        '    ├── Linear(in_features=1, out_features=1, device=cpu, dtype=float32) (x2)',
        '    └── (CHAIN)',
        '        ├── Linear(in_features=1, out_features=1, device=cpu, dtype=float32) #1',
        '        └── Linear(in_features=2, out_features=1, device=cpu, dtype=float32) #2',
      ].join('\n'),
    );
  });

  it("matches Refiners' docs printout (docs/concepts/chain.md, BasicModel): identical ReLUs apart are numbered #1 #2", () => {
    const model = named(
      'BasicModel',
      Chain(
        FakeConv2d({ in_channels: 1, out_channels: 128, kernel_size: [3, 3], device: 'cpu', dtype: 'float32' }),
        ReLU(),
        FakeMaxPool2d({ kernel_size: 2, stride: 2 }),
        FakeFlatten({ start_dim: 1 }),
        linear(21632, 200),
        ReLU(),
        linear(200, 10),
        Softmax({}),
      ),
    );
    expect(printTree(model)).toBe(
      [
        '(CHAIN) BasicModel()',
        '    ├── Conv2d(in_channels=1, out_channels=128, kernel_size=(3, 3), device=cpu, dtype=float32)',
        '    ├── ReLU() #1',
        '    ├── MaxPool2d(kernel_size=2, stride=2)',
        '    ├── Flatten(start_dim=1)',
        '    ├── Linear(in_features=21632, out_features=200, device=cpu, dtype=float32) #1',
        '    ├── ReLU() #2',
        '    ├── Linear(in_features=200, out_features=10, device=cpu, dtype=float32) #2',
        '    └── Softmax()',
      ].join('\n'),
    );
  });

  // Expected texts below are what Refiners' ModuleTree prints for the same trees
  // (fluxion/layers/module.py: fold identical successive siblings, then number by class).
  it('numbers every same-kind sibling, identical or not: Linear(1,1), Linear(2,1), Linear(1,1) → #1 #2 #3', () => {
    expect(printTree(Chain(linear(1, 1), linear(2, 1), linear(1, 1)))).toBe(
      [
        '(CHAIN)',
        '    ├── Linear(in_features=1, out_features=1, device=cpu, dtype=float32) #1',
        '    ├── Linear(in_features=2, out_features=1, device=cpu, dtype=float32) #2',
        '    └── Linear(in_features=1, out_features=1, device=cpu, dtype=float32) #3',
      ].join('\n'),
    );
  });

  it("folds first, then numbers: 'X (x2) #1'", () => {
    expect(printTree(Chain(linear(1, 1), linear(1, 1), linear(2, 1), ReLU()))).toBe(
      [
        '(CHAIN)',
        '    ├── Linear(in_features=1, out_features=1, device=cpu, dtype=float32) (x2) #1',
        '    ├── Linear(in_features=2, out_features=1, device=cpu, dtype=float32) #2',
        '    └── ReLU()',
      ].join('\n'),
    );
  });

  it('numbers a node cut at the depth limit before its "..."', () => {
    expect(printTree(Chain(Chain(Identity()), Chain(ReLU())), { depth: 1 })).toBe(['(CHAIN)', '    ├── (CHAIN) #1 ...', '    └── (CHAIN) #2 ...'].join('\n'));
  });

  it("prints LoRA layers with Refiners' constructor attributes (in Refiners' order, defaults left out)", () => {
    const lin = Linear({ inFeatures: 320, outFeatures: 640 });
    expect(layerLabel(LinearLora('style', { inFeatures: 320, outFeatures: 640, rank: 4 }))).toBe('(CHAIN) LinearLora(inFeatures=320, outFeatures=640, name=style)');
    expect(layerLabel(Conv2dLora('style', { inChannels: 4, outChannels: 8 }))).toBe('(CHAIN) Conv2dLora(inChannels=4, outChannels=8, name=style)');
    expect(layerLabel(Conv2dLora('style', { inChannels: 4, outChannels: 8, kernelSize: [3, 1], padding: [1, 0] }))).toBe(
      '(CHAIN) Conv2dLora(inChannels=4, outChannels=8, kernelSize=(3, 1), padding=(1, 0), name=style)',
    );
    const adapted = inject(Chain(lin), 'Linear', (t) => LoraAdapter(t, LinearLora('style', { inFeatures: 320, outFeatures: 640, rank: 4 })));
    expect(printTree(adapted)).toBe(
      [
        '(CHAIN)',
        '    └── (SUM) LoraAdapter()',
        '        ├── Linear(inFeatures=320, outFeatures=640)',
        '        └── (CHAIN) LinearLora(inFeatures=320, outFeatures=640, name=style)',
        '            ├── Linear(inFeatures=320, outFeatures=4, bias=false) #1',
        '            ├── Linear(inFeatures=4, outFeatures=640, bias=false) #2',
        '            └── Multiply()',
      ].join('\n'),
    );
    expect(layerLabel(Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3 }))).toBe('Conv2d(inChannels=1, outChannels=2, kernelSize=(3, 3))');
  });

  it('prints MaxPool2d with the kernel size given (and the stride it implies), as Refiners does', () => {
    expect(layerLabel(MaxPool2d({ kernelSize: 2 }))).toBe('MaxPool2d(kernelSize=2, stride=2)');
    expect(layerLabel(MaxPool2d({ kernelSize: [2, 3], padding: 1 }))).toBe('MaxPool2d(kernelSize=(2, 3), stride=(2, 3), padding=1)');
  });

  it('draws │ under a non-last child and tags subkinds and Residual with their names', () => {
    const model = named('MyModel', Chain(Residual(Identity()), Sum(Identity(), Identity()), Identity()));
    expect(printTree(model)).toBe(
      [
        '(CHAIN) MyModel()',
        '    ├── (RES) Residual()',
        '    │   └── Identity()',
        '    ├── (SUM)',
        '    │   └── Identity() (x2)',
        '    └── Identity()',
      ].join('\n'),
    );
  });

  it('stops at the depth limit with "..."', () => {
    const model = Chain(Chain(Chain(Identity())));
    expect(printTree(model, { depth: 1 })).toBe(['(CHAIN)', '    └── (CHAIN) ...'].join('\n'));
  });

  it('labels leaves with non-default basic attributes only', () => {
    expect(layerLabel(Concatenate({ dim: 1 }, Identity()))).toBe('(CAT)');
    expect(layerLabel(UseContext('a', 'b'))).toBe('UseContext(context=a, key=b)');
    const square = (x: number) => x * x;
    expect(layerLabel(Lambda(square))).toBe('Lambda(square)');
    expect(layerLabel(Lambda((x: number) => x + 1))).toBe('Lambda((x) => x + 1)');
  });

  it('shows parameter counts per weighted layer and the totals on request', () => {
    const m = Chain(Linear({ inFeatures: 3, outFeatures: 2 }), ReLU(), freezeParams(Linear({ inFeatures: 2, outFeatures: 2 })));
    expect(printTree(m, { params: true })).toBe(
      [
        '(CHAIN) [14 params, 8 trainable]',
        '    ├── Linear(inFeatures=3, outFeatures=2) [8 params] #1',
        '    ├── ReLU()',
        '    └── Linear(inFeatures=2, outFeatures=2, frozen=true) [6 params] #2',
      ].join('\n'),
    );
  });

  it('prints float32 attributes in their shortest form', () => {
    expect(layerLabel(LeakyReLU({ negativeSlope: Math.fround(0.1) }))).toBe('LeakyReLU(negativeSlope=0.1)');
    expect(layerLabel(LeakyReLU({ negativeSlope: 0.123456789 }))).toBe('LeakyReLU(negativeSlope=0.123456789)');
  });

  it('is a pure function of the value: a structural copy prints the same', () => {
    const m = provide(Chain(linear(1, 2), Chain(linear(2, 2))), { ns: { k: 1 } });
    const copy = Chain(linear(1, 2), Chain(linear(2, 2)));
    expect(printTree(copy)).toBe(printTree(m));
  });
});
