// Issue 11, items 6, 7 and 9: contexts never touch the caller's objects, callbacks run once and
// report their own error, a UseContext map that consumes names TakeContext, and any string is a
// valid namespace and key.
import { describe, expect, it } from 'vitest';
import { Chain, Identity, SetContext, TakeContext, UseContext, provide, runSync } from '../../src/index.ts';
import { CanopyError } from '../../src/errors.ts';

function errorOf(f: () => unknown): CanopyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return e as CanopyError;
  }
  throw new Error('expected a CanopyError');
}

class Counter {
  n = 0;
}

describe("contexts never touch the caller's objects (item 6)", () => {
  it('a class-instance default is refused when provided, with the fix', () => {
    expect(errorOf(() => provide(Identity(), { ns: { c: new Counter() } })).message).toBe(
      'provide: context "ns"."c": the value must be a plain object, array, Map, Set, primitive, function or frozen object (such as a tensor), got a Counter instance (freeze it, or store plain data)',
    );
    const frozen = Object.freeze(new Counter());
    expect(() => provide(Identity(), { ns: { c: frozen } })).not.toThrow();
  });

  it('a class instance passed to run is refused when the run starts, nested or not', () => {
    const m = provide(UseContext('ns', 'k'), { ns: { k: [] as unknown[] } });
    expect(errorOf(() => runSync(m, [], { contexts: { ns: { k: [{ a: new Counter() }] } } })).message).toBe(
      'run: context "ns"."k": the value at [0].a must be a plain object, array, Map, Set, primitive, function or frozen object (such as a tensor), got a Counter instance (freeze it, or store plain data)',
    );
    expect(errorOf(() => runSync(m, [], { contexts: { ns: { k: new Float32Array(2) } } })).message).toMatch(/got a Float32Array \(wrap it in a tensor\)$/);
  });

  it('a Map passed to run is neither mutated nor frozen; the result is a frozen new Map', () => {
    const m = provide(SetContext('ns', 'm', (map: Map<string, number>, x: number) => void map.set('x', x)), { ns: { m: new Map<string, number>() } });
    const passed = new Map([['a', 1]]);
    const r = runSync(m, [5], { contexts: { ns: { m: passed } } });
    expect([...passed]).toEqual([['a', 1]]);
    passed.set('b', 2); // the caller's next set works
    const out = r.contexts['ns']!['m'] as Map<string, number>;
    expect([...out]).toEqual([['a', 1], ['x', 5]]);
    expect(() => out.set('c', 3)).toThrow();
  });

  it('a Map default updated with set works on every run, and the default stays empty', () => {
    const m = provide(SetContext('ns', 'm', (map: Map<string, number>, x: number) => void map.set(`k${x}`, x)), { ns: { m: new Map<string, number>() } });
    expect([...(runSync(m, [1]).contexts['ns']!['m'] as Map<string, number>)]).toEqual([['k1', 1]]);
    expect([...(runSync(m, [2]).contexts['ns']!['m'] as Map<string, number>)]).toEqual([['k2', 2]]);
  });

  it('plain objects passed in are not frozen, and an untouched one comes back as a frozen copy', () => {
    const m = provide(Chain(SetContext('ns', 'list', (l: number[], x: number) => void l.push(x)), UseContext('ns', 'list')), {
      ns: { list: [] as number[], other: {} },
    });
    const list = [1];
    const other = { deep: { v: 1 } };
    const r = runSync(m, [2], { contexts: { ns: { list, other } } });
    expect(list).toEqual([1]);
    expect(Object.isFrozen(list) || Object.isFrozen(other) || Object.isFrozen(other.deep)).toBe(false);
    const back = r.contexts['ns']!['other'] as typeof other;
    expect(back).toEqual(other);
    expect(back).not.toBe(other);
    expect(Object.isFrozen(back) && Object.isFrozen(back.deep)).toBe(true);
    expect(Object.isFrozen(r.contexts['ns'])).toBe(true);
  });

  it("a caller's default object is not frozen by provide", () => {
    const defaults = { list: [1, 2] };
    provide(Identity(), { ns: defaults });
    expect(Object.isFrozen(defaults) || Object.isFrozen(defaults.list)).toBe(false);
  });

  it("an input written by SetContext is the run's own copy: the caller's object is never frozen", () => {
    const m = Chain(SetContext('ns', 'v'), UseContext('ns', 'v'));
    const input = { a: [1] };
    const r = runSync(provide(m, { ns: { v: {} as unknown } }), [input]);
    expect(Object.isFrozen(input) || Object.isFrozen(input.a)).toBe(false);
    expect(r.output).toEqual(input);
  });
});

describe('callbacks run once and report their own error (item 7)', () => {
  it('a deep edit runs the callback once', () => {
    let calls = 0;
    const m = provide(SetContext('ns', 'v', (d: { inner: { n: number }[] }) => {
      calls++;
      d.inner[0]!.n += 1;
    }), { ns: { v: { inner: [{ n: 1 }] } } });
    const r = runSync(m, [0]);
    expect(calls).toBe(1);
    expect(r.contexts['ns']!['v']).toEqual({ inner: [{ n: 2 }] });
  });

  it('a bug in a callback reports its own TypeError after one call', () => {
    let calls = 0;
    const m = provide(SetContext('ns', 'list', (l: number[]) => {
      calls++;
      (null as unknown as { foo: number }).foo = l.length;
    }), { ns: { list: [] as number[] } });
    const err = errorOf(() => runSync(m, [0]));
    expect(calls).toBe(1);
    expect(err.message).toMatch(/^SetContext: the layer's code must not throw, got TypeError: Cannot set properties of null \(setting 'foo'\)/);
    const take = provide(TakeContext('ns', 'list', (l: number[]) => {
      calls++;
      return (l as unknown as { x: { y: number } }).x.y;
    }), { ns: { list: [1] } });
    calls = 0;
    expect(errorOf(() => runSync(take, [])).message).toMatch(/^TakeContext: the layer's code must not throw, got TypeError: Cannot read properties of undefined \(reading 'y'\)/);
    expect(calls).toBe(1);
  });

  it('UseContext(ns, k, l => l.pop()) names TakeContext', () => {
    const m = provide(UseContext('ns', 'list', (l: number[]) => l.pop()), { ns: { list: [1, 2] } });
    const err = errorOf(() => runSync(m, []));
    expect(err.message.split('\n')[0]).toMatch(
      /^UseContext: the map of "ns"."list" must not modify the context value \(it is frozen\), got .*; to read and consume it use TakeContext\("ns", "list", \(list\) => list.pop\(\)\) \(at [^)]*\)$/,
    );
  });
});

describe('any string is a valid namespace and key (item 9)', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', ''])('namespace and key %j', (name) => {
    const m = provide(Chain(SetContext(name, name, (l: number[], x: number) => void l.push(x)), UseContext(name, name)), { [name]: { [name]: [] as number[] } });
    const r = runSync(m, [3]);
    expect(r.output).toEqual([3]);
    const passed = runSync(Chain(SetContext(name, name), UseContext(name, name)), [4], { contexts: { [name]: { [name]: 0 } } });
    expect(passed.output).toBe(4);
    expect(Object.hasOwn(passed.contexts, name)).toBe(true);
    expect(Object.hasOwn(passed.contexts[name]!, name)).toBe(true);
    expect(passed.contexts[name]![name]).toBe(4);
    // Out of scope: the usual error, not a prototype member.
    expect(errorOf(() => runSync(UseContext(name, 'k'), [])).message).toMatch(new RegExp(`^UseContext: namespace "${name.replace(/_/g, '_')}" must be provided`));
  });
});
