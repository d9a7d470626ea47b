// Providers: any container declares the namespaces it provides, with defaults. Declaring is an
// edit like any other: it returns a new node and discharges the requirements it satisfies.
import { freeze } from 'immer';
import { CanopyError } from '../errors.ts';
import type { AnyLayer, ContextDecl, InputOf, Layer, NeedsOf, OutputOf } from '../core/Layer.ts';
import { makeLayer } from '../core/Layer.ts';
import { kindNamed } from '../core/kind.ts';
import type { Discharged, Namespace, Unset } from './namespace.ts';
import { ownContexts } from './draft.ts';

// --- model

/** A layer whose requirements lose those a declaration `D` satisfies. */
export type Provided<L, D> = Layer<InputOf<L>, OutputOf<L>, Exclude<NeedsOf<L>, Discharged<D>>>;

/** Defaults for a typed namespace: every key, each a value or {@link Unset}. */
export type DefaultsOf<S> = { readonly [K in keyof S]: S[K] | Unset<S[K]> };

// --- constructors

/**
 * Makes `layer` a provider of the namespaces in `decl` (`{ namespace: { key: default } }`).
 * Every evaluation of the provider starts them from these defaults (overridden by the values
 * passed to `run`) and drops them when it ends. Use {@link unset} for a key with no default.
 *
 * @example
 * ```ts
 * import { Chain, UseContext, provide, runSync } from 'canopy-nn';
 * const m = provide(Chain(UseContext('cfg', 'n')), { cfg: { n: 3 } });
 * runSync(m, []).output; // 3
 * ```
 */
export function provide<L extends AnyLayer, const D extends ContextDecl>(layer: L, decl: D): Provided<L, D>;
export function provide<L extends AnyLayer, NS extends string, S extends object>(
  layer: L,
  ns: Namespace<NS, S>,
  defaults: DefaultsOf<S>,
): Provided<L, { [P in NS]: DefaultsOf<S> }>;
export function provide(layer: AnyLayer, declOrNs: ContextDecl | Namespace<string, object>, defaults?: object): AnyLayer {
  const decl: ContextDecl =
    defaults === undefined
      ? (declOrNs as ContextDecl)
      : { [(declOrNs as Namespace<string, object>).name]: defaults as Readonly<Record<string, unknown>> };
  for (const [ns, values] of Object.entries(decl)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new CanopyError('context', `provide: namespace "${ns}" must map keys to defaults, got ${JSON.stringify(values)}`);
    }
  }
  return makeLayer(layer.kind, layer.attrs, layer.children, {
    contexts: freeze({ ...layer.contexts, ...ownContexts(decl, 'provide') }, true), // copies: the caller's defaults stay unfrozen
    params: layer.params,
  });
}

/**
 * Gives a tree its own kind, like a Refiners subclass (`class MyModel(fl.Chain)`): it keeps its
 * family's behaviour, prints as `(CHAIN) MyModel()`, and `isKind(m, Chain.kind)` still holds. The
 * same (kind, name) always gives the same kind, so equal trees built separately compare equal.
 *
 * @example
 * ```ts
 * import { Chain, Identity, named, childNames } from 'canopy-nn';
 * childNames(Chain(named('Encoder', Chain(Identity())))); // ['Encoder']
 * ```
 */
export function named<L extends AnyLayer>(name: string, layer: L): L {
  // A name becomes a key segment: a dot would split it, `~` starts adapter segments, and a
  // derived-name suffix (`Linear_1`) can collide with a numbered sibling's name.
  if (typeof name !== 'string' || name === '' || name.includes('.') || name.startsWith('~') || /_\d+$/.test(name)) {
    throw new CanopyError(
      'argument',
      `named: a layer name must be non-empty, without '.', not starting with '~' and not ending in _<number> (the numbered names siblings get), got ${JSON.stringify(name)}`,
    );
  }
  return makeLayer(kindNamed(layer.kind, name), layer.attrs, layer.children, { contexts: layer.contexts, params: layer.params }) as L;
}
