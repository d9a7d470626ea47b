// Lambda: any function as a layer.
import type { Args, Layer } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type Step, thenStep } from '../../core/step.ts';

/** The Lambda kind. */
export const LambdaKind = makeKind({
  name: 'Lambda',
  run: (node, args, _env, s) => thenStep((node.attrs['fn'] as (...a: Args) => Step<unknown>)(...args), (out) => [out, s] as const),
  describe: (node) => `Lambda(${functionLabel(node.attrs['fn'] as (...a: never[]) => unknown)})`,
});

/** A function's name, or its source cut to one short line when it is anonymous. */
export function functionLabel(fn: (...a: never[]) => unknown): string {
  if (fn.name !== '' && fn.name !== 'fn') return fn.name;
  const src = fn.toString().replace(/\s+/g, ' ');
  return src.length > 40 ? `${src.slice(0, 37)}...` : src;
}

/**
 * Wraps a function (which may return a Promise) as a layer. Two Lambdas are equal when they hold
 * the same function object.
 *
 * @example
 * ```ts
 * import { Lambda, runSync } from 'canopy';
 * runSync(Lambda((a: number, b: number) => a - b), [5, 3]).output; // 2
 * ```
 */
export function Lambda<In extends Args, Out>(fn: (...args: In) => Step<Out>): Layer<In, Out> {
  return makeLayer(LambdaKind, { fn }, []);
}
Lambda.kind = LambdaKind;
