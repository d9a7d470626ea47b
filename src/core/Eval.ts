// The interpreter's effect: Reader (the environment) + State (the contexts) + maybe-async, in
// fp-ts order: `(env) => (state) => [value, state]`. Every container evaluates its children
// through these combinators, so contexts are threaded explicitly and never mutated.
import type { AnyLayer } from './Layer.ts';
import { type Step, thenStep, isPromiseLike } from './step.ts';

// --- model

/** One step of the path from the root to the node being evaluated (a linked list, built lazily). */
export interface PathEntry {
  readonly parent: PathEntry | undefined;
  /** The node's name among its siblings (`Linear_2`), or the root kind's name. */
  readonly name: string;
  readonly node: AnyLayer;
}

/** What a Breakpoint layer reports. */
export interface BreakpointEvent {
  readonly path: string;
  readonly inputs: readonly unknown[];
}

/** Per-run options read by layers through the environment. */
export interface EvalOptions {
  /** The kernel backend tensor layers use; the global default when absent. */
  readonly backend?: unknown;
  /** Called by every `Breakpoint` layer; default: a `debugger` statement. */
  readonly onBreakpoint?: (event: BreakpointEvent) => void;
}

/** Values of context namespaces: `{ namespace: { key: value } }`. */
export type ContextValues = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The read-only environment (Reader) of an evaluation. */
export interface Env {
  /** The node being evaluated and its ancestors. */
  readonly at: PathEntry;
  /** Namespace → the slot of the nearest enclosing provider that declares it (lexical scope). */
  readonly scopes: Readonly<Record<string, string>>;
  /** Values passed to `run`, applied over every provider's defaults on entry. */
  readonly overrides: ContextValues;
  readonly options: EvalOptions;
  /** True under `runSync`: an asynchronous layer is then an error. */
  readonly sync: boolean;
}

/** The evaluation state: slot (provider path + namespace) → that namespace's current values. */
export type State = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** A computation that reads an {@link Env}, threads a {@link State} and may be asynchronous. */
export type Eval<A> = (env: Env) => (state: State) => Step<readonly [A, State]>;

// --- constructors

/** A computation that returns `a` and changes nothing. */
export const of =
  <A>(a: A): Eval<A> =>
  () =>
  (s) => [a, s];

/** Lifts a value that may be a Promise (a kernel result) into an {@link Eval}. */
export const fromStep =
  <A>(x: () => Step<A>): Eval<A> =>
  () =>
  (s) =>
    thenStep(x(), (a) => [a, s] as const);

/** Reads the environment. */
export const ask: Eval<Env> = (env) => (s) => [env, s];

/** Reads the state. */
export const get: Eval<State> = () => (s) => [s, s];

/** Replaces the state. */
export const put =
  (next: State): Eval<void> =>
  () =>
  () => [undefined, next];

// --- combinators

/** Transforms the result (the function also sees the environment, e.g. for the backend). */
export const map =
  <A, B>(f: (a: A, env: Env) => Step<B>) =>
  (ma: Eval<A>): Eval<B> =>
  (env) =>
  (s) =>
    thenStep(ma(env)(s), ([a, s1]) => thenStep(f(a, env), (b) => [b, s1] as const));

/** Sequences two computations, the second chosen from the first's result. */
export const flatMap =
  <A, B>(f: (a: A) => Eval<B>) =>
  (ma: Eval<A>): Eval<B> =>
  (env) =>
  (s) =>
    thenStep(ma(env)(s), ([a, s1]) => f(a)(env)(s1));

/** Runs a computation in a modified environment (a deeper path, more scopes). */
export const local =
  (f: (env: Env) => Env) =>
  <A>(ma: Eval<A>): Eval<A> =>
  (env) =>
    ma(f(env));

/**
 * Runs computations left to right, threading the state through each, and collects their results.
 * This is what fixes the order of `Sum`, `Parallel`, `Concatenate` branches.
 */
export const sequence =
  <A>(items: ReadonlyArray<Eval<A>>): Eval<A[]> =>
  (env) =>
  (s0) =>
    threadSteps(items.length, (i, s) => items[i]!(env)(s), s0);

/**
 * The loop behind {@link sequence}, without building an Eval per item: `step(i, state)` for
 * i = 0..n-1, each on the state the previous left, results collected; synchronous until a step
 * returns a Promise.
 */
export function threadSteps<A>(
  n: number,
  step: (i: number, s: State) => Step<readonly [A, State]>,
  s0: State,
): Step<readonly [A[], State]> {
  const out: A[] = [];
  const loop = (i: number, s: State): Step<readonly [A[], State]> => {
    for (; i < n; i++) {
      const r = step(i, s);
      if (isPromiseLike(r)) {
        const next = i + 1;
        return r.then(([a, s1]) => {
          out.push(a);
          return loop(next, s1);
        });
      }
      out.push(r[0]);
      s = r[1];
    }
    return [out, s] as const;
  };
  return loop(0, s0);
}

// --- utils

/** The dotted path of an entry, e.g. `Chain.Sum_1.Linear_2`. */
export function pathString(at: PathEntry | undefined): string {
  const names: string[] = [];
  for (let p = at; p !== undefined; p = p.parent) names.push(p.name);
  return names.reverse().join('.');
}
