// Branching evaluation shared by Sum, Parallel, Distribute, Concatenate and Matmul: children run
// left to right, each seeing the contexts as the previous branch left them.
import { type Eval, threadSteps } from '../../core/Eval.ts';
import type { AnyLayer, Args } from '../../core/Layer.ts';
import { evalChildNow } from '../../context/evaluate.ts';

/** Evaluates every child of `node`, child `i` on `argsFor(i)`, left to right. */
export function evalBranches(node: AnyLayer, argsFor: (i: number) => Args): Eval<unknown[]> {
  return (env) => (s0) => threadSteps(node.children.length, (i, s) => evalChildNow(node, i, argsFor(i), env, s), s0);
}
