// Context semantics that canopy defines more cleanly than Refiners (ARCHITECTURE §3).
import { describe, expect, it } from 'vitest';
import {
  Chain,
  Identity,
  Lambda,
  Parallel,
  SetContext,
  Sum,
  TakeContext,
  UseContext,
  namespace,
  provide,
  run,
  runSync,
} from 'canopy-nn';

describe('scope is lexical', () => {
  it('a use resolves to the nearest enclosing provider of its namespace', () => {
    const inner = provide(Chain(UseContext('cfg', 'n')), { cfg: { n: 2 } });
    const m = provide(Chain(Parallel(UseContext('cfg', 'n'), inner)), { cfg: { n: 1 } });
    expect([...(runSync(m, []).output as unknown as number[])]).toEqual([1, 2]);
  });

  it('writes are seen by siblings and parents evaluated later in the same scope', () => {
    const m = provide(Chain(Chain(Chain(SetContext('s', 'v'))), UseContext('s', 'v')), { s: { v: 0 } });
    expect(runSync(m, [9]).output).toBe(9);
  });

  it("an inner provider's namespace is dropped when it ends: the outer value is seen again", () => {
    const inner = provide(Chain(SetContext('s', 'v')), { s: { v: 0 } });
    const m = provide(Chain(inner, UseContext('s', 'v')), { s: { v: 'outer' } });
    expect(runSync(m, [5]).output).toBe('outer');
  });

  it('the same provider value used twice starts from its defaults each time', () => {
    const counter = provide(Chain(SetContext('c', 'n', (n: number) => n + 1), UseContext('c', 'n')), { c: { n: 0 } });
    const out = runSync(Parallel(counter, counter), [null]).output as unknown as number[];
    expect([...out]).toEqual([1, 1]);
  });
});

describe('contexts are per-run state', () => {
  const acc = provide(Chain(SetContext('acc', 'items', (l: number[], x: number) => void l.push(x)), UseContext('acc', 'items')), {
    acc: { items: [] as number[] },
  });

  it('each run starts from the defaults and returns the final contexts', () => {
    expect(runSync(acc, [1]).contexts).toEqual({ acc: { items: [1] } });
    expect(runSync(acc, [2]).contexts).toEqual({ acc: { items: [2] } });
  });

  it('the final contexts can be passed to the next run', () => {
    const first = runSync(acc, [1]);
    const second = runSync(acc, [2], { contexts: first.contexts });
    expect(second.output).toEqual([1, 2]);
  });

  it('values passed to run override the defaults of every provider of that namespace', () => {
    const inner = provide(UseContext('cfg', 'n'), { cfg: { n: 2 } });
    const m = provide(Chain(Parallel(UseContext('cfg', 'n'), inner)), { cfg: { n: 1 } });
    const out = runSync(m, [], { contexts: { cfg: { n: 7 } } }).output as unknown as number[];
    expect([...out]).toEqual([7, 7]);
  });

  it('a namespace no layer declares can be provided by the run itself', () => {
    expect(runSync(UseContext('env', 'scale'), [], { contexts: { env: { scale: 3 } } }).output).toBe(3);
  });
});

describe('order is specified: branches thread contexts left to right', () => {
  it('Sum, Parallel: a later branch sees an earlier branch write', () => {
    const m = provide(Parallel(Chain(Lambda(() => 'L'), SetContext('o', 'v')), UseContext('o', 'v')), { o: { v: '-' } });
    expect([...(runSync(m, []).output as unknown as string[])]).toEqual(['L', 'L']);
    const s = provide(Sum(Chain(Lambda(() => 10), SetContext('o', 'v')), UseContext('o', 'v')), { o: { v: 0 } });
    expect(runSync(s, []).output).toBe(20);
  });
});

