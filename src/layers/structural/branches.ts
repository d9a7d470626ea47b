// Branching evaluation shared by Sum, Parallel, Distribute, Concatenate and Matmul: children run
// left to right, each seeing the contexts as the previous branch left them.
import type { Eval, State } from '../../core/Eval.ts';
import type { AnyLayer, Args } from '../../core/Layer.ts';
import { type Step, isPromiseLike } from '../../core/step.ts';
import { evalChildNow } from '../../context/evaluate.ts';

/** Evaluates every child of `node`, child `i` on `argsFor(i)`, left to right. */
export function evalBranches(node: AnyLayer, argsFor: (i: number) => Args): Eval<unknown[]> {
  return (env) => (s0) => {
    const outs: unknown[] = [];
    const loop = (i: number, s: State): Step<readonly [unknown[], State]> => {
      for (; i < node.children.length; i++) {
        const r = evalChildNow(node, i, argsFor(i), env, s);
        if (isPromiseLike(r)) {
          const next = i + 1;
          return r.then(([v, s1]) => {
            outs.push(v);
            return loop(next, s1);
          });
        }
        outs.push(r[0]);
        s = r[1];
      }
      return [outs, s] as const;
    };
    return loop(0, s0);
  };
}
