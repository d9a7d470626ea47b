// Adapters on values: Refiners' test_adapter.py behaviours, stacking, Chain restructuring (the
// docs' example 2), contexts (Refiners #456), named adapters, errors, key stability (Refiners #226).
import { describe, expect, it } from 'vitest';
import {
  Chain, Lambda, Linear, Multiply, allClose, SetContext, Sum, UseContext, childNames, fromArray, layer, layerEquals, named, printTree,
  provide, referenceBackend, run, runSync, select, stateDict, baseStateDict, loadStateDict, structuralCopy, type AnyLayer, type Tensor,
} from 'canopy-nn';
import {
  LinearLora, LoraAdapter, adapterTarget, eject, ejectAll, inject, injectedAdapters, isAdapter,
  keyNames, makeAdapter,
} from '../../src/adapters/index.ts';

const lin = (i = 2, o = 2, seed = 0): AnyLayer => Linear({ inFeatures: i, outFeatures: o, seed });
const dummyLinearAdapter = (t: AnyLayer): AnyLayer => makeAdapter(named('DummyLinearAdapter', Chain(t)), 0);
const dummyChainAdapter = (t: AnyLayer): AnyLayer => makeAdapter(named('DummyChainAdapter', Chain(t)), 0);
const opts = { backend: referenceBackend };

describe("Refiners' test_adapter.py", () => {
  const chain = Chain(Chain(lin()));
  it('weighted module adapter: inject puts the adapter in the parent, eject puts the target back', () => {
    const adaptee = layer(chain, 'Chain.Linear');
    const m = inject(chain, 'Chain.Linear', dummyLinearAdapter);
    const parent = layer(m, 'Chain');
    expect(parent.children.some((c) => isAdapter(c) && adapterTarget(c) === adaptee)).toBe(true);
    expect(parent.children.includes(adaptee)).toBe(false);
    const back = eject(m, 'DummyLinearAdapter');
    expect(layer(back, 'Chain').children).toEqual([adaptee]);
    expect(layerEquals(back, chain)).toBe(true);
  });
  it('chain adapter: inject(model, adapter) finds the target by identity (no parent needed)', () => {
    const adaptee = chain.children[0]!;
    const adapter = dummyChainAdapter(adaptee);
    expect(chain.children[0]).toBe(adaptee); // building the adapter changed nothing
    const m = inject(chain, adapter);
    expect(m.children[0]).toBe(adapter);
    expect(adapterTarget(m.children[0]!)).toBe(adaptee);
    const back = eject(m, adapter);
    expect(back.children[0]).toBe(adaptee);
  });
  it('structural copy of an injected model keeps the adapter and its target', () => {
    const m = inject(chain, 'Chain.Linear', dummyLinearAdapter);
    const copy = structuralCopy(m);
    const copied = layer(copy, 'Chain.DummyLinearAdapter');
    expect(adapterTarget(copied)).toBe(layer(chain, 'Chain.Linear')); // leaves are shared
    expect(layerEquals(eject(copy, 'DummyLinearAdapter'), chain)).toBe(true);
  });
  it('chain adapters CAN be copied (Refiners refuses): the copy ejects to an equal model', () => {
    const m = inject(chain, 'Chain', dummyChainAdapter);
    const copy = structuralCopy(m);
    expect(copy).not.toBe(m);
    expect(layerEquals(eject(copy, 'DummyChainAdapter'), chain)).toBe(true);
  });
});