describe('updates are pure', () => {
  it('callbacks edit an immer draft and produce a new frozen value; the old one is untouched', () => {
    const defaults = { items: [1] };
    const m = provide(SetContext('acc', 'items', (l: number[], x: number) => void l.push(x)), { acc: defaults });
    const r = runSync(m, [2]);
    expect(r.contexts['acc']!['items']).toEqual([1, 2]);
    expect(Object.isFrozen(r.contexts['acc']!['items'])).toBe(true);
    expect(defaults.items).toEqual([1]);
  });

  it('deep edits work too (through a real immer draft) and leave the old value untouched', () => {
    const defaults = { nested: { list: [1] }, other: { n: 0 } };
    const m = provide(SetContext('deep', 'v', (d: typeof defaults, x: number) => void d.nested.list.push(x)), { deep: { v: defaults } });
    const r = runSync(m, [2]);
    expect(r.contexts['deep']!['v']).toEqual({ nested: { list: [1, 2] }, other: { n: 0 } });
    // structural sharing with the provider's own (copied) default; the caller's object is untouched
    expect((r.contexts['deep']!['v'] as typeof defaults).other).toBe((m.contexts!['deep']!['v'] as typeof defaults).other);
    expect(defaults.nested.list).toEqual([1]);
    expect(Object.isFrozen(defaults)).toBe(false);
  });

  it("a caller's unfrozen values are never written, even by a deep edit", () => {
    const passed = { deep: { v: { nested: { list: [1] } } } };
    const m = provide(SetContext('deep', 'v', (d: { nested: { list: number[] } }, x: number) => void d.nested.list.push(x)), {
      deep: { v: { nested: { list: [] as number[] } } },
    });
    const r = runSync(m, [2], { contexts: passed });
    expect(r.contexts['deep']!['v']).toEqual({ nested: { list: [1, 2] } });
    expect(passed.deep.v.nested.list).toEqual([1]);
    expect(Object.isFrozen(passed.deep.v.nested.list)).toBe(false);
  });

  it('values handed out of the state are frozen: a UseContext map cannot change what later layers read', () => {
    const m = provide(Chain(SetContext('acc', 'items', (l: number[], x: number) => void l.push(x)), UseContext('acc', 'items', (l: number[]) => Object.isFrozen(l))), {
      acc: { items: [] as number[] },
    });
    expect(runSync(m, [1]).output).toBe(true);
  });

  it('a callback may also return the new value', () => {
    const m = provide(SetContext('c', 'n', (n: number, x: number) => n + x), { c: { n: 1 } });
    expect(runSync(m, [41]).contexts).toEqual({ c: { n: 42 } });
  });

  it('TakeContext returns what it takes and stores what is left', () => {
    const m = provide(TakeContext('stack', 'items', (l: number[]) => l.pop()), { stack: { items: [1, 2, 3] } });
    const r = runSync(m, []);
    expect(r.output).toBe(3);
    expect(r.contexts).toEqual({ stack: { items: [1, 2] } });
  });

  it('contexts passed in are neither mutated nor frozen; frozen ones work too', () => {
    const m = provide(SetContext('acc', 'items', (l: number[], x: number) => void l.push(x)), { acc: { items: [] as number[] } });
    // an open value: a write in place would show in it, a freeze would stick to it
    const open = { acc: { items: [5] } };
    expect(runSync(m, [6], { contexts: open }).contexts).toEqual({ acc: { items: [5, 6] } });
    expect(open.acc.items).toEqual([5]);
    expect(Object.isFrozen(open.acc.items) || Object.isFrozen(open.acc)).toBe(false);
    // a frozen value (a write in place would throw)
    const frozen = Object.freeze({ acc: Object.freeze({ items: Object.freeze([5]) }) });
    expect(runSync(m, [6], { contexts: frozen }).contexts).toEqual({ acc: { items: [5, 6] } });
  });
});

describe('typed namespace handles', () => {
  it('carry the value type from UseContext to run', async () => {
    const cfg = namespace<{ scale: number }>()('cfg');
    const m = Chain(Identity<number>(), Lambda((x: number) => x), UseContext(cfg, 'scale'));
    const { output } = await run(m, [1], { contexts: { cfg: { scale: 4 } } });
    const typed: number = output;
    expect(typed).toBe(4);
  });

  it('provide(layer, handle, defaults) declares the namespace', () => {
    const cfg = namespace<{ scale: number }>()('cfg');
    expect(runSync(provide(UseContext(cfg, 'scale'), cfg, { scale: 2 }), []).output).toBe(2);
  });
});
