// select, the one editing API: paths, narrowing, reading, editing, and the structural sharing
// of every edit.
import { describe, expect, it } from 'vitest';
import { CanopyError, Chain, Identity, Lambda, Residual, Sum, childNames, layerEquals, runSync, select, structuralCopy } from 'canopy-nn';
import { Leaf } from './helpers.ts';

const deep = (): ReturnType<typeof Chain> =>
  Chain(Sum(Chain(Leaf({ v: 1 }), Leaf({ v: 2 })), Leaf({ v: 3 })), Residual(Leaf({ v: 4 })), Chain(Leaf({ v: 5 })));
const values = (m: ReturnType<typeof Chain>) => select(m).atKind(Leaf).get().map((n) => n.attrs['v']);

describe('paths', () => {
  it('name paths, index paths and mixed paths address the same node', () => {
    const m = deep();
    const target = m.children[0]!.children[0]!.children[1]!;
    for (const p of ['Sum.Chain.Leaf_2', [0, 0, 1], ['Sum', 0, -1], '0.Chain.-1'] as const) expect(select(m).at(p).one()).toBe(target);
    expect(select(m).at([0, 0, 1]).paths()).toEqual(['Sum.Chain.Leaf_2']);
    expect(select(m).at('').one()).toBe(m);
  });

  it('paths() gives back strings that at() accepts, for every node', () => {
    const m = deep();
    const all = select(m).atDescendants(() => true, { nested: true });
    expect(all.paths()).toEqual([
      'Sum', 'Sum.Chain', 'Sum.Chain.Leaf_1', 'Sum.Chain.Leaf_2', 'Sum.Leaf', 'Residual', 'Residual.Leaf', 'Chain', 'Chain.Leaf',
    ]);
    for (const [i, p] of all.paths().entries()) expect(select(m).at(p).one()).toBe(all.get()[i]);
  });

  it("the path of a run error selects the layer that failed (one convention: no root name)", () => {
    const boom = Lambda((): number => {
      throw new Error('boom');
    });
    const m = Chain(Identity(), Sum(Identity(), Chain(Identity(), boom)));
    let err: unknown;
    try {
      runSync(m, [1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CanopyError);
    const path = (err as CanopyError).path!;
    expect(path).toBe('Sum.Chain.Lambda');
    expect(select(m).at(path).one()).toBe(boom);
    expect(select(m).atKind(Lambda).paths()).toEqual([path]);
  });
});

describe('editing', () => {
  it('set rebuilds the spine only: every untouched subtree is the same object', () => {
    const m = deep();
    const m2 = select(m).at('Sum.Chain.Leaf_2').set(Leaf({ v: 20 }));
    expect(m2).not.toBe(m);
    expect(m2.children[1]).toBe(m.children[1]);
    expect(m2.children[2]).toBe(m.children[2]);
    expect(m2.children[0]!.children[1]).toBe(m.children[0]!.children[1]);
    expect(m2.children[0]!.children[0]!.children[0]).toBe(m.children[0]!.children[0]!.children[0]);
    expect([runSync(m, [0]).output, runSync(m2, [0]).output]).toEqual([21, 57]); // the Residual doubles the change
  });

  it('a no-op edit returns the same root', () => {
    const m = deep();
    const leaf2 = select(m).at('Sum.Chain.Leaf_2');
    expect(leaf2.set(leaf2.one())).toBe(m);
    expect(leaf2.apply((n) => n)).toBe(m);
    expect(select(m).atKind(Leaf).apply((n) => n)).toBe(m);
    expect(select(m).atKind(Sum).remove()).not.toBe(m);
    expect(select(m).atKind(Chain).atKind(Sum).remove()).toBe(m); // nothing selected
  });

  it('apply / set / insertBefore / insertAfter / remove / get', () => {
    const m = deep();
    const s = select(m).atKind(Leaf).where((n) => (n.attrs['v'] as number) % 2 === 1);
    expect(s.paths()).toEqual(['Sum.Chain.Leaf_1', 'Sum.Leaf', 'Chain.Leaf']);
    expect(s.get().map((n) => n.attrs['v'])).toEqual([1, 3, 5]);

    const removed = s.remove();
    expect(values(removed)).toEqual([2, 4]);
    expect(childNames(removed.children[0]!)).toEqual(['Chain']);

    const marker = Lambda((x: number) => x);
    expect(childNames(s.insertBefore(marker).children[0]!.children[0]!)).toEqual(['Lambda', 'Leaf_1', 'Leaf_2']);
    expect(childNames(s.insertAfter(marker).children[0]!)).toEqual(['Chain', 'Leaf', 'Lambda']);

    const zeroed = s.set(Leaf({ v: 0 }));
    expect(values(zeroed)).toEqual([0, 2, 0, 4, 0]);
    expect(zeroed.children[1]).toBe(m.children[1]);

    expect(childNames(s.apply((n, f) => (f.path === 'Sum.Leaf' ? Identity() : n)).children[0]!)).toEqual(['Chain', 'Identity']);
  });

  it('insertChild uses Refiners index rules on every selected container', () => {
    const m = deep();
    const marker = Lambda((x: number) => x);
    const m2 = select(m).atKind(Chain).insertChild(-1, marker);
    expect(childNames(m2.children[0]!.children[0]!)).toEqual(['Leaf_1', 'Leaf_2', 'Lambda']);
    expect(childNames(m2.children[2]!)).toEqual(['Leaf', 'Lambda']);
    expect(childNames(select(m).at('Chain').insertChild(-2, marker).children[2]!)).toEqual(['Lambda', 'Leaf']);
  });

  it('edits are values: the input model never changes', () => {
    const m = deep();
    const copy = structuralCopy(m);
    select(m).atKind(Leaf).remove();
    select(m).at('Sum').set(Identity());
    select(m).atKind(Chain).insertChild(0, Identity());
    expect(layerEquals(m, copy)).toBe(true);
  });
});

describe('narrowing and reading', () => {
  it('atKind focuses the outermost matches, in pre-order; where and nth filter', () => {
    const m = deep();
    expect(values(m)).toEqual([1, 2, 3, 4, 5]);
    expect(select(m).atKind(Chain).count).toBe(2); // Sum.Chain and Chain; not the root
    expect(select(m).children().where(Residual).one()).toBe(m.children[1]);
    expect(select(m).atKind(Leaf).nth(-1).paths()).toEqual(['Chain.Leaf']);
  });

  it('atDescendants sees the node, its path and its parent; prune skips a subtree; nested reads matches inside matches', () => {
    const m = deep();
    const seen: string[] = [];
    const s = select(m).atDescendants((node, f) => {
      seen.push(`${f.path}<${f.parent?.kind.name}`);
      return node.kind === Leaf.kind && f.parent?.kind === Chain.kind;
    });
    expect(s.get().map((n) => n.attrs['v'])).toEqual([1, 2, 5]);
    expect(seen).toContain('Sum.Chain.Leaf_1<Chain');
    expect(select(m).atDescendants((n) => (n.kind === Sum.kind ? 'prune' : n.kind === Leaf.kind)).paths()).toEqual(['Residual.Leaf', 'Chain.Leaf']);
    const chains = select(m).atDescendants((n) => n.kind === Chain.kind || n.kind === Sum.kind, { nested: true });
    expect(chains.paths()).toEqual(['Sum', 'Sum.Chain', 'Chain']);
    expect(() => chains.set(Identity())).toThrow('edit: the selected nodes must be disjoint to be edited, got Sum.Chain overlapping another one (at Sum.Chain)');
  });

  it('narrows with at, children; one() reads a single node and asserts its kind', () => {
    const m = deep();
    expect(select(m).at('Sum').children().count).toBe(2);
    expect(select(m).atKind(Sum).at('Chain.Leaf_2').one(Leaf).attrs['v']).toBe(2);
    expect(select(m).atDescendants((n) => n.kind === Residual.kind).ensureOne().paths()).toEqual(['Residual']);
  });
});

describe('map and deselect', () => {
  it('deselect gives back the same root, and puts back what map changed', () => {
    const m = deep();
    const leaves = select(m).atKind(Leaf);
    expect(leaves.deselect()).toBe(m);
    const bumped = leaves.map((n) => Leaf({ v: (n.attrs['v'] as number) + 10 }));
    expect(bumped.root).toBe(m); // nothing is rebuilt until deselect
    expect(bumped.get().map((n) => n.attrs['v'])).toEqual([11, 12, 13, 14, 15]);
    const m2 = bumped.deselect();
    expect(values(m2)).toEqual([11, 12, 13, 14, 15]);
    expect(values(m)).toEqual([1, 2, 3, 4, 5]);
    expect(bumped.deselect()).toEqual(m2);
    expect(leaves.map((n) => n).deselect()).toBe(m);
  });

  it('narrowing after map looks into the changed nodes', () => {
    const m = deep();
    const m2 = select(m)
      .atKind(Residual)
      .map((r) => Residual(Leaf({ v: 40 }), Leaf({ v: 41 })))
      .atKind(Leaf)
      .where((n) => n.attrs['v'] === 41)
      .set(Leaf({ v: 42 }));
    expect(values(m2)).toEqual([1, 2, 3, 40, 42, 5]);
    expect(m2.children[0]).toBe(m.children[0]);
  });

  it('splicing after map inserts next to the changed nodes, not the old ones', () => {
    const m = deep();
    const m2 = select(m)
      .at('Chain')
      .children()
      .map(() => Leaf({ v: 50 }))
      .insertBefore(Identity());
    expect(childNames(m2.children[2]!)).toEqual(['Identity', 'Leaf']);
    expect(values(m2)).toEqual([1, 2, 3, 4, 50]);
  });
});
