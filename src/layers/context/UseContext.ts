// UseContext: ignores its inputs and returns a context entry, optionally mapped.
import type { Args, Layer, Need } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type KeyOf, type NameOf, type NamespaceRef, type ValueOf, nameOf } from '../../context/namespace.ts';
import { readContext } from '../../context/scope.ts';
import { handOut, mapContext } from '../../context/draft.ts';

// --- model

/** The UseContext kind. */
export const UseContextKind = makeKind({
  name: 'UseContext',
  run: (node, _args, env, s) => {
    const value = handOut(readContext(env, s, node.attrs['context'] as string, node.attrs['key'] as string, 'UseContext'));
    const fn = node.attrs['map'] as ((v: unknown) => unknown) | undefined;
    return [fn === undefined ? value : mapContext(value, fn, node.attrs['context'] as string, node.attrs['key'] as string), s] as const;
  },
});

// --- constructors

/**
 * Returns the value of `ns.key` from the nearest enclosing provider of `ns` (or the run), passed
 * through `map` when given. Values are frozen: `map` must not change them (use
 * {@link TakeContext} to consume).
 *
 * @example
 * ```ts
 * import { UseContext, provide, runSync } from 'canopy';
 * const m = provide(UseContext('cfg', 'scale', (v: number) => v * 2), { cfg: { scale: 21 } });
 * runSync(m, []).output; // 42
 * ```
 */
export function UseContext<R extends NamespaceRef, K extends KeyOf<R>, V = ValueOf<R, K>, T = V>(
  ns: R,
  key: K,
  map?: (value: V) => T,
): Layer<Args, T, Need<NameOf<R>, K, V>> {
  const attrs = map === undefined ? { context: nameOf(ns), key } : { context: nameOf(ns), key, map };
  return makeLayer(UseContextKind, attrs, []);
}
UseContext.kind = UseContextKind;
