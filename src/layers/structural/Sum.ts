// Sum: the same inputs to every child; the outputs added.
import type { Env } from '../../core/Eval.ts';
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { type Step, thenStep } from '../../core/step.ts';
import { isTuple } from '../../core/tuple.ts';
import { algebraFor } from '../algebra.ts';
import { defineContainer } from '../define.ts';
import { runEachThen } from './sequence.ts';

/** Adds values left to right through the value algebra (a Tuple is summed first). */
export function addAll(op: string, values: readonly unknown[], env: Env): Step<unknown> {
  return values.reduce<Step<unknown>>((acc, v, i) => {
    const b = isTuple(v) ? addAll(op, v, env) : v;
    return i === 0 ? b : thenStep(acc, (a) => thenStep(b, (bv) => algebraFor(op, [a, bv], env).add(a, bv, env)));
  }, undefined);
}

const sum = defineContainer({
  name: 'Sum',
  tag: 'SUM',
  showOnlyTag: true,
  forward: (args, self, env) => runEachThen(self, args, (outs) => addAll('Sum', outs, env)),
});

/**
 * Gives its inputs to every child and adds their outputs (a child's Tuple output is summed first).
 *
 * @example
 * ```ts
 * import { Sum, Identity, Lambda, runSync } from 'canopy-nn';
 * runSync(Sum(Identity(), Lambda((x: number) => x * 10)), [2]).output; // 22
 * ```
 */
export function Sum<Ls extends AnyLayer[]>(...layers: Ls): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>> {
  return sum(...layers) as never;
}
Sum.kind = sum.kind;
