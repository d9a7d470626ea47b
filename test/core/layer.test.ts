// The layer protocol: frozen values, derived names, structural equality, user kinds.
import { describe, expect, it } from 'vitest';
import {
  Chain,
  Identity,
  Lambda,
  Residual,
  Sum,
  childNames,
  defineContainer,
  defineLayer,
  isKind,
  layerEquals,
  named,
  printTree,
  provide,
  run,
  runSync,
  SetContext,
  withChildren,
} from 'canopy-nn';
import { nameSiblings } from '../../src/core/names.ts';
import { FakeLinear, linear } from '../helpers/fakeLinear.ts';

describe('names', () => {
  it("follow Refiners: Chain(Linear, Linear, Chain, Sum, Residual) → ['Linear_1','Linear_2','Chain','Sum','Residual']", () => {
    const m = Chain(linear(1, 1), linear(1, 1), Chain(), Sum(), Residual());
    expect(childNames(m)).toEqual(['Linear_1', 'Linear_2', 'Chain', 'Sum', 'Residual']);
  });

  it('are derived, never stale: removing a sibling renames Linear_1 → Linear', () => {
    const m = Chain(linear(1, 1), linear(2, 2), Identity());
    expect(childNames(m)).toEqual(['Linear_1', 'Linear_2', 'Identity']);
    expect(childNames(withChildren(m, [m.children[0]!, m.children[2]!]))).toEqual(['Linear', 'Identity']);
  });

  it('count per kind, 1-based, in order', () => {
    expect(nameSiblings(['A', 'B', 'A', 'C', 'B', 'A'])).toEqual(['A_1', 'B_1', 'A_2', 'C', 'B_2', 'A_3']);
  });

  it('use the derived kind name of named layers', () => {
    expect(childNames(Chain(named('Encoder', Chain()), named('Encoder', Chain())))).toEqual(['Encoder_1', 'Encoder_2']);
  });
});

describe('values', () => {
  it('layers, their attributes and children are frozen', () => {
    const m = Chain(FakeLinear({ in_features: 1, out_features: 2, device: 'cpu', dtype: 'float32' }));
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.children)).toBe(true);
    expect(Object.isFrozen(m.children[0]!.attrs)).toBe(true);
    expect(() => ((m.children as unknown as unknown[]).length = 0)).toThrow(TypeError);
  });

  it('nested attribute values are deep-frozen too', () => {
    const Padded = defineLayer({ name: 'Padded', forward: ([x]: [number], { attrs: _a }: { attrs: { pads: number[] } }) => x });
    const l = Padded({ pads: [1, 2] });
    expect(Object.isFrozen(l.attrs['pads'])).toBe(true);
  });

  it('withChildren returns the same node when nothing changes', () => {
    const m = Chain(Identity(), Identity());
    expect(withChildren(m, [...m.children])).toBe(m);
  });

  it('equality is structural: kinds, attrs, contexts, children; functions by identity', () => {
    const f = (x: number) => x;
    expect(layerEquals(Chain(Lambda(f), linear(1, 2)), Chain(Lambda(f), linear(1, 2)))).toBe(true);
    expect(layerEquals(Chain(linear(1, 2)), Chain(linear(1, 3)))).toBe(false);
    expect(layerEquals(provide(Chain(), { a: { k: 1 } }), provide(Chain(), { a: { k: 2 } }))).toBe(false);
    expect(layerEquals(named('A', Chain()), Chain())).toBe(false);
    expect(layerEquals(named('A', Chain()), named('A', Chain()))).toBe(true);
  });

  it('a named Chain is a Chain', () => {
    expect(isKind(named('MyModel', Chain()), Chain.kind)).toBe(true);
    expect(isKind(Sum(), Chain.kind)).toBe(false);
  });
});

