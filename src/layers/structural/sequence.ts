// Sequential evaluation shared by Chain, Residual and Passthrough: each child's output (spread if
// it is a Tuple) becomes the next child's arguments; a Return child stops the sequence.
import type { Env, Eval, State } from '../../core/Eval.ts';
import type { AnyLayer, Args } from '../../core/Layer.ts';
import { type Step, isPromiseLike } from '../../core/step.ts';
import { spread, tuple } from '../../core/tuple.ts';
import { evalChildNow } from '../../context/evaluate.ts';
import { ReturnKind } from './Return.ts';

/** The value a list of arguments stands for: itself if single, else a Tuple. */
export function asValue(args: Args): unknown {
  return args.length === 1 ? args[0] : tuple(...args);
}

/** Runs `node`'s children one after the other on `args`. */
export function evalSequence(node: AnyLayer, args: Args): Eval<unknown> {
  return (env) => (s0) => runSequence(node, args, env, s0);
}

/** {@link evalSequence}, uncurried (a kind's `run`). */
export function runSequence(node: AnyLayer, args: Args, env: Env, s0: State): Step<readonly [unknown, State]> {
  {
    const loop = (i: number, cur: Args, s: State): Step<readonly [unknown, State]> => {
      for (; i < node.children.length; i++) {
        if (node.children[i]!.kind === ReturnKind) break;
        const r = evalChildNow(node, i, cur, env, s);
        if (isPromiseLike(r)) {
          const next = i + 1;
          return r.then(([v, s1]) => loop(next, spread(v), s1));
        }
        cur = spread(r[0]);
        s = r[1];
      }
      return [asValue(cur), s] as const;
    };
    return loop(0, args, s0);
  };
}
