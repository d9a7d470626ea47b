// SetContext: a tap that writes its input (or a function of it) into a context and passes it on.
import type { Draft } from 'immer';
import { withDraft } from '../../context/draft.ts';
import type { Layer, Need } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type KeyOf, type NameOf, type NamespaceRef, type ValueOf, nameOf } from '../../context/namespace.ts';
import { readContext, writeContext } from '../../context/scope.ts';

// --- model

/** The SetContext kind. */
export const SetContextKind = makeKind({
  name: 'SetContext',
  run: (node, args, env, s) => {
    const ns = node.attrs['context'] as string;
    const key = node.attrs['key'] as string;
    const callback = node.attrs['callback'] as ((current: unknown, x: unknown) => unknown) | undefined;
    const x = args[0];
    const next = callback === undefined ? x : update(readContext(env, s, ns, key, 'SetContext'), x, callback);
    return [x, writeContext(env, s, ns, key, next, 'SetContext')] as const;
  },
});

/**
 * The new value of a context entry: the callback may edit an immer draft of the current value
 * (`(list, x) => { list.push(x) }`) or return a new value (`(n, x) => n + x`).
 */
export function update(current: unknown, x: unknown, callback: (current: unknown, x: unknown) => unknown): unknown {
  const { returned, next } = withDraft(current, (draft) => callback(draft, x));
  return next !== current || returned === undefined ? next : returned; // writeContext copies it
}

// --- constructors

/**
 * Writes its input into `ns.key` and returns the input unchanged. With a callback, the entry is
 * updated from its current value instead (the callback gets an immer draft, so in-place style
 * edits produce a new immutable value). Writes are seen by every layer evaluated later in the
 * provider's scope.
 *
 * @example
 * ```ts
 * import { Chain, SetContext, UseContext, provide, runSync } from 'canopy';
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
export function SetContext(
  ns: NamespaceRef,
  key: string,
  callback?: (current: never, x: never) => unknown,
): Layer<[unknown], unknown, Need> {
  const attrs = callback === undefined ? { context: nameOf(ns), key } : { context: nameOf(ns), key, callback };
  return makeLayer(SetContextKind, attrs, []);
}
SetContext.kind = SetContextKind;
