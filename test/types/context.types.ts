// Type tests: checked by `tsc --noEmit` (part of `npm test`). Every `@ts-expect-error` line MUST
// fail to compile (an unused directive is itself an error), every other line must compile.
import {
  Chain,
  Identity,
  Lambda,
  Parallel,
  Residual,
  SetContext,
  Sum,
  TakeContext,
  UseContext,
  namespace,
  provide,
  run,
  runSync,
  unset,
  type BrokenChain,
  type Layer,
  type Need,
  type NeedsOf,
} from 'canopy-nn';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_?: T): void => undefined;

// --- inputs and outputs flow through Chain

const twice = Chain(
  Lambda((x: number) => x + 1),
  Lambda((x) => x * 2), // x inferred as number from the previous link
);
assertType<Equal<typeof twice, Layer<[x: number], number, never>>>();
const n: number = runSync(twice, [1]).output;
void n;

// a link whose input does not match the previous output gives a chain nobody can run
const broken = Chain(Lambda((x: number) => `${x}`), Lambda((s: number) => s));
assertType<Equal<typeof broken, BrokenChain>>();
// @ts-expect-error running it fails to compile
runSync(broken, [1]);

// @ts-expect-error inputs of the wrong type
runSync(twice, ['one']);

// a Tuple output is spread into the next layer's arguments
const spread = Chain(Parallel(Identity<number>(), Lambda((x: number) => `${x}`)), Lambda((a: number, b: string) => b.repeat(a)));
const s: string = runSync(spread, [2]).output;
void s;

// --- requirements: what a model reads must be provided

const reads = Chain(Identity<number>(), UseContext('mymodel', 'scale', (v: number) => v));
assertType<Equal<NeedsOf<typeof reads>, Need<'mymodel', 'scale', number>>>();

// @ts-expect-error run on a model with an unprovided namespace
runSync(reads, [1]);

// supplying it at run time satisfies it, with the value's type checked
runSync(reads, [1], { contexts: { mymodel: { scale: 2 } } });
// @ts-expect-error the wrong value type
runSync(reads, [1], { contexts: { mymodel: { scale: 'two' } } });

// a provider with a default discharges the requirement
const provided = provide(reads, { mymodel: { scale: 3 } });
assertType<Equal<NeedsOf<typeof provided>, never>>();
runSync(provided, [1]);

// a key declared without a default stays required
const declaredOnly = provide(reads, { mymodel: { scale: unset<number>() } });
// @ts-expect-error "scale" has no default: run must supply it
void run(declaredOnly, [1]);
void run(declaredOnly, [1], { contexts: { mymodel: { scale: 1 } } });

// requirements of every branch are collected, and a provider discharges only what it declares
const both = Sum(
  UseContext('a', 'x', (v: number) => v),
  Chain(SetContext('b', 'y', (l: number[], x: number) => void l.push(x)), TakeContext('b', 'y', (l: number[]) => l.length)),
);
assertType<Equal<NeedsOf<typeof both>, Need<'a', 'x', number> | Need<'b', 'y', number[]>>>();
const half = provide(both, { b: { y: [] as number[] } });
assertType<Equal<NeedsOf<typeof half>, Need<'a', 'x', number>>>();
// @ts-expect-error namespace "a" is still unprovided
runSync(half, [1]);

// --- typed namespace handles carry value types

const cfg = namespace<{ scale: number; name: string }>()('cfg');
const useScale = Residual(UseContext(cfg, 'scale'));
assertType<Equal<NeedsOf<typeof useScale>, Need<'cfg', 'scale', number>>>();
// @ts-expect-error "size" is not a key of the namespace
UseContext(cfg, 'size');
runSync(provide(useScale, cfg, { scale: 1, name: 'x' }), [1]);
// @ts-expect-error defaults must match the namespace's types
provide(useScale, cfg, { scale: 'big', name: 'x' });