describe('the docs examples', () => {
  // my_model = MyModel(Chain(Linear, Chain(...))): Chain A holds the Linear and Chain B.
  const chainB = Chain(Chain(Lambda((x: Tensor) => x)), Chain(Multiply({ scale: 2 })));
  const model = named('MyModel', Chain(Chain(lin(2, 2, 3), chainB)));
  it('example 1: a Sum adapting a Linear', async () => {
    const myAdapter = (t: AnyLayer): AnyLayer => makeAdapter(named('MyAdapter', Sum(Chain(Multiply({ scale: 0.5 })), t)), 'Linear');
    const m = inject(model, { kind: Linear }, myAdapter);
    expect(printTree(m).split('\n').slice(0, 5)).toEqual([
      '(CHAIN) MyModel()',
      '    └── (CHAIN)',
      '        ├── (SUM) MyAdapter()',
      '        │   ├── (CHAIN)',
      '        │   │   └── Multiply(scale=0.5)',
    ]);
    const x = fromArray([[1, -2]]);
    const y0 = (await run(model, [x], opts)).output as Tensor;
    const y1 = (await run(m, [x], opts)).output as Tensor;
    const base = (await run(chainB, [(await run(lin(2, 2, 3), [x], opts)).output as Tensor], opts)).output as Tensor;
    const extra = (await run(chainB, [fromArray([[0.5, -1]])], opts)).output as Tensor;
    expect(allClose(y1, fromArray([Array.from(base.data).map((v, i) => v + extra.data[i]!)]), { atol: 1e-6 })).toBe(true);
    expect(y0.data).toEqual(base.data);
    expect(layerEquals(eject(m, 'MyAdapter'), model)).toBe(true);
  });
  it('example 2: a Chain adapter that reorders and extends its target (the Linear twice)', async () => {
    const target = layer(model, 'Chain');
    const linear = layer(target, 'Linear');
    const newB = Chain(target, structuralCopy(layer(target, 'Chain.Chain_2')));
    const adapter = makeAdapter(named('MyChainAdapter', Chain(newB, linear)), [0, 0]);
    const m = inject(model, adapter);
    expect(childNames(layer(m, 'MyChainAdapter'))).toEqual(['Chain', 'Linear']);
    expect(layer(m, 'MyChainAdapter.Linear')).toBe(layer(m, 'MyChainAdapter.Chain.Chain_1.Linear')); // the same Linear twice
    const x = fromArray([[1, 2]]);
    const y = (await run(m, [x], opts)).output as Tensor;
    const expected = (await run(Chain(target, Multiply({ scale: 2 }), linear), [x], opts)).output as Tensor;
    expect(y.data).toEqual(expected.data);
    // keys: the base keeps its keys; the adapter's own parts (the shared Linear too) sit under ~MyChainAdapter
    expect([...baseStateDict(m).keys()]).toEqual([...stateDict(model).keys()]);
    expect([...stateDict(m).keys()].filter((k) => k.includes('~'))).toEqual(['Chain.~MyChainAdapter.Linear.weight', 'Chain.~MyChainAdapter.Linear.bias']);
    expect(layerEquals(eject(m, adapter), model)).toBe(true);
  });
});

describe('stacking', () => {
  const base = Chain(Chain(lin(2, 2, 1), lin(2, 2, 2)));
  const a1 = (t: AnyLayer): AnyLayer => makeAdapter(named('A', Chain(t)), 0, { name: 'a1' });
  const a2 = (t: AnyLayer): AnyLayer => makeAdapter(named('A', Chain(t)), 0, { name: 'a2' });
  const stacked = inject(inject(base, 'Chain.Linear_1', a1), 'Chain.Linear_1', a2);
  it('a second adapter on the same key path wraps the same base node, inside the first', () => {
    expect(printTree(stacked)).toBe(
      [
        '(CHAIN)',
        '    └── (CHAIN)',
        '        ├── (CHAIN) A()',
        '        │   └── (CHAIN) A()',
        '        │       └── Linear(inFeatures=2, outFeatures=2)',
        '        └── Linear(inFeatures=2, outFeatures=2)',
      ].join('\n'),
    );
    expect(injectedAdapters(stacked).map((a) => [a.info.name, a.path, a.key])).toEqual([
      ['a1', 'Chain.A', 'Chain.Linear_1'],
      ['a2', 'Chain.A.A', 'Chain.Linear_1'],
    ]);
  });
  it('ejecting either first keeps the other; both in any order give the original', () => {
    const only2 = eject(stacked, 'a1');
    expect(injectedAdapters(only2).map((a) => a.info.name)).toEqual(['a2']);
    const only1 = eject(stacked, 'a2');
    expect(injectedAdapters(only1).map((a) => a.info.name)).toEqual(['a1']);
    expect(layerEquals(eject(only2, 'a2'), base)).toBe(true);
    expect(layerEquals(eject(only1, 'a1'), base)).toBe(true);
    expect(layerEquals(ejectAll(stacked), base)).toBe(true);
  });
  it('eject by handle survives the handle being rebuilt by a later stacking', () => {
    const handle = a1(layer(base, 'Chain.Linear_1'));
    const m = inject(inject(base, 'Chain.Linear_1', handle), 'Chain.Linear_1', a2);
    expect(layer(m, 'Chain.A')).not.toBe(handle); // rebuilt around the inner adapter
    expect(injectedAdapters(eject(m, handle)).map((a) => a.info.name)).toEqual(['a2']);
  });
});

