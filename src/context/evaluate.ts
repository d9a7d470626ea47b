// The interpreter's step: evaluates a node where the environment says it is, opening its
// namespaces if it is a provider, and recording the innermost failure. Containers reach their
// children through `evalChild`, which extends the path.
import { CanopyError } from '../errors.ts';
import { type Env, type State, atText } from '../core/Eval.ts';
import type { AnyLayer, Args } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';
import { type Step, isPromiseLike } from '../core/step.ts';
import { failAt } from './failure.ts';
import { enterProvider, exitProvider } from './scope.ts';

// --- combinators

/**
 * Evaluates child `index` of `parent` on `args`, one level deeper in the path; with `as`, that
 * node is evaluated at the child's path (a peephole fusion of the child and its next sibling). @internal
 */
export function evalChild(parent: AnyLayer, index: number, args: Args, env: Env, s: State, as?: AnyLayer): Step<readonly [unknown, State]> {
  const node = parent.children[index];
  if (node === undefined) {
    throw new CanopyError('path', `${parent.kind.name}: child index must be below ${parent.children.length}, got ${index} ${atText(env.at)}`);
  }
  const at = { parent: env.at, name: childNames(parent)[index]!, node };
  return evaluateAt(as ?? node, args, { at, scopes: env.scopes, overrides: env.overrides, options: env.options, sync: env.sync }, s);
}

/** Evaluates `node` at `env.at` (the caller has put the node there). @internal */
export function evaluateAt(node: AnyLayer, args: Args, env: Env, s: State): Step<readonly [unknown, State]> {
  const decl = node.contexts;
  let inner = env;
  let s1 = s;
  let r: Step<readonly [unknown, State]>;
  try {
    if (decl !== undefined) [inner, s1] = enterProvider(decl, env, s);
    r = node.kind.run(node, args, inner, s1);
  } catch (e) {
    return failAt(env.at, args)(e);
  }
  if (isPromiseLike(r)) {
    const fail = failAt(env.at, args);
    if (env.sync) {
      r.catch(() => undefined); // the caller asked for a synchronous run; the Promise is abandoned
      return fail(
        new CanopyError(
          'async',
          `runSync: every layer must be synchronous, got a Promise from ${node.kind.name}; use await run(...) instead ${atText(env.at)}`,
        ),
      );
    }
    const settled = r.then(undefined, fail);
    return decl === undefined ? settled : settled.then(([v, s2]) => [v, exitProvider(decl, env, s2)] as const);
  }
  return decl === undefined ? r : [r[0], exitProvider(decl, env, r[1])];
}
