// TakeContext: reads and consumes a context entry in one step (the seed's `x.pop()`).
import type { Draft } from 'immer';
import { freeze } from 'immer';
import { withDraft } from '../../context/draft.ts';
import type { Args, Layer, Need } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type KeyOf, type NameOf, type NamespaceRef, type ValueOf, nameOf } from '../../context/namespace.ts';
import { readContext, writeContext } from '../../context/scope.ts';

// --- model

/** The TakeContext kind. */
export const TakeContextKind = makeKind({
  name: 'TakeContext',
  run: (node, _args, env, s) => {
    const ns = node.attrs['context'] as string;
    const key = node.attrs['key'] as string;
    const take = node.attrs['take'] as (draft: unknown) => unknown;
    const { returned, next } = withDraft(readContext(env, s, ns, key, 'TakeContext'), take);
    return [freeze(returned, true), writeContext(env, s, ns, key, next, 'TakeContext')] as const;
  },
});

// --- constructors

/**
 * Returns what `take` returns from an immer draft of `ns.key`, and stores the draft's new state:
 * `TakeContext('mymodel', 'residuals', (l) => l.pop())` pops the last residual.
 *
 * @example
 * ```ts
 * import { Chain, TakeContext, provide, runSync } from 'canopy';
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
  return makeLayer(TakeContextKind, { context: nameOf(ns), key, take }, []);
}
TakeContext.kind = TakeContextKind;