describe('targets', () => {
  const base = Chain(lin(2, 3, 1), Chain(lin(3, 3, 2)), lin(3, 2, 3));
  const wrap = (t: AnyLayer): AnyLayer => makeAdapter(named('W', Chain(t)), 0);
  it('by kind (every base match), by kind + predicate (sees key paths), by selection, by node', () => {
    expect(injectedAdapters(inject(base, { kind: Linear }, wrap)).map((a) => a.key)).toEqual(['Linear_1', 'Chain.Linear', 'Linear_2']);
    const pred = inject(base, { kind: Linear, where: (n: AnyLayer) => n.attrs['outFeatures'] === 3 }, wrap);
    expect(injectedAdapters(pred).map((a) => a.key)).toEqual(['Linear_1', 'Chain.Linear']);
    expect(injectedAdapters(inject(base, select(base).atKind(Chain), wrap)).map((a) => a.key)).toEqual(['Chain']);
    expect(injectedAdapters(inject(base, base.children[2]!, wrap)).map((a) => a.key)).toEqual(['Linear_2']);
  });
  it('key paths do not move when a sibling is adapted (names count the adapter as its target)', () => {
    const m = inject(base, 'Linear_1', wrap);
    expect(childNames(m)).toEqual(['W', 'Chain', 'Linear']); // raw names: Linear_2 became Linear
    expect(keyNames(m)).toEqual(['Linear_1', 'Chain', 'Linear_2']); // key names: unchanged
    expect(injectedAdapters(inject(m, 'Linear_2', wrap)).map((a) => a.key)).toEqual(['Linear_1', 'Linear_2']);
  });
  it('kind targets never match inside what an adapter owns (a LoRA\'s own Linears)', () => {
    const lora = (t: AnyLayer): AnyLayer => LoraAdapter(t, LinearLora('x', { inFeatures: t.attrs['inFeatures'] as number, outFeatures: t.attrs['outFeatures'] as number, rank: 1 }));
    const m = inject(base, { kind: Linear }, lora);
    expect(injectedAdapters(inject(m, { kind: Linear }, wrap)).filter((a) => a.node.kind.name === 'W').map((a) => a.key)).toEqual(['Linear_1', 'Chain.Linear', 'Linear_2']);
  });
});

describe('errors', () => {
  const base = Chain(lin(), lin());
  const named1 = (t: AnyLayer): AnyLayer => makeAdapter(named('ControlNet', Chain(t)), 0, { name: 'cnx' });
  it('a named adapter is injected once', () => {
    const m = inject(base, 'Linear_1', named1);
    expect(() => inject(m, 'Linear_2', named1)).toThrow('inject: adapter named "cnx" must be injected once, got it already injected at "Linear_1"; eject it first');
    expect(() => inject(base, { kind: Linear }, named1)).toThrow('inject: adapter named "cnx" must be injected once, got it already injected at "Linear_2"; eject it first');
  });
  it('ejecting what is not injected is an error listing what is', () => {
    expect(() => eject(base, 'cnx')).toThrow('eject: an adapter named "cnx" must be injected in the model, got no adapters');
    const m = inject(base, 'Linear_1', named1);
    expect(() => eject(m, 'other')).toThrow('eject: an adapter named "other" must be injected in the model, got only ControlNet "cnx" at "Linear_1"');
    const never = named1(base.children[1]!);
    expect(() => eject(base, never)).toThrow('eject: the ControlNet "cnx" adapter given must be injected in the model, got no adapters');
    expect(() => eject(eject(m, 'cnx'), 'cnx')).toThrow(/must be injected in the model/);
  });
  it('an adapter must hold the very target it replaces; a built adapter goes to one place; targets must match', () => {
    expect(() => inject(base, 'Linear_1', () => makeAdapter(Chain(lin()), 0))).toThrow(
      'inject: the adapter must hold the target it replaces at its path [0], got a Linear there instead of the Linear at "Linear_1"',
    );
    expect(() => inject(base, { kind: Linear }, makeAdapter(Chain(base.children[0]!), 0))).toThrow(/one built adapter must go to exactly one place, got 2 targets/);
    expect(() => inject(base, { kind: Sum }, named1)).toThrow('inject: the target must match at least one node, got none for kind Sum');
    expect(() => inject(base, 'Nope', named1)).toThrow(/inject: "Nope" must exist, got no child "Nope"/);
    expect(() => inject(base, base.children[0]!)).toThrow('inject: the layer must be an adapter (built with makeAdapter), got a Linear');
  });
});

