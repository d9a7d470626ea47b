// SetContext: a tap that writes its input (or a function of it) into a context and passes it on.
import type { Draft } from 'immer';
import { withDraft } from '../../context/draft.ts';
import { type KeyOf, type NameOf, type NamespaceRef, type ValueOf, nameOf } from '../../context/namespace.ts';
import type { Layer, Need } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';

/**
 * The new value of a context entry: the callback may edit an immer draft of the current value
 * (`(list, x) => { list.push(x) }`) or return a new value (`(n, x) => n + x`).
 */
export function update(current: unknown, x: unknown, callback: (current: unknown, x: unknown) => unknown): unknown {
  const { returned, next } = withDraft(current, (draft) => callback(draft, x));
  return next !== current || returned === undefined ? next : returned; // writeContext copies it
}

const setContext = defineLayer({
  name: 'SetContext',
  init: (context: string, key: string, callback?: (current: unknown, x: unknown) => unknown) => ({
    attrs: callback === undefined ? { context, key } : { context, key, callback },
  }),
  forward: ([x]: [unknown], self) => {
    const { context, key, callback } = self.attrs;
    self.write(context, key, callback === undefined ? x : update(self.read(context, key), x, callback));
    return x;
  },
});

/**
 * Writes its input into `ns.key` and returns the input unchanged. With a callback, the entry is
 * updated from its current value instead (the callback gets an immer draft, so in-place style
 * edits produce a new immutable value). Writes are seen by every layer evaluated later in the
 * provider's scope.
 *
 * @example
 * ```ts
 * import { Chain, SetContext, UseContext, provide, runSync } from 'canopy-nn';
 * const m = provide(Chain(SetContext('acc', 'items', (l: number[], x: number) => { l.push(x); }), UseContext('acc', 'items')), { acc: { items: [] as number[] } });
 * runSync(m, [7]).output; // [7]
 * ```
 */
export function SetContext<R extends NamespaceRef, K extends KeyOf<R>>(
  ns: R,
  key: K,
): Layer<[ValueOf<R, K>], ValueOf<R, K>, Need<NameOf<R>, K, ValueOf<R, K>>>;
export function SetContext<R extends NamespaceRef, K extends KeyOf<R>, X, C = ValueOf<R, K>>(
  ns: R,
  key: K,
  callback: (current: Draft<C>, x: X) => unknown,
): Layer<[X], X, Need<NameOf<R>, K, C>>;
export function SetContext(ns: NamespaceRef, key: string, callback?: (current: never, x: never) => unknown): Layer<[unknown], unknown, Need> {
  return setContext(nameOf(ns), key, callback as ((current: unknown, x: unknown) => unknown) | undefined);
}
SetContext.kind = setContext.kind;
