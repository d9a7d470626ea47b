// UseContext: ignores its inputs and returns a context entry, optionally mapped.
import { handOut, mapContext } from '../../context/draft.ts';
import { type KeyOf, type NameOf, type NamespaceRef, type ValueOf, nameOf } from '../../context/namespace.ts';
import type { Args, Layer, Need } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';

const useContext = defineLayer({
  name: 'UseContext',
  init: (context: string, key: string, map?: (value: unknown) => unknown) => ({
    attrs: map === undefined ? { context, key } : { context, key, map },
  }),
  forward: (_args: Args, self) => {
    const { context, key, map } = self.attrs;
    const value = handOut(self.read(context, key));
    return map === undefined ? value : mapContext(value, map, context, key);
  },
});

/**
 * Returns the value of `ns.key` from the nearest enclosing provider of `ns` (or the run), passed
 * through `map` when given. Values are frozen: `map` must not change them (use
 * {@link TakeContext} to consume).
 *
 * @example
 * ```ts
 * import { UseContext, provide, runSync } from 'canopy-nn';
 * const m = provide(UseContext('cfg', 'scale', (v: number) => v * 2), { cfg: { scale: 21 } });
 * runSync(m, []).output; // 42
 * ```
 */
export function UseContext<R extends NamespaceRef, K extends KeyOf<R>, V = ValueOf<R, K>, T = V>(
  ns: R,
  key: K,
  map?: (value: V) => T,
): Layer<Args, T, Need<NameOf<R>, K, V>> {
  return useContext(nameOf(ns), key, map as ((value: unknown) => unknown) | undefined) as Layer<Args, T, Need<NameOf<R>, K, V>>;
}
UseContext.kind = useContext.kind;