describe('contexts (Refiners #456 cannot happen)', () => {
  // Refiners: an injected adapter kept its old provider and failed with "Context foo not found".
  // canopy resolves a namespace lexically at run time, so an adapter sees whatever encloses it.
  const P = (...kids: AnyLayer[]): AnyLayer => provide(named('P', Chain(...kids)), { foo: { bar: null } });
  const m = P(Chain(Lambda(() => 1), SetContext('foo', 'bar')), UseContext('foo', 'bar'));
  it('an adapter that sets a context: the model reads it after injection', () => {
    expect(runSync(m, []).output).toBe(1);
    const a = inject(m, 'Chain', (c) => makeAdapter(named('A', Chain(Lambda(() => 2), SetContext('foo', 'bar'), c)), 2));
    // A runs its own SetContext (2), then its target (which sets 1): the later write wins
    expect(runSync(a, []).output).toBe(1);
    const b = inject(m, 'Chain', (c) => makeAdapter(named('A', Chain(c, Lambda(() => 2), SetContext('foo', 'bar'))), 0));
    expect(runSync(b, []).output).toBe(2);
  });
  it('an adapter that uses a context set by the model, and one providing a namespace to its target', () => {
    const reader = inject(m, 'UseContext', (u) => makeAdapter(named('Doubler', Chain(u, Lambda((v: number) => 2 * v))), 0));
    expect(runSync(reader, []).output).toBe(2);
    // an adapter may provide a namespace: only its subtree sees it (lexical scope)
    const inner = Chain(UseContext('mine', 'k'));
    const scoped = inject(Chain(inner), 'Chain', (t) => makeAdapter(provide(named('Provider', Chain(t)), { mine: { k: 42 } }), 0));
    expect(runSync(scoped, []).output).toBe(42);
    expect(() => runSync(eject(scoped, 'Provider'), [])).toThrow(/mine/);
  });
});

describe("an adapter that replaces its target by other children (Refiners' test_adapter_context.py)", () => {
  // Refiners: ContextAdapter(fl.Chain, Adapter[fl.Chain]) built with setup_adapter(target) and the
  // children Lambda(lambda: 42), SetContext("foo", "bar"): the target is dropped, not wrapped.
  const ContextChain = (...kids: AnyLayer[]): AnyLayer => provide(named('ContextChain', Chain(...kids)), { foo: { bar: null } });
  const ContextAdapter = (target: AnyLayer): AnyLayer =>
    makeAdapter(named('ContextAdapter', Chain(Lambda(() => 42), SetContext('foo', 'bar'))), { replaces: target });
  const chain = ContextChain(Chain(), UseContext('foo', 'bar'));
  const adaptee = layer(chain, 'Chain');

  it('can access the parent context (chain() == 42), and eject gives the very target back', () => {
    const adapter = ContextAdapter(adaptee);
    expect(adapterTarget(adapter)).toBe(adaptee);
    const adapted = inject(chain, adapter);
    expect(runSync(adapted, []).output).toBe(42);
    expect(printTree(adapted)).toBe(
      ['(CHAIN) ContextChain()', '    ├── (CHAIN) ContextAdapter()', '    │   ├── Lambda(() => 42)', '    │   └── SetContext(context=foo, key=bar)', '    └── UseContext(context=foo, key=bar)'].join('\n'),
    );
    const back = eject(adapted, adapter);
    expect(layerEquals(back, chain)).toBe(true);
    expect(back.children[0]).toBe(adaptee);
    expect(back.children[1]).toBe(chain.children[1]);
    expect(printTree(back)).toBe(printTree(chain));
    expect(layerEquals(eject(adapted, 'ContextAdapter'), chain)).toBe(true);
  });

  it('stacks with wrapping adapters: ejecting in any order, or all at once, gives the original', () => {
    const base = Chain(lin(2, 2, 1), lin(2, 2, 2));
    const replacer = (t: AnyLayer): AnyLayer => makeAdapter(named('Replacer', Chain(Multiply({ scale: 3 }))), { replaces: t }, { name: 'r' });
    const wrapped = inject(base, 'Linear_1', dummyLinearAdapter);
    const both = inject(wrapped, 'Linear_1', replacer); // the key path looks through the DummyLinearAdapter
    expect(injectedAdapters(both).map((a) => [a.path, a.key])).toEqual([['DummyLinearAdapter', 'Linear_1'], ['DummyLinearAdapter.Replacer', 'Linear_1']]);
    expect(layerEquals(eject(both, 'r'), wrapped)).toBe(true);
    expect(layerEquals(ejectAll(both), base)).toBe(true);
    expect(ejectAll(both).children[0]).toBe(base.children[0]);
    const other = inject(inject(base, 'Linear_1', replacer), 'Linear_2', dummyLinearAdapter);
    expect(layerEquals(eject(eject(other, 'r'), 'DummyLinearAdapter'), base)).toBe(true);
    expect(layerEquals(eject(eject(other, 'DummyLinearAdapter'), 'r'), base)).toBe(true);
  });

  it("keeps its siblings' keys; its own weights live under ~<adapter>; the target's are out of the state dict", () => {
    const base = Chain(lin(2, 2, 1), lin(2, 2, 2));
    const adapted = inject(base, 'Linear_1', (t) => makeAdapter(named('Replacer', Chain(lin(2, 2, 9))), { replaces: t }));
    expect(keyNames(adapted)).toEqual(['Linear_1', 'Linear_2']);
    expect([...stateDict(adapted).keys()]).toEqual(['Linear_1.~Replacer.Linear.weight', 'Linear_1.~Replacer.Linear.bias', 'Linear_2.weight', 'Linear_2.bias']);
  });

  it('refuses an adapter whose replaced target is not in the model', () => {
    expect(() => inject(chain, ContextAdapter(Chain()))).toThrow(/inject/);
  });
});

