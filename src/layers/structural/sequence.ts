// Sequential evaluation shared by Chain, Residual and Passthrough: each child's output (spread if
// it is a Tuple) becomes the next child's arguments; a Return child stops the sequence. Peephole
// fusion: where a child's kind fuses with the next sibling (`Kind.fuseNext`, e.g. a Conv2d then a
// LeakyReLU on a backend with fused epilogues), the node it gives runs at the child's path in place
// of both. The tree is never rewritten, so a tree edit (an adapter around the conv) ends the match.
// Liveness: once child i+1 has returned, child i's output is dead unless it is the sequence's own
// argument, carried on in i+1's result, written into a context, held by a gradient tape or kept by
// a nested run: its device memory is released then, not at the end of the run (`releaseDead`,
// tensor/device.ts).
import type { Env } from '../../core/Eval.ts';
import { type AnyLayer, type Args, withChildren } from '../../core/Layer.ts';
import { type Step, isPromiseLike, thenStep } from '../../core/step.ts';
import { spread, tuple } from '../../core/tuple.ts';
import type { Self } from '../define.ts';
import { Return } from './Return.ts';
import { deviceMark, releaseDead } from '../../tensor/device.ts';

/** The value a list of arguments stands for: itself if single, else a Tuple. */
export function asValue(args: Args): unknown {
  return args.length === 1 ? args[0] : tuple(...args);
}

/**
 * Runs the children one after the other on `args`, until the end or a Return child. With `then`,
 * the caller's use of the last output (a Residual's add): that output is released once `then` is
 * done with it, as each child's output is once the next child returned.
 */
export function runSequence(self: Self<unknown>, args: Args, env: Env, then?: (y: unknown) => Step<unknown>): Step<unknown> {
  const n = self.children.length;
  // Device tensors made from here on are this evaluation's own; older ones are its arguments.
  const mark = deviceMark();
  const loop = (i: number, cur: Args): Step<unknown> => {
    for (; i < n; i++) {
      if (self.children[i]!.kind === Return.kind) break;
      const fused = i + 1 < n ? fusedPair(self.children[i]!, self.children[i + 1]!, cur, env) : undefined;
      const r = self.run(i, cur, fused);
      if (fused !== undefined) i++;
      if (isPromiseLike(r)) {
        const next = i + 1;
        const prev = cur;
        return r.then((v) => {
          releaseDead(prev, mark, v);
          return loop(next, spread(v));
        });
      }
      releaseDead(cur, mark, r);
      cur = spread(r);
    }
    const y = asValue(cur);
    if (then === undefined) return y;
    // No device tensor made since the mark (every host run): nothing of ours to release.
    if (deviceMark() === mark) return then(y);
    const last = cur;
    return thenStep(then(y), (out) => {
      releaseDead(last, mark, out);
      return out;
    });
  };
  return loop(0, args);
}

/**
 * Runs every child on `args` and combines their outputs (Sum, Concatenate, Matmul); the outputs
 * are released once combined, those the result does not carry on (the liveness rule above).
 */
export function runEachThen(self: Self<unknown>, args: Args, combine: (outs: unknown[]) => Step<unknown>): Step<unknown> {
  const mark = deviceMark();
  return thenStep(self.runEach(() => args), (outs) =>
    deviceMark() === mark ? combine(outs) : thenStep(combine(outs), (y) => {
      releaseDead(outs, mark, y);
      return y;
    }),
  );
}

/**
 * A Chain's `fuseNext`: the Chain with its last child fused with `next` (a SeparableConv2d's
 * pointwise Conv2d with the LeakyReLU after the block), when that child's kind fuses with it.
 * @internal
 */
export function fuseLastChild(node: AnyLayer, next: AnyLayer, env: Env): AnyLayer | undefined {
  const n = node.children.length;
  if (n === 0 || node.children.some((c) => c.kind === Return.kind)) return undefined;
  const last = fusedPair(node.children[n - 1]!, next, undefined, env);
  return last === undefined ? undefined : withChildren(node, [...node.children.slice(0, -1), last]);
}

// The node computing `a` then `b`, when a's kind fuses with b; never across a context provider
// (its scope is entered per node).
function fusedPair(a: AnyLayer, b: AnyLayer, args: Args | undefined, env: Env): AnyLayer | undefined {
  if (a.kind.fuseNext === undefined || a.contexts !== undefined || b.contexts !== undefined) return undefined;
  return a.kind.fuseNext(a, b, args, env);
}
