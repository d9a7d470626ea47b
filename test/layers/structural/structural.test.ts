// Refiners' structural semantics (reference §1.1), one behaviour per test.
import { describe, expect, it } from 'vitest';
import {
  Breakpoint,
  Chain,
  Concatenate,
  Distribute,
  GetArg,
  Identity,
  Lambda,
  Matmul,
  Parallel,
  Passthrough,
  Residual,
  Return,
  Sum,
  isTuple,
  type ValueAlgebra,
  run,
  runSync,
  tuple,
} from 'canopy-nn';

describe('Chain', () => {
  it('feeds each output to the next layer and spreads a Tuple into several arguments', () => {
    const m = Chain(Lambda((x: number) => tuple(x, x + 1)), Lambda((a: number, b: number) => a * b));
    expect(runSync(m, [3]).output).toBe(12);
  });

  it('with no children returns its input; with no input runs input-less layers', () => {
    expect(runSync(Chain(), [5]).output).toBe(5);
    expect(runSync(Chain(Lambda(() => 2)), []).output).toBe(2);
  });

  it('returns a Tuple when its last layer does', () => {
    const out = runSync(Chain(Parallel(Identity(), Identity())), [1]).output;
    expect(isTuple(out)).toBe(true);
    expect([...(out as unknown as number[])]).toEqual([1, 1]);
  });
});

describe('Return', () => {
  it('ends the enclosing Chain with its input; later layers do not run', () => {
    let ran = false;
    const m = Chain(Lambda((x: number) => x * 2), Return(), Lambda(() => (ran = true)));
    expect(runSync(m, [4]).output).toBe(8);
    expect(ran).toBe(false);
  });

  it('ends only the innermost Chain', () => {
    const m = Chain(Chain(Lambda((x: number) => x + 1), Return(), Lambda(() => 0)), Lambda((x: number) => x * 10));
    expect(runSync(m, [1]).output).toBe(20);
  });

  it('inside a Residual ends the residual branch, which is then added', () => {
    expect(runSync(Residual(Lambda((x: number) => x * 3), Return(), Lambda(() => 100)), [2]).output).toBe(8);
  });
});

describe('branching containers run left to right', () => {
  it('Sum adds the outputs of every branch on the same input; a Tuple output is summed first', () => {
    expect(runSync(Sum(Identity(), Lambda((x: number) => x * 10)), [2]).output).toBe(22);
    expect(runSync(Sum(Parallel(Identity(), Identity()), Identity()), [2]).output).toBe(6);
  });

  it('Residual is x + Chain(x)', () => {
    expect(runSync(Residual(Lambda((x: number) => x * x), Lambda((x: number) => x + 1)), [3]).output).toBe(13);
  });

  it('Parallel gives the same inputs to every branch and returns a Tuple', () => {
    const out = runSync(Parallel(Lambda((a: number, b: number) => a + b), Lambda((a: number, b: number) => a * b)), [2, 5])
      .output as unknown as number[];
    expect([...out]).toEqual([7, 10]);
  });

  it('Distribute gives the i-th input to the i-th branch', () => {
    const out = runSync(Distribute(Lambda((x: number) => x + 1), Lambda((x: number) => x * 2)), [1, 5]).output as unknown as number[];
    expect([...out]).toEqual([2, 10]);
  });

  it('Passthrough runs its children and returns its original inputs', () => {
    let seen = 0;
    expect(runSync(Passthrough(Lambda((x: number) => (seen = x * 100))), [7]).output).toBe(7);
    expect(seen).toBe(700);
  });

  it('Concatenate joins non-null outputs along dim 0', () => {
    expect(runSync(Concatenate(Lambda(() => [1, 2]), Lambda(() => null), Lambda(() => [3])), []).output).toEqual([1, 2, 3]);
  });

  it('Matmul multiplies the outputs of its two branches', () => {
    expect(runSync(Matmul(Identity(), Lambda((x: number) => x + 1)), [3]).output).toBe(12);
  });

  it('GetArg picks one input', () => {
    expect(runSync(GetArg({ index: 2 }), [10, 20, 30]).output).toBe(30);
  });

  it('Breakpoint calls the hook with the path and inputs, and passes the input on', () => {
    const events: { path: string; inputs: readonly unknown[] }[] = [];
    const m = Chain(Lambda((x: number) => x + 1), Sum(Breakpoint(), Identity()));
    expect(runSync(m, [1], { onBreakpoint: (e) => events.push(e) }).output).toBe(4);
    expect(events).toEqual([{ path: 'Sum.Breakpoint', inputs: [2] }]);
  });
});

describe('the value algebra is open', () => {
  it("a run's algebras teach Sum, Concatenate and Matmul a value type of your own", () => {
    const bigints: ValueAlgebra = {
      name: 'bigint',
      accepts: (x) => typeof x === 'bigint',
      add: (a, b) => (a as bigint) + (b as bigint),
      concat: () => {
        throw new Error('bigints do not concatenate');
      },
      matmul: (a, b) => (a as bigint) * (b as bigint),
    };
    const algebras = [bigints];
    expect(runSync(Sum(Identity(), Lambda((x: bigint) => x * 2n)), [5n], { algebras }).output).toBe(15n);
    expect(runSync(Matmul(Identity(), Identity()), [7n], { algebras }).output).toBe(49n);
    // nothing global: without the option, bigints have no algebra
    expect(() => runSync(Sum(Identity(), Identity()), [1n])).toThrow(/Sum: values must all be numbers or all tensors, got bigint, bigint/);
    expect(() => runSync(Sum(Identity(), Lambda(() => 'x')), [1])).toThrow(/Sum: values must all be numbers or all tensors, got number, string/);
  });
});

describe('asynchronous layers', () => {
  it('run awaits layers that return Promises, anywhere in the tree', async () => {
    const slow = (f: (x: number) => number) => Lambda(async (x: number) => f(x));
    const m = Chain(Residual(slow((x) => x * x)), Sum(Identity(), slow((x) => x + 1)));
    expect((await run(m, [3])).output).toBe(25);
  });

  it('runSync names the first asynchronous layer', () => {
    const m = Chain(Identity(), Lambda(async (x: number) => x));
    expect(() => runSync(m, [1])).toThrow(/runSync: every layer must be synchronous, got a Promise from Lambda; use await run\(\.\.\.\) instead \(at Lambda\)/);
  });
});
