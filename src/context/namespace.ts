// Context namespaces: their declarations (with defaults), typed handles, and the marker for a key
// declared without a default (which the caller of `run` must then supply).
import type { Need } from '../core/Layer.ts';

// --- model

const UNSET: unique symbol = Symbol.for('canopy.unset');

/** A key declared without a default: reading it before anything sets it is an error. */
export interface Unset<V> {
  readonly [UNSET]: true;
  /** @internal phantom */
  readonly '~value'?: V;
}

/** A typed handle on a namespace: its name and the type of its keys (and optional defaults). */
export interface Namespace<NS extends string, Shape extends object> {
  readonly name: NS;
  /** @internal phantom */
  readonly '~shape'?: Shape;
}

/** A namespace given by name or by handle. */
export type NamespaceRef = string | Namespace<string, object>;

/** The name of a namespace reference. */
export type NameOf<R> = R extends Namespace<infer NS, object> ? NS : R extends string ? R : never;

/** The value type of `key` in a namespace reference (`unknown` for a plain string). */
export type ValueOf<R, K extends string> =
  R extends Namespace<string, infer S> ? (K extends keyof S ? S[K] : never) : unknown;

/** The keys a namespace reference admits (any string for a plain string). */
export type KeyOf<R> = R extends Namespace<string, infer S> ? Extract<keyof S, string> : string;

/** The entries a declaration discharges: every key with a default (not {@link Unset}). */
export type Discharged<D> = {
  [NS in keyof D & string]: {
    [K in keyof D[NS] & string]: D[NS][K] extends Unset<unknown> ? never : Need<NS, K, unknown>;
  }[keyof D[NS] & string];
}[keyof D & string];

/** The value types of a declaration, unwrapping {@link Unset}. */
export type DeclaredValues<D> = {
  [NS in keyof D]: { [K in keyof D[NS]]: D[NS][K] extends Unset<infer V> ? V : D[NS][K] };
};

/** The `contexts` a caller must pass to `run` to satisfy requirements `R`. */
export type ContextsFor<R extends Need> = {
  [NS in R['ns']]: { [K in Extract<R, { ns: NS }>['key']]: Extract<R, { ns: NS; key: K }>['value'] };
};

// --- constructors

/**
 * Marks a key as declared without a default.
 *
 * @example
 * ```ts
 * import { unset, provide, Chain, UseContext, run } from 'canopy-nn';
 * const m = provide(Chain(UseContext('my context', 'my key')), { 'my context': { 'my key': unset<number>() } });
 * ```
 */
export function unset<V>(): Unset<V> {
  return UNSET_VALUE as Unset<V>;
}

const UNSET_VALUE: Unset<never> = Object.freeze({ [UNSET]: true as const });

/**
 * A typed handle on a namespace, so `UseContext(handle, key)` knows the value's type.
 *
 * @example
 * ```ts
 * import { namespace, UseContext } from 'canopy-nn';
 * const mymodel = namespace<{ residuals: number[] }>()('mymodel');
 * const last = UseContext(mymodel, 'residuals'); // Layer<..., number[], Need<'mymodel', 'residuals', number[]>>
 * ```
 */
export function namespace<Shape extends object>() {
  return <NS extends string>(name: NS): Namespace<NS, Shape> => Object.freeze({ name });
}

// --- destructors

/** True for the {@link unset} marker. */
export function isUnset(x: unknown): boolean {
  return x === UNSET_VALUE;
}

/** The name of a namespace reference. */
export function nameOf(ref: NamespaceRef): string {
  return typeof ref === 'string' ? ref : ref.name;
}
