// The laws of the editing API (laws/optics.ts) on random trees and paths, from the suite's fixed seed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chain, Identity, structuralCopy, type AnyLayer, type Selection } from 'canopy-nn';
import {
  NumberLeaf,
  equivalentReplacementProperty,
  selectApplyComposition,
  selectDeselect,
  selectDeselectProperty,
  selectGetSet,
  selectLensLawsProperty,
  selectSetGet,
  selectSetSet,
  selectTraversalLawsProperty,
} from '../../laws/optics.ts';

const numRuns = 150;

describe('laws of select', () => {
  it('lens get-set, set-get, set-set (index and name paths)', () => {
    fc.assert(selectLensLawsProperty(), { numRuns });
  });
  it('traversal identity and composition', () => {
    fc.assert(selectTraversalLawsProperty(), { numRuns });
  });
  it('select then deselect', () => {
    fc.assert(selectDeselectProperty(), { numRuns });
  });
  it('replacing a node by an equivalent one keeps the outputs', () => {
    fc.assert(equivalentReplacementProperty(), { numRuns });
  });

  it('the predicates catch broken selections (the laws are not vacuous)', () => {
    const m = Chain(NumberLeaf({ v: 1 }), Identity());
    const leaf = (s: Selection): Selection => s.at('Leaf');
    // each query hands the laws a selection with one operation broken
    const patch = (sel: Selection, broken: Partial<Selection>): Selection => Object.assign(Object.create(sel) as Selection, broken);
    const ignoresSet = (s: Selection): Selection => patch(leaf(s), { set: () => s.root });
    const copiesOnApply = (s: Selection): Selection => patch(leaf(s), { apply: (f) => structuralCopy(leaf(s).apply(f)) });
    const appendsOnSet = (s: Selection): Selection => patch(leaf(s), { set: (a) => s.insertChild(-1, a) });
    const appliesTwice = (s: Selection): Selection => patch(leaf(s), { apply: (f) => leaf(s).apply((n, at) => f(f(n, at), at)) });
    const copiesOnDeselect = (s: Selection): Selection => patch(leaf(s), { deselect: () => structuralCopy(s.root) });
    expect(selectSetGet(ignoresSet)(m, NumberLeaf({ v: 2 }))).toBe(false);
    expect(selectGetSet(copiesOnApply)(m)).toBe(false);
    expect(selectSetSet(appendsOnSet)(m, Identity(), NumberLeaf({ v: 3 }))).toBe(false);
    const v = (n: AnyLayer): number => n.attrs['v'] as number;
    const bump = (n: AnyLayer): AnyLayer => NumberLeaf({ v: v(n) + 1 });
    const twice = (n: AnyLayer): AnyLayer => NumberLeaf({ v: v(n) * 2 });
    expect(selectApplyComposition(appliesTwice)(m, bump, twice)).toBe(false);
    expect(selectDeselect(copiesOnDeselect)(m)).toBe(false);
    // and the same predicates hold for the real selection
    expect([selectSetGet(leaf)(m, NumberLeaf({ v: 2 })), selectGetSet(leaf)(m), selectApplyComposition(leaf)(m, bump, twice), selectDeselect(leaf)(m)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});
