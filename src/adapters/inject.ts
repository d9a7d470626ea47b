// inject / eject: the adapter's two verbs, as pure functions on a model value. Both are
// selections plus one replacement each: every untouched subtree of the result is the very same
// object as in the input, and the input never changes.
import type { AnyLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { Focus } from '../optics/focus.ts';
import { collectFoci } from '../optics/focus.ts';
import { modifyFoci } from '../optics/edit.ts';
import { formatPath } from '../optics/path.ts';
import { adapterInfo, adapterTarget, describeAdapter, requireAdapter, type AdapterInfo } from './Adapter.ts';
import { adapterKeys } from './keys.ts';
import { describeTarget, resolveTarget, type Target } from './target.ts';

// --- model

/** Builds the adapter for one target (it must hold that very target at its `at` path). */
export type AdapterBuilder = (target: AnyLayer, focus: Focus) => AnyLayer;

/** An injected adapter: where it is (raw path and key path) and what it is. */
export interface InjectedAdapter {
  readonly node: AnyLayer;
  readonly info: AdapterInfo;
  /** Dotted child names from the root, through the adapters above it. */
  readonly path: string;
  /** Its target's key path (what the state dict uses). */
  readonly key: string;
}

// --- combinators

/**
 * Puts an adapter in the place of its target. `target` is a key path, the node itself, a
 * `{ kind, where }` or a selection (see {@link Target}); `adapter` is a built adapter (one place
 * only; its target must be the node found there) or a builder called for each target. A named
 * adapter is refused when the model already holds an adapter of that name.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Linear, Multiply, named, makeAdapter, inject, eject, layerEquals } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * const adapted = inject(m, 'Linear', (lin) => makeAdapter(named('MyAdapter', Sum(lin, Multiply({ scale: 0 }))), 0));
 * layerEquals(eject(adapted, 'MyAdapter'), m); // true (by kind name: the only MyAdapter)
 * ```
 */
export function inject(model: AnyLayer, target: Target, adapter: AnyLayer | AdapterBuilder): AnyLayer;
/** Refiners' `adapter.inject()`: the target is the adapter's own target, found in `model` by identity. */
export function inject(model: AnyLayer, adapter: AnyLayer): AnyLayer;
export function inject(model: AnyLayer, target: Target, adapter?: AnyLayer | AdapterBuilder): AnyLayer {
  if (adapter === undefined) {
    const a = target as AnyLayer;
    requireAdapter('inject', a);
    return inject(model, adapterTarget(a), a);
  }
  const foci = resolveTarget('inject', model, target);
  if (typeof adapter !== 'function' && foci.length > 1) {
    throw new CanopyError(
      'argument',
      `inject: one built adapter must go to exactly one place, got ${foci.length} targets for ${describeTarget(target)} (${foci.map((f) => f.path).join(', ')}); pass a builder (target) => adapter instead`,
    );
  }
  const present = injectedAdapters(model);
  const names = new Set<string>();
  return modifyFoci(model, foci, (node, focus) => {
    const built = typeof adapter === 'function' ? adapter(node, focus) : adapter;
    const info = requireAdapter('inject', built);
    if (adapterTarget(built) !== node) {
      const where = info.at === undefined ? 'as the target it replaces' : `at its path [${info.at.join(', ')}]`;
      throw new CanopyError(
        'structure',
        `inject: the adapter must hold the target it replaces ${where}, got a ${adapterTarget(built).kind.name} there instead of the ${node.kind.name} at "${focus.path}"`,
        { path: focus.path },
      );
    }
    if (info.name !== undefined) {
      const clash = present.find((p) => p.info.name === info.name);
      if (clash !== undefined || names.has(info.name)) {
        throw new CanopyError(
          'structure',
          `inject: adapter named "${info.name}" must be injected once, got it already injected at "${clash?.key ?? focus.path}"; eject it first`,
          { path: focus.path },
        );
      }
      names.add(info.name);
    }
    return built;
  });
}

/**
 * Takes an adapter out: every occurrence of it (the same adapter value or record, or every adapter
 * of that name or kind name) is replaced by what it holds at its target path now, so adapters
 * stacked inside it stay. Ejecting what is not injected is an error that lists what is.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, inject, eject, layerEquals } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * const a = makeAdapter(Chain(m.children[0]!), 0, { name: 'a' });
 * layerEquals(eject(inject(m, a), a), m); // true
 * ```
 */
export function eject(model: AnyLayer, adapter: AnyLayer | string): AnyLayer {
  const matches =
    typeof adapter === 'string'
      ? (n: AnyLayer): boolean => {
          const info = adapterInfo(n);
          return info !== undefined && (info.name === adapter || (info.name === undefined && n.kind.name === adapter));
        }
      : ((wanted: AdapterInfo) => (n: AnyLayer): boolean => adapterInfo(n) === wanted)(requireAdapter('eject', adapter));
  let out = model;
  for (let round = 0; ; round++) {
    const foci = collectFoci(out, (n) => matches(n));
    if (foci.length === 0) {
      if (round > 0) return out;
      const present = injectedAdapters(model);
      const want = typeof adapter === 'string' ? `an adapter named "${adapter}"` : `the ${describeAdapter(adapter)} adapter given`;
      throw new CanopyError(
        'structure',
        `eject: ${want} must be injected in the model, got ${present.length === 0 ? 'no adapters' : `only ${present.map((p) => `${describeAdapter(p.node)} at "${p.key}"`).join(', ')}`}`,
      );
    }
    out = modifyFoci(out, foci, ejectOne);
  }
}

/**
 * Ejects every adapter: the base model.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, inject, ejectAll, layerEquals } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }));
 * layerEquals(ejectAll(inject(m, 'Linear', (l) => makeAdapter(Chain(l), 0))), m); // true
 * ```
 */
export function ejectAll(model: AnyLayer): AnyLayer {
  let out = model;
  for (;;) {
    const foci = collectFoci(out, (n) => adapterInfo(n) !== undefined);
    if (foci.length === 0) return out;
    out = modifyFoci(out, foci, ejectOne);
  }
}

/** What takes an adapter's place when it is ejected: its target, if the adapter allows it now. */
function ejectOne(n: AnyLayer): AnyLayer {
  const ok = requireAdapter('eject', n).canEject(n);
  if (ok !== true) throw new CanopyError('structure', `eject: the ${describeAdapter(n)} adapter must be ejectable, got ${ok}`);
  return adapterTarget(n);
}

// --- destructors

/**
 * The adapters a model holds, outermost first, with their raw paths and their targets' key paths.
 *
 * @example
 * ```ts
 * import { Chain, Linear, makeAdapter, inject, injectedAdapters } from 'canopy-nn';
 * const m = inject(Chain(Linear({ inFeatures: 1, outFeatures: 1 })), 'Linear', (l) => makeAdapter(Chain(l), 0));
 * injectedAdapters(m).map((a) => [a.path, a.key]); // [['Chain', 'Linear']]
 * ```
 */
export function injectedAdapters(model: AnyLayer): InjectedAdapter[] {
  const keys = adapterKeys(model);
  const out: InjectedAdapter[] = [];
  const go = (node: AnyLayer, indices: number[]): void => {
    const info = adapterInfo(node);
    if (info !== undefined) out.push({ node, info, path: formatPath(model, indices), key: keys.get(indices.join('.')) ?? '' });
    node.children.forEach((c, i) => go(c, [...indices, i]));
  };
  go(model, []);
  return out;
}
