// A failure anywhere is one CanopyError: what must hold and what was got, the path, the tree
// around the failing node, and the inputs. Exact texts, so messages cannot silently degrade.
import { describe, expect, it } from 'vitest';
import {
  CanopyError,
  Chain,
  Distribute,
  Identity,
  Lambda,
  Residual,
  Return,
  SetContext,
  Sum,
  UseContext,
  provide,
  run,
  runSync,
  unset,
} from 'canopy-nn';
import { errorOf as failure } from '../helpers/errorOf.ts';


const plusOne = function plusOne(x: number) {
  return x + 1;
};

describe('bad input gets one clear error', () => {
  it('Residual with two inputs', () => {
    const e = failure(() => runSync(Chain(Identity(), Residual(Identity())), [1, 2] as never));
    expect(e.code).toBe('arity');
    expect(e.path).toBe('Residual');
    expect(e.message).toBe(
      [
        'Residual: expects exactly 1 input, got 2 (at Residual)',
        '(CHAIN)',
        '    ├── Identity()',
        '>>> └── (RES) Residual() | Residual',
        'inputs:',
        '  #0: number 1',
        '  #1: number 2',
      ].join('\n'),
    );
  });

  it('a tensor input whose values cannot be read (a WebGPU device tensor) is shown by its shape, not a second error', () => {
    const unreadable = Object.freeze({ _tag: 'Tensor', shape: Object.freeze([2]), dtype: 'float32', size: 2, get data(): Float32Array { throw new Error('on the device') } });
    const e = failure(() => runSync(Lambda((_x: unknown) => { throw new CanopyError('argument', 'boom'); }), [unreadable]));
    expect(e.message.split('\n').at(-1)).toBe('  #0: tensor shape=[2] dtype=float32 (values not readable here)');
  });

  it('Distribute arity mismatch', () => {
    const e = failure(() => runSync(Chain(Lambda(plusOne), Distribute(Identity(), Identity(), Identity())), [1]));
    expect(e.message).toBe(
      [
        'Distribute: expects one input per child (3), got 1 (at Distribute)',
        '(CHAIN)',
        '    ├── Lambda(plusOne)',
        '>>> └── (DISTR) | Distribute',
        'inputs:',
        '  #0: number 2',
      ].join('\n'),
    );
  });

  it('Return outside a Chain', () => {
    const e = failure(() => runSync(Sum(Identity(), Return()), [1]));
    expect(e.code).toBe('control');
    expect(e.message.split('\n')[0]).toBe('Return: must be a direct child of a Chain, got a child of Sum (at Return)');
    expect(failure(() => runSync(Return(), [1])).message.split('\n')[0]).toBe(
      'Return: must be a direct child of a Chain, got no parent (it is the root) (at the root)',
    );
  });

  it('unset context key', () => {
    const m = provide(Chain(UseContext('a', 'k')), { a: { k: unset<number>() } });
    const e = failure(() => runSync(m, [], { contexts: {} as never }));
    expect(e.code).toBe('context');
    expect(e.message.split('\n')[0]).toBe(
      'UseContext: context "a"."k" must be set before it is read, got a key declared without a default ' +
        '(pass it to run({ contexts }) or set it with SetContext first) (at UseContext)',
    );
  });

  it('unknown namespace lists the namespaces in scope', () => {
    const m = provide(Chain(Chain(UseContext('nope', 'k'))), { a: { k: 1 }, b: { x: 2 } });
    const e = failure(() => runSync(m, [], { contexts: {} as never }));
    expect(e.message).toBe(
      [
        'UseContext: namespace "nope" must be provided by an enclosing layer or passed to run, got a use of "nope"."k" with namespaces in scope: a, b (at Chain.UseContext)',
        '(CHAIN)',
        '>>> └── UseContext(context=nope, key=k) | Chain.UseContext',
        'inputs:',
        '  (none)',
      ].join('\n'),
    );
  });

  it('a write to an undeclared key', () => {
    const m = provide(Chain(SetContext('a', 'z')), { a: { k: 1 } });
    expect(failure(() => runSync(m, [1], {} as never)).message.split('\n')[0]).toBe(
      'SetContext: key "z" must be declared in namespace "a", got declared keys: k (at SetContext)',
    );
  });

  it('a value passed to run for an undeclared key', () => {
    const m = provide(UseContext('a', 'k'), { a: { k: 1 } });
    expect(failure(() => runSync(m, [], { contexts: { a: { q: 2 } } })).message).toBe(
      'run: contexts."a"."q" must be a key declared by a provider of "a", got an unknown key; declared keys: k',
    );
  });

  it('a Lambda that throws: one error with the cause, not a chain of wrappers', () => {
    const boom = function boom(_x: number): number {
      throw new Error('boom');
    };
    const m = Chain(Chain(Lambda(plusOne), Lambda(boom), Identity()));
    const e = failure(() => runSync(m, [1]));
    expect(e.code).toBe('layer');
    expect((e.cause as Error).message).toBe('boom');
    expect(e.message).toBe(
      [
        "Lambda: the layer's code must not throw, got Error: boom (at Chain.Lambda_2)",
        '(CHAIN)',
        '    ├── Lambda(plusOne)',
        '>>> ├── Lambda(boom) | Chain.Lambda_2',
        '    └── Identity()',
        'inputs:',
        '  #0: number 2',
      ].join('\n'),
    );
  });

  it('an asynchronous failure is reported the same way', async () => {
    const m = Chain(Lambda(async (x: number) => x), Lambda(async function late(): Promise<number> {
      throw new Error('late');
    }));
    await expect(run(m, [1])).rejects.toThrow(/^Lambda: the layer's code must not throw, got Error: late \(at Lambda_2\)\n/);
  });
});
