// Sequential evaluation shared by Chain, Residual and Passthrough: each child's output (spread if
// it is a Tuple) becomes the next child's arguments; a Return child stops the sequence.
import type { Args } from '../../core/Layer.ts';
import { type Step, isPromiseLike } from '../../core/step.ts';
import { spread, tuple } from '../../core/tuple.ts';
import type { Self } from '../define.ts';
import { Return } from './Return.ts';

/** The value a list of arguments stands for: itself if single, else a Tuple. */
export function asValue(args: Args): unknown {
  return args.length === 1 ? args[0] : tuple(...args);
}

/** Runs the children one after the other on `args`, until the end or a Return child. */
export function runSequence(self: Self<unknown>, args: Args): Step<unknown> {
  const n = self.children.length;
  const loop = (i: number, cur: Args): Step<unknown> => {
    for (; i < n; i++) {
      if (self.children[i]!.kind === Return.kind) break;
      const r = self.run(i, cur);
      if (isPromiseLike(r)) {
        const next = i + 1;
        return r.then((v) => loop(next, spread(v)));
      }
      cur = spread(r);
    }
    return asValue(cur);
  };
  return loop(0, args);
}
