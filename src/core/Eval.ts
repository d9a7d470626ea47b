// What the interpreter threads through a run: a read-only environment (Reader: where we are in
// the tree, which namespaces are in scope, the run's options) and the contexts (State). A kind's
// `run(node, args, env, state)` is the one evaluation protocol, `(env) => (state) => [value,
// state]` uncurried; canopy keeps no curried copy of it (see docs/design.md, "One way in").

import type { AnyLayer } from './Layer.ts';
import type { Step } from './step.ts';

// --- model

/** One step of the path from the root to the node being evaluated (a linked list, built lazily). */
export interface PathEntry {
  readonly parent: PathEntry | undefined;
  /** The node's name among its siblings (`Linear_2`); `''` for the root. */
  readonly name: string;
  readonly node: AnyLayer;
}

/** What a Breakpoint layer reports. */
export interface BreakpointEvent {
  /** Where the Breakpoint is, e.g. `Sum_1.Breakpoint` (`''` at the root). */
  readonly path: string;
  readonly inputs: readonly unknown[];
}

/** Per-run options read by layers through the environment. */
export interface EvalOptions {
  /** The kernel backend tensor layers use; the global default when absent. */
  readonly backend?: unknown;
  /** Called by every `Breakpoint` layer; default: a `debugger` statement. */
  readonly onBreakpoint?: (event: BreakpointEvent) => void;
  /**
   * Value algebras for Sum, Residual, Concatenate and Matmul on values of your own type, checked
   * before the built-in ones (tensors, numbers). Default: none.
   */
  readonly algebras?: ReadonlyArray<ValueAlgebra>;
}

/** How one family of values (numbers, tensors, ...) adds, concatenates and multiplies. */
export interface ValueAlgebra {
  readonly name: string;
  /** True when this algebra handles `x`. */
  readonly accepts: (x: unknown) => boolean;
  readonly add: (a: unknown, b: unknown, env: Env) => Step<unknown>;
  readonly concat: (values: readonly unknown[], dim: number, env: Env) => Step<unknown>;
  readonly matmul: (a: unknown, b: unknown, env: Env) => Step<unknown>;
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

// --- utils

/**
 * The path of an entry: the dotted child names from the root, without the root's own name, the
 * same string as a state-dict key prefix (`Sum_1.Linear_2`); `''` for the root.
 */
export function pathString(at: PathEntry | undefined): string {
  const names: string[] = [];
  for (let p = at; p !== undefined && p.parent !== undefined; p = p.parent) names.push(p.name);
  return names.reverse().join('.');
}

/** `(at Sum_1.Linear_2)`, or `(at the root)`: where an error message says it happened. */
export function atText(at: PathEntry | undefined): string {
  const path = pathString(at);
  return `(at ${path === '' ? 'the root' : path})`;
}
