// Branching evaluation shared by Sum, Parallel, Distribute, Concatenate and Matmul: children run
// left to right, each seeing the contexts as the previous branch left them.
import { type Eval, sequence } from '../../core/Eval.ts';
import type { AnyLayer, Args } from '../../core/Layer.ts';
import { evalChild } from '../../context/evaluate.ts';

/** Evaluates every child of `node`, child `i` on `argsFor(i)`, left to right. */
export function evalBranches(node: AnyLayer, argsFor: (i: number) => Args): Eval<unknown[]> {
  return sequence(node.children.map((_, i) => evalChild(node, i, argsFor(i))));
}
