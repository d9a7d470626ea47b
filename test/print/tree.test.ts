import { describe, expect, it } from 'vitest';
import { LeakyReLU, Linear, ReLU, freezeParams, Chain, Concatenate, Lambda, Residual, Sum, Identity, named, printTree, provide, UseContext, layerLabel } from 'canopy';
import { linear } from '../helpers/fakeLinear.ts';

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
