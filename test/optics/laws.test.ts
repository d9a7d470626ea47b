// The optics laws (laws/optics.ts) on random trees and paths, from the suite's fixed seed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chain, Identity, layerEquals, type AnyLayer } from 'canopy';
import {
  NumberLeaf,
  equivalentReplacementProperty,
  lensGetSet,
  lensLawsProperty,
  lensSetGet,
  lensSetSet,
  selectDeselectProperty,
  traversalLawsProperty,
} from '../../laws/optics.ts';
import { append, atPath, type Lens } from '../../src/optics/index.ts';

const numRuns = 150;

describe('optics laws', () => {
  it('lens get-set, set-get, set-set (index and name paths)', () => {
    fc.assert(lensLawsProperty(), { numRuns });
  });
  it('traversal identity and composition', () => {
    fc.assert(traversalLawsProperty(), { numRuns });
  });
  it('select then deselect', () => {
    fc.assert(selectDeselectProperty(), { numRuns });
  });
  it('replacing a node by an equivalent one keeps the outputs', () => {
    fc.assert(equivalentReplacementProperty(), { numRuns });
  });
  it('the predicates catch a broken lens (the laws are not vacuous)', () => {
    const m = Chain(NumberLeaf({ v: 1 }), Identity());
    const good = atPath('Leaf');
    const ignoresSet: Lens<AnyLayer, AnyLayer> = { _tag: 'Lens', get: good.get, set: () => (s) => s };
    const appends: Lens<AnyLayer, AnyLayer> = {
      _tag: 'Lens',
      get: (s) => s.children[s.children.length - 1]!,
      set: (a) => (s) => append(s, a),
    };
    expect(lensSetGet(ignoresSet)(m, NumberLeaf({ v: 2 }))).toBe(false);
    expect(lensGetSet(appends)(m)).toBe(false);
    expect(lensSetSet(appends, (a, b) => layerEquals(a, b))(m, Identity(), NumberLeaf({ v: 3 }))).toBe(false);
  });

  it('the predicates are plain functions users can call', () => {
    const m = Chain(NumberLeaf({ v: 1 }), Identity());
    expect(lensGetSet(atPath('Leaf'))(m)).toBe(true);
  });
});
