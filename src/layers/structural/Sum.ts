// Sum: the same inputs to every child; the outputs added.
import type { AnyLayer, InputOf, Layer, NeedsOf, OutputOf } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type Step, thenStep } from '../../core/step.ts';
import { isTuple } from '../../core/tuple.ts';
import type { Env } from '../../core/Eval.ts';
import { algebraFor } from '../algebra.ts';
import { runBranches } from './branches.ts';

// --- model

/** The Sum kind. */
export const SumKind = makeKind({
  name: 'Sum',
  tag: 'SUM',
  showOnlyTag: true,
  run: (node, args, env, s) =>
    runBranches(node, () => args, env, s, (outs) => addAll('Sum', outs.map((o) => (isTuple(o) ? addAll('Sum', o, env) : o)), env)),
});

// --- utils

/** Adds values left to right through the value algebra (awaiting tuple sums first). */
export function addAll(op: string, values: readonly Step<unknown>[], env: Env): Step<unknown> {
  return values.reduce<Step<unknown>>(
    (acc, v, i) =>
      i === 0
        ? v
        : thenStep(acc, (a) => thenStep(v, (b) => algebraFor(op, [a, b]).add(a, b, env))),
    values[0],
  );
}

// --- constructors

/**
 * Gives its inputs to every child and adds their outputs (a child's Tuple output is summed first).
 *
 * @example
 * ```ts
 * import { Sum, Identity, Lambda, runSync } from 'canopy';
 * runSync(Sum(Identity(), Lambda((x: number) => x * 10)), [2]).output; // 22
 * ```
 */
export function Sum<Ls extends AnyLayer[]>(
  ...layers: Ls
): Layer<InputOf<Ls[0]>, OutputOf<Ls[0]>, NeedsOf<Ls[number]>> {
  return makeLayer(SumKind, {}, layers);
}
Sum.kind = SumKind;