describe('user-defined kinds behave like built-ins', () => {
  const Scale = defineLayer({
    name: 'Scale',
    defaults: { factor: 1 },
    forward: ([x]: [number], { attrs: { factor } }: { attrs: { factor: number } }) => x * factor,
  });

  it('name, print, compare and evaluate', () => {
    const m = Chain(Scale({ factor: 2 }), Scale({ factor: 2 }), Scale({ factor: 1 }));
    expect(childNames(m)).toEqual(['Scale_1', 'Scale_2', 'Scale_3']);
    expect(printTree(m)).toBe(['(CHAIN)', '    ├── Scale(factor=2) (x2) #1', '    └── Scale() #2'].join('\n'));
    expect(layerEquals(Scale({ factor: 2 }), Scale({ factor: 2 }))).toBe(true);
    expect(runSync(m, [3]).output).toBe(12);
  });
});

describe('kinds derived from another (defineContainer extends)', () => {
  // A Sum-derived kind with a forward of its own: if it ran its parent's code it would add its
  // children's outputs (12 here); its own code returns the first child's output alone (2).
  const FirstOnly = defineContainer({ name: 'FirstOnly', extends: Sum, forward: (args, self) => self.run(0, args) });
  const kids = () => [Lambda((x: number) => x * 2), Lambda((x: number) => x * 10)];

  it("run their own forward, not the parent's", () => {
    expect(runSync(Sum(...kids()), [1]).output).toBe(12);
    expect(runSync(FirstOnly(...kids()), [1]).output).toBe(2);
  });

  it("are their parent's kind for isKind and keep its tag", () => {
    const m = FirstOnly(...kids());
    expect(isKind(m, Sum.kind)).toBe(true);
    expect(isKind(Sum(), FirstOnly.kind)).toBe(false);
    expect(printTree(m).split('\n')[0]).toBe('(SUM) FirstOnly()');
  });

  it("without a forward, run the parent's", () => {
    const Total = defineContainer({ name: 'Total', extends: Sum });
    expect(runSync(Total(...kids()), [1]).output).toBe(12);
  });

  it('named(...) keeps the behaviour under another kind name', () => {
    const m = named('MySum', Sum(...kids()));
    expect(runSync(m, [1]).output).toBe(12);
    expect(m.kind.name).toBe('MySum');
    expect(m.kind).toBe(named('MySum', Sum()).kind);
  });
});

describe('defineLayer and defineContainer', () => {
  it('init turns options into typed attrs and params; forward reads them', () => {
    const Affine = defineLayer({
      name: 'Affine',
      defaults: { b: 0 },
      init: (a: number, b: number = 0) => ({ attrs: { a, b } }),
      forward: ([x]: [number], { attrs }) => attrs.a * x + attrs.b,
    });
    expect(runSync(Affine(3, 1), [2]).output).toBe(7);
    expect(printTree(Affine(3))).toBe('Affine(a=3)');
  });

  it('inputs are checked before forward', () => {
    const Two = defineLayer({ name: 'Two', inputs: ['any', 'any'], forward: ([a, b]: [number, number]) => a + b });
    expect(() => runSync(Two(), [1] as never)).toThrow(/^Two: expects 2 inputs, got 1 \(at the root\)/);
  });

  it('containers thread contexts through their children in call order, sync or async', async () => {
    const Twice = defineContainer({ name: 'Twice', forward: async (args, self) => self.run(0, [await self.run(0, args)]) });
    const count = SetContext('n', 'calls', (c: number) => c + 1);
    const m = provide(Twice(Chain(count, Lambda(async (x: number) => x + 10))), { n: { calls: 0 } });
    const r = await run(m, [1]);
    expect(r.output).toBe(21);
    expect(r.contexts).toEqual({ n: { calls: 2 } });
  });

  it('a container that runs two children at once is an error, not a lost context write', async () => {
    const Both = defineContainer({ name: 'Both', forward: (args, self) => Promise.all([self.run(0, args), self.run(1, args)]) });
    const slow = Lambda(async (x: number) => x);
    await expect(run(Both(slow, slow), [1])).rejects.toThrow(/^Both: children must run one after another/);
  });
});
