// Lenses, traversals and selections on layer trees, and the structural sharing of every edit.
import { describe, expect, it } from 'vitest';
import { pipe } from 'fp-ts/function';
import { Chain, Identity, Lambda, Residual, Sum, childNames, layerEquals, runSync } from 'canopy';
import {
  atIndices,
  atPath,
  atPathOfKind,
  attr,
  compose,
  eachChild,
  formatPath,
  fromRefinersPath,
  matching,
  modify,
  modifyLens,
  ofKind,
  resolvePath,
  select,
  set,
  structuralCopy,
  view,
  viewAll,
} from '../../src/optics/index.ts';
import { Leaf } from './helpers.ts';

const deep = (): ReturnType<typeof Chain> =>
  Chain(Sum(Chain(Leaf({ v: 1 }), Leaf({ v: 2 })), Leaf({ v: 3 })), Residual(Leaf({ v: 4 })), Chain(Leaf({ v: 5 })));

describe('paths', () => {
  it('name paths, index paths and mixed paths address the same node', () => {
    const m = deep();
    const target = m.children[0]!.children[0]!.children[1]!;
    expect(atPath('Sum.Chain.Leaf_2').get(m)).toBe(target);
    expect(atPath([0, 0, 1]).get(m)).toBe(target);
    expect(atPath(['Sum', 0, -1]).get(m)).toBe(target);
    expect(atPath('0.Chain.-1').get(m)).toBe(target);
    expect(formatPath(m, [0, 0, 1])).toBe('Sum.Chain.Leaf_2');
    expect(resolvePath(m, 'Sum.Chain.Leaf_2')).toEqual({ _tag: 'Right', right: [0, 0, 1] });
  });

  it("accepts Refiners' get_path strings through fromRefinersPath (the root's name first)", () => {
    const m = deep();
    expect(fromRefinersPath(m, 'Chain.Sum.Chain.Leaf_2')).toBe('Sum.Chain.Leaf_2');
    expect(() => fromRefinersPath(m, 'Sum.Chain')).toThrow('fromRefinersPath: a Refiners path must start with the root\'s name "Chain", got "Sum.Chain"');
  });
});

describe('lenses', () => {
  it('set rebuilds the spine only: every untouched subtree is the same object', () => {
    const m = deep();
    const m2 = atPath('Sum.Chain.Leaf_2').set(Leaf({ v: 20 }))(m);
    expect(m2).not.toBe(m);
    expect(m2.children[1]).toBe(m.children[1]);
    expect(m2.children[2]).toBe(m.children[2]);
    expect(m2.children[0]!.children[1]).toBe(m.children[0]!.children[1]);
    expect(m2.children[0]!.children[0]!.children[0]).toBe(m.children[0]!.children[0]!.children[0]);
    expect([runSync(m, [0]).output, runSync(m2, [0]).output]).toEqual([21, 57]); // the Residual doubles the change
  });

  it('a no-op edit returns the same root', () => {
    const m = deep();
    const l = atPath('Sum.Chain.Leaf_2');
    expect(l.set(l.get(m))(m)).toBe(m);
    expect(modifyLens(l, (n) => n)(m)).toBe(m);
    expect(set(compose(l, attr('v')), 2)(m)).toBe(m);
    expect(modify(ofKind(Leaf), (n) => n)(m)).toBe(m);
    expect(select(m).atKind(Leaf).apply((n) => n)).toBe(m);
  });

  it('compose with an attribute lens reaches a value inside a node', () => {
    const m = deep();
    const v = compose(atPath('Residual.Leaf'), attr('v'));
    expect(v.get(m)).toBe(4);
    const m2 = pipe(m, set(v, 40));
    expect(v.get(m2)).toBe(40);
    expect(layerEquals(m2, m)).toBe(false);
  });

  it('atPathOfKind asserts the kind on read', () => {
    const m = deep();
    expect(atPathOfKind('Residual', Residual).get(m)).toBe(m.children[1]);
    expect(() => atPathOfKind('Residual', Sum).get(m)).toThrow('atPathOfKind: the node at "Residual" must be a Sum, got a Residual');
  });

  it('a name path can stop resolving after a kind-changing set; an index path cannot (quirk (a))', () => {
    const m = Chain(Leaf({ v: 1 }), Leaf({ v: 2 }));
    const m2 = atPath('Leaf_2').set(Identity())(m);
    expect(childNames(m2)).toEqual(['Leaf', 'Identity']); // Leaf_1 was renamed Leaf
    expect(() => atPath('Leaf_2').get(m2)).toThrow(/got no child "Leaf_2"/);
    expect(atIndices([1]).get(m2).kind.name).toBe('Identity');
  });
});