describe('state dicts of adapted models (Refiners #226)', () => {
  const base = Chain(lin(2, 3, 1), Chain(lin(3, 3, 2), lin(3, 3, 3)), lin(3, 2, 4));
  const lora = (seed: number) => (t: AnyLayer): AnyLayer =>
    LoraAdapter(t, LinearLora('style', { inFeatures: t.attrs['inFeatures'] as number, outFeatures: t.attrs['outFeatures'] as number, rank: 2, seed }));
  it('injecting does not move base keys; adapter keys live under ~<adapter>', () => {
    const m = inject(base, 'Chain.Linear_1', lora(1));
    expect(childNames(layer(m, 'Chain'))).toEqual(['LoraAdapter', 'Linear']); // what a name-based dict would see
    expect([...baseStateDict(m).keys()]).toEqual([...stateDict(base).keys()]);
    expect([...stateDict(m).keys()].filter((k) => k.includes('~'))).toEqual([
      'Chain.Linear_1.~LoraAdapter.style.Linear_1.weight',
      'Chain.Linear_1.~LoraAdapter.style.Linear_2.weight',
    ]);
    expect(stateDict(base)).toEqual(stateDict(base)); // without adapters: the same dict
  });
  it('save → load round trip of an adapted model; a base checkpoint loads into it non-strictly', async () => {
    const saved = inject(base, { kind: Linear }, lora(7));
    const fresh = inject(Chain(lin(2, 3, 11), Chain(lin(3, 3, 12), lin(3, 3, 13)), lin(3, 2, 14)), { kind: Linear }, lora(8));
    const loaded = loadStateDict(fresh, stateDict(saved));
    expect(layerEquals(loaded, saved)).toBe(true);
    const x = fromArray([[0.5, -1]]);
    expect(((await run(loaded, [x], opts)).output as Tensor).data).toEqual(((await run(saved, [x], opts)).output as Tensor).data);
    // the checkpoint saved before injection loads into the adapted model (its LoRAs kept)
    const withBase = loadStateDict(fresh, stateDict(base), { strict: false });
    expect(layerEquals(ejectAll(withBase), base)).toBe(true);
    // and base weights saved after injection load into the plain model, strictly
    expect(layerEquals(loadStateDict(ejectAll(fresh), baseStateDict(saved)), base)).toBe(true);
  });
  it('strict loading reports every problem at once', () => {
    const m = inject(base, 'Linear_1', lora(1));
    const dict = new Map(stateDict(m));
    dict.delete('Linear_1.~LoraAdapter.style.Linear_2.weight');
    dict.set('extra', fromArray([1]));
    expect(() => loadStateDict(m, dict)).toThrow(
      "loadStateDict: the dict must hold exactly the model's keys with their shapes, got 2 problems:\n  missing: Linear_1.~LoraAdapter.style.Linear_2.weight [3,2]\n  unexpected: extra [1]",
    );
  });
});
