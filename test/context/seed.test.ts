// The two examples of Refiners' "Context" page (../shared/reference/refiners-context.md), in canopy.
import { describe, expect, it } from 'vitest';
import {
  type AnyLayer,
  Chain,
  Identity,
  Lambda,
  Residual,
  SetContext,
  Sum,
  TakeContext,
  UseContext,
  named,
  provide,
  runSync,
  unset,
} from 'canopy-nn';

describe('seed example 1: a provider set from outside', () => {
  const printed: unknown[] = [];
  const MyProvider = <Ls extends AnyLayer[]>(...children: Ls) =>
    provide(named('MyProvider', Chain(...children)), { 'my context': { 'my key': unset<number>() } });
  const m = MyProvider(
    Chain(Sum(UseContext('my context', 'my key', (v: number) => v), Lambda(() => 2)), SetContext('my context', 'my key')),
    Chain(UseContext('my context', 'my key'), Lambda((x: unknown) => void printed.push(x))),
  );

  it('prints 6', () => {
    runSync(m, [], { contexts: { 'my context': { 'my key': 4 } } });
    expect(printed).toEqual([6]);
  });

  it('returns the final contexts, and a second run without contexts fails clearly', () => {
    const r = runSync(m, [], { contexts: { 'my context': { 'my key': 4 } } });
    expect(r.contexts).toEqual({ 'my context': { 'my key': 6 } });
    // @ts-expect-error the model needs "my context"."my key": not supplying it is a compile error
    expect(() => runSync(m, [])).toThrow(/context "my context"."my key" must be set before it is read/);
  });
});

describe('seed example 2: a U-Net-like model with and without context', () => {
  const square = () => Lambda((x: number) => x ** 2);
  const sqrt = () => Lambda((x: number) => x ** 0.5);
  const m1 = Chain(Residual(square(), Residual(square(), Residual(square()), sqrt()), sqrt()), sqrt());

  const pushResidual = () => SetContext('mymodel', 'residuals', (l: number[], x: number) => void l.push(x));
  const ApplyResidual = () =>
    named('ApplyResidual', Sum(Identity<number>(), TakeContext('mymodel', 'residuals', (l: number[]) => l.pop()!)));
  const squares = Chain(...[0, 1, 2].flatMap(() => [pushResidual(), square()]));
  const sqrts = Chain(...[0, 1, 2].flatMap(() => [ApplyResidual(), sqrt()]));
  const m2 = provide(named('MyModel', Chain(squares, sqrts)), { mymodel: { residuals: [] as number[] } });

  it('both give 2.5547711633552384 for 2.0', () => {
    expect(runSync(m1, [2.0]).output).toBe(2.5547711633552384);
    expect(runSync(m2, [2.0]).output).toBe(2.5547711633552384);
  });

  it('gives the same value on a second run of the same model value', () => {
    const first = runSync(m2, [2.0]);
    const second = runSync(m2, [2.0]);
    expect(second.output).toBe(2.5547711633552384);
    expect(first.contexts).toEqual({ mymodel: { residuals: [] } });
  });
});