describe('traversals', () => {
  it('ofKind focuses the outermost matches, in pre-order', () => {
    const m = deep();
    expect(viewAll(ofKind(Leaf))(m).map((n) => n.attrs['v'])).toEqual([1, 2, 3, 4, 5]);
    expect(viewAll(ofKind(Chain))(m).length).toBe(2); // Sum.Chain and Chain; not the root
    expect(view(ofKind(Residual))(m)).toBe(m.children[1]);
  });

  it('matching sees the node, its path and its parent', () => {
    const m = deep();
    const seen: string[] = [];
    const t = matching((node, f) => {
      seen.push(`${f.path}<${f.parent?.kind.name}`);
      return node.kind === Leaf.kind && f.parent?.kind === Chain.kind;
    });
    expect(viewAll(t)(m).map((n) => n.attrs['v'])).toEqual([1, 2, 5]);
    expect(seen).toContain('Sum.Chain.Leaf_1<Chain');
  });

  it('compose(ofKind, eachChild) and modify edit every focus in one pass, sharing the rest', () => {
    const m = deep();
    const bump = (n: ReturnType<typeof Leaf>) => Leaf({ v: (n.attrs['v'] as number) + 100 });
    const m2 = modify(compose(ofKind(Chain), eachChild()), (n) => (n.kind === Leaf.kind ? bump(n as ReturnType<typeof Leaf>) : n))(m);
    expect(viewAll(ofKind(Leaf))(m2).map((n) => n.attrs['v'])).toEqual([101, 102, 3, 4, 105]);
    expect(m2.children[1]).toBe(m.children[1]);
  });
});

describe('select', () => {
  it('apply / set / insertBefore / insertAfter / remove / get', () => {
    const m = deep();
    const s = select(m).atKind(Leaf).where((n) => (n.attrs['v'] as number) % 2 === 1);
    expect(s.paths()).toEqual(['Sum.Chain.Leaf_1', 'Sum.Leaf', 'Chain.Leaf']);
    expect(s.get().map((n) => n.attrs['v'])).toEqual([1, 3, 5]);

    const removed = s.remove();
    expect(viewAll(ofKind(Leaf))(removed).map((n) => n.attrs['v'])).toEqual([2, 4]);
    expect(childNames(removed.children[0]!)).toEqual(['Chain']);

    const marker = Lambda((x: number) => x);
    const before = s.insertBefore(marker);
    expect(childNames(before.children[0]!.children[0]!)).toEqual(['Lambda', 'Leaf_1', 'Leaf_2']);
    const after = s.insertAfter(marker);
    expect(childNames(after.children[0]!)).toEqual(['Chain', 'Leaf', 'Lambda']);

    const zeroed = s.set(Leaf({ v: 0 }));
    expect(viewAll(ofKind(Leaf))(zeroed).map((n) => n.attrs['v'])).toEqual([0, 2, 0, 4, 0]);
    expect(zeroed.children[1]).toBe(m.children[1]);

    const applied = s.apply((n, f) => (f.path === 'Sum.Leaf' ? Identity() : n));
    expect(childNames(applied.children[0]!)).toEqual(['Chain', 'Identity']);
  });

  it('narrows with at, children and atDescendants; one() reads a single node', () => {
    const m = deep();
    expect(select(m).at('Sum').children().count).toBe(2);
    expect(select(m).atKind(Sum).at('Chain.Leaf_2').one().attrs['v']).toBe(2);
    expect(select(m).atDescendants((n) => n.kind === Residual.kind).ensureOne().paths()).toEqual(['Residual']);
  });

  it('deselect gives back the same root', () => {
    const m = deep();
    expect(select(m).atKind(Leaf).deselect()).toBe(m);
  });

  it('edits are values: the input model never changes', () => {
    const m = deep();
    const copy = structuralCopy(m);
    select(m).atKind(Leaf).remove();
    atPath('Sum').set(Identity())(m);
    expect(layerEquals(m, copy)).toBe(true);
  });
});
