// TakeContext: reads and consumes a context entry in one step (the seed's `x.pop()`).
import type { Draft } from 'immer';
import { freeze } from 'immer';
import { withDraft } from '../../context/draft.ts';
import { type KeyOf, type NameOf, type NamespaceRef, type ValueOf, nameOf } from '../../context/namespace.ts';
import type { Args, Layer, Need } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';

const takeContext = defineLayer({
  name: 'TakeContext',
  init: (context: string, key: string, take: (draft: unknown) => unknown) => ({ attrs: { context, key, take } }),
  forward: (_args: Args, self) => {
    const { context, key, take } = self.attrs;
    const { returned, next } = withDraft(self.read(context, key), take);
    self.write(context, key, next);
    return freeze(returned, true);
  },
});

/**
 * Returns what `take` returns from an immer draft of `ns.key`, and stores the draft's new state:
 * `TakeContext('mymodel', 'residuals', (l) => l.pop())` pops the last residual.
 *
 * @example
 * ```ts
 * import { Chain, TakeContext, provide, runSync } from 'canopy-nn';
 * const m = provide(TakeContext('stack', 'items', (l: number[]) => l.pop()), { stack: { items: [1, 2, 3] } });
 * const { output, contexts } = runSync(m, []);
 * output; // 3
 * contexts.stack!.items; // [1, 2]
 * ```
 */
export function TakeContext<R extends NamespaceRef, K extends KeyOf<R>, T, V = ValueOf<R, K>>(
  ns: R,
  key: K,
  take: (draft: Draft<V>) => T,
): Layer<Args, T, Need<NameOf<R>, K, V>> {
  return takeContext(nameOf(ns), key, take as (draft: unknown) => unknown) as Layer<Args, T, Need<NameOf<R>, K, V>>;
}
TakeContext.kind = takeContext.kind;
