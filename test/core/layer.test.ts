// The layer protocol: frozen values, derived names, structural equality, user kinds.
import { describe, expect, it } from 'vitest';
import {
  Chain,
  Evaluation,
  Identity,
  Lambda,
  Residual,
  Sum,
  childNames,
  defineLayer,
  isKind,
  layerEquals,
  named,
  nameSiblings,
  printTree,
  provide,
  runSync,
  withChildren,
  type State,
} from 'canopy';
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
    const Padded = defineLayer({ name: 'Padded', forward: ([x]: [number], _a: { pads: number[] }) => x });
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
    forward: ([x]: [number], { factor }: { factor: number }) => x * factor,
  });

  it('name, print, compare and evaluate', () => {
    const m = Chain(Scale({ factor: 2 }), Scale({ factor: 2 }), Scale({ factor: 1 }));
    expect(childNames(m)).toEqual(['Scale_1', 'Scale_2', 'Scale_3']);
    expect(printTree(m)).toBe(['(CHAIN)', '    ├── Scale(factor=2) (x2) #1', '    └── Scale() #2'].join('\n'));
    expect(layerEquals(Scale({ factor: 2 }), Scale({ factor: 2 }))).toBe(true);
    expect(runSync(m, [3]).output).toBe(12);
  });
});

describe('kinds derived by spreading another', () => {
  it('take the evaluate or run given anew, whichever it is', async () => {
    const { makeKind, makeLayer, Sum: SumC, Identity: Id, evalChild: child } = await import('canopy');
    const FirstOnly = makeKind({ ...SumC.kind, name: 'FirstOnly', family: SumC.kind, evaluate: (node, args) => child(node, 0, args) });
    const Doubled = makeKind({ ...SumC.kind, name: 'Doubled', run: (_n, args, _e, s) => [(args[0] as number) * 2, s] as const });
    const two = [Id(), Id()];
    expect(runSync(makeLayer(SumC.kind, {}, two), [5]).output).toBe(10);
    expect(runSync(makeLayer(FirstOnly, {}, two), [5]).output).toBe(5);
    expect(runSync(makeLayer(Doubled, {}, two), [5]).output).toBe(10);
  });
});

describe('Evaluation combinators', () => {
  const s0: State = { '#a': { k: 1 } };
  const env = undefined as never;

  it('of, map and flatMap thread the state untouched', () => {
    const e = Evaluation.flatMap((n: number) => Evaluation.of(n * 2))(Evaluation.map((n: number) => n + 1)(Evaluation.of(1)));
    expect(e(env)(s0)).toEqual([4, s0]);
  });

  it('get and put read and replace the state; sequence threads it left to right', () => {
    const bump = Evaluation.flatMap((s: State) => Evaluation.put({ '#a': { k: (s['#a']!['k'] as number) + 1 } }))(Evaluation.get);
    const read = Evaluation.map((s: State) => s['#a']!['k'])(Evaluation.get);
    const [values, s1] = Evaluation.sequence([read, Evaluation.map(() => 'bumped')(bump), read])(env)(s0) as readonly [unknown[], State];
    expect(values).toEqual([1, 'bumped', 2]);
    expect(s1).toEqual({ '#a': { k: 2 } });
    expect(s0).toEqual({ '#a': { k: 1 } });
  });

  it('stay synchronous for synchronous steps and become a Promise for asynchronous ones', async () => {
    const later = Evaluation.fromStep(() => Promise.resolve(5));
    const r = Evaluation.map((n: number) => n + 1)(later)(env)(s0);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toEqual([6, s0]);
  });
});
