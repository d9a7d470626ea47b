// Branching evaluation shared by Sum, Parallel, Distribute, Concatenate and Matmul: children run
// left to right, each seeing the contexts as the previous branch left them.
import { type Env, type State, threadSteps } from '../../core/Eval.ts';
import { type Step, thenStep } from '../../core/step.ts';
import type { AnyLayer, Args } from '../../core/Layer.ts';
import { evalChildNow } from '../../context/evaluate.ts';

/** Evaluates every child uncurried; then `finish` turns the outputs into the container's output. */
export function runBranches(
  node: AnyLayer,
  argsFor: (i: number) => Args,
  env: Env,
  s0: State,
  finish: (outs: unknown[]) => Step<unknown>,
): Step<readonly [unknown, State]> {
  return thenStep(threadSteps(node.children.length, (i, s) => evalChildNow(node, i, argsFor(i), env, s), s0), ([outs, s]) =>
    thenStep(finish(outs), (out) => [out, s] as const),
  );
}
