// Running a model: the interpreter started at the root with the run's scope, the final contexts
// returned with the output, and the innermost failure reported as one error.
import { CanopyError } from '../errors.ts';
import type { ContextValues, Env, EvalOptions, State } from '../core/Eval.ts';
import type { AnyLayer, Args, InputOf, Need, NeedsOf, OutputOf } from '../core/Layer.ts';
import { type Step, isPromiseLike } from '../core/step.ts';
import { LayerFailure } from './failure.ts';
import { handOut, ownContexts } from './draft.ts';
import type { ContextsFor } from './namespace.ts';
import { declaredKeys, runContexts, runScope } from './scope.ts';
import { checkRunArguments } from './runChecks.ts';
import { atText, pathString } from '../core/Eval.ts';
import { treeExcerpt } from '../print/excerpt.ts';
import { summarizeValue } from '../print/summarize.ts';
import { openDeviceScope } from '../tensor/device.ts';

// --- model

/** Options of {@link run} and {@link runSync}. */
export interface RunOptions extends EvalOptions {
  /**
   * Initial context values, `{ namespace: { key: value } }`: they override the defaults of every
   * provider of that namespace, and provide namespaces no layer declares. Default: none.
   */
  readonly contexts?: ContextValues;
}

/** The outcome of a run: the output and the final values of the run-level contexts. */
export interface RunResult<Out> {
  readonly output: Out;
  /** The root's namespaces and those passed in, as the run left them; pass them to the next run. */
  readonly contexts: ContextValues;
}

/**
 * `run`'s options argument: optional when nothing is required (or when the model is loosely
 * typed, its requirements unknown to the compiler: the run checks them), else `contexts` must
 * satisfy the requirements.
 */
export type RunOptionsArg<R extends Need> = [R] extends [never]
  ? [options?: RunOptions]
  : string extends R['ns']
    ? [options?: RunOptions]
    : [options: RunOptions & { readonly contexts: ContextsFor<R> }];

/** The inputs of a model; any arguments for a loosely typed one. */
export type RunInputs<L> = [InputOf<L>] extends [never] ? Args : InputOf<L>;

// --- constructors

/**
 * Runs a model on `inputs` and resolves to its output and final contexts. Works for synchronous
 * and asynchronous (kernel) layers alike. A model that reads a context no provider declares
 * does not compile unless `contexts` supplies it.
 *
 * @example
 * ```ts
 * import { Chain, Lambda, run } from 'canopy-nn';
 * const { output } = await run(Chain(Lambda(async (x: number) => x * 2)), [21]);
 * output; // 42
 * ```
 */
export async function run<L extends AnyLayer>(
  model: L,
  inputs: RunInputs<L>,
  ...options: RunOptionsArg<NeedsOf<L>>
): Promise<RunResult<OutputOf<L>>> {
  // Device tensors made during the run and not reachable from its result are released at its end.
  const close = openDeviceScope();
  try {
    const result = await finish<OutputOf<L>>(start(model, inputs, options[0] ?? {}, false));
    close(result);
    return result;
  } catch (e) {
    close(undefined);
    throw e;
  }
}

/**
 * Runs a model synchronously; an error names the first layer that returns a Promise.
 *
 * @example
 * ```ts
 * import { Residual, Lambda, runSync } from 'canopy-nn';
 * runSync(Residual(Lambda((x: number) => x * x)), [3]).output; // 12
 * ```
 */
export function runSync<L extends AnyLayer>(
  model: L,
  inputs: RunInputs<L>,
  ...options: RunOptionsArg<NeedsOf<L>>
): RunResult<OutputOf<L>> {
  const close = openDeviceScope();
  try {
    const r = start(model, inputs, options[0] ?? {}, true);
    if (isPromiseLike(r)) throw new CanopyError('async', 'runSync: every layer must be synchronous, got a Promise');
    const result = finish<OutputOf<L>>(r) as RunResult<OutputOf<L>>;
    close(result);
    return result;
  } catch (e) {
    close(undefined);
    throw e;
  }
}

// --- utils

function start(model: AnyLayer, inputs: Args, options: RunOptions, sync: boolean): Step<readonly [unknown, State]> {
  checkRunArguments(sync ? 'runSync' : 'run', model, inputs);
  checkOverrides(model, options.contexts ?? {});
  const overrides = ownContexts(options.contexts ?? {}, 'run');
  const { scopes, state } = runScope(model.contexts ?? {}, overrides);
  const env: Env = {
    at: { parent: undefined, name: '', node: model },
    scopes,
    overrides,
    options,
    sync,
  };
  try {
    const r = model.kind.run(model, inputs, env, state);
    return isPromiseLike(r) ? r.then(undefined, (e) => rethrow(env, inputs, e)) : r;
  } catch (e) {
    return rethrow(env, inputs, e);
  }
}

function finish<Out>(r: Step<readonly [unknown, State]>): Step<RunResult<Out>> {
  const done = ([output, s]: readonly [unknown, State]): RunResult<Out> => {
    return { output: output as Out, contexts: runContexts(s, handOut) };
  };
  return isPromiseLike(r) ? r.then(done) : done(r);
}

/** A value passed to `run` for a namespace some provider declares must use a declared key. */
function checkOverrides(model: AnyLayer, overrides: ContextValues): void {
  const declared = declaredKeys(model);
  for (const [ns, values] of Object.entries(overrides)) {
    if (typeof values !== 'object' || values === null) {
      throw new CanopyError('context', `run: contexts.${ns} must be an object of keys, got ${String(values)}`);
    }
    const keys = declared.get(ns);
    if (keys === undefined) continue;
    for (const k of Object.keys(values)) {
      if (!keys.has(k)) {
        throw new CanopyError(
          'context',
          `run: contexts."${ns}"."${k}" must be a key declared by a provider of "${ns}", got an unknown key; declared keys: ${[...keys].join(', ')}`,
        );
      }
    }
  }
}

/**
 * Throws the single error a run reports for its innermost failure: what went wrong and where, the
 * tree around it, the inputs.
 */
function rethrow(env: Env, inputs: Args, e: unknown): never {
  const f = e instanceof LayerFailure ? e : new LayerFailure(env.at, inputs, e);
  const path = pathString(f.at);
  const cause = f.cause;
  const what =
    cause instanceof CanopyError
      ? cause.message.includes(atText(f.at))
        ? cause.message
        : `${cause.message} ${atText(f.at)}`
      : `${f.at.node.kind.name}: the layer's code must not throw, got ${describeError(cause)} ${atText(f.at)}`;
  const shown = f.inputs.length === 0 ? '  (none)' : f.inputs.map((x, i) => `  #${i}: ${summarizeValue(x)}`).join('\n');
  const message = `${what}\n${treeExcerpt(f.at)}\ninputs:\n${shown}`;
  throw new CanopyError(cause instanceof CanopyError ? cause.code : 'layer', message, { path, cause });
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
