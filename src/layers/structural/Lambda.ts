// Lambda: any function as a layer.
import type { Args, Layer } from '../../core/Layer.ts';
import type { Step } from '../../core/step.ts';
import { defineLayer } from '../define.ts';

/** A function's name, or its source cut to one short line when it is anonymous. */
export function functionLabel(fn: (...a: never[]) => unknown): string {
  if (fn.name !== '' && fn.name !== 'fn') return fn.name;
  const src = fn.toString().replace(/\s+/g, ' ');
  return src.length > 40 ? `${src.slice(0, 37)}...` : src;
}

const lambda = defineLayer({
  name: 'Lambda',
  init: (fn: (...args: Args) => Step<unknown>) => ({ attrs: { fn } }),
  forward: (args: Args, { attrs }) => attrs.fn(...args),
  describe: ({ fn }) => `Lambda(${functionLabel(fn)})`,
});

/**
 * Wraps a function (which may return a Promise) as a layer. Two Lambdas are equal when they hold
 * the same function object.
 *
 * @example
 * ```ts
 * import { Lambda, runSync } from 'canopy-nn';
 * runSync(Lambda((a: number, b: number) => a - b), [5, 3]).output; // 2
 * ```
 */
export function Lambda<In extends Args, Out>(fn: (...args: In) => Step<Out>): Layer<In, Out> {
  return lambda(fn as (...args: Args) => Step<unknown>) as Layer<In, Out>;
}
Lambda.kind = lambda.kind;
