import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chainAssociativeProperty,
  contextualUNetEqualsExplicit,
  contextualUNetProperty,
  identityIsUnitProperty,
  numericFunctions,
  runIsPure,
  numericLayerArbitrary,
} from 'canopy-nn/laws';

const fn = (name: string) => numericFunctions.find((f) => f.name === name)!;

describe('law: contextual U-Net == explicit Residual', () => {
  it("holds for the seed's example (depth 3, square down, sqrt up)", () => {
    const sq = fn('square');
    const rt = fn('sqrtAbs');
    expect(contextualUNetEqualsExplicit([sq, sq, sq], [rt, rt, rt], 2.0)).toBe(true);
  });

  it('holds bit-exactly for random depths 1..8, functions and inputs', () => {
    fc.assert(contextualUNetProperty(8));
  });
});

describe('laws of Chain', () => {
  it('is associative on outputs and final contexts', () => {
    fc.assert(chainAssociativeProperty());
  });

  it('has Identity as its unit', () => {
    fc.assert(identityIsUnitProperty());
  });
});

describe('law: running is pure', () => {
  it('never changes the model, the inputs or the contexts passed in', () => {
    fc.assert(
      fc.property(numericLayerArbitrary(), fc.integer({ min: -3, max: 3 }), (layer, x) =>
        runIsPure(layer, [x], { contexts: { law: { acc: 1 } } }),
      ),
    );
  });
});
