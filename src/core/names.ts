// Child names, derived from structure as Refiners does: the kind's name if it is unique among the
// siblings, else `Kind_1`, `Kind_2`, ... (1-based, per kind). Never stored, so never stale; cached
// per container value, which is safe because layers are immutable.
import type { AnyLayer } from './Layer.ts';

// --- destructors

const cache = new WeakMap<AnyLayer, readonly string[]>();

/**
 * The names of a container's children, in order.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, childNames } from 'canopy-nn';
 * childNames(Chain(Identity(), Lambda((x: number) => x), Identity()));
 * // ['Identity_1', 'Lambda', 'Identity_2']
 * ```
 */
export function childNames(node: AnyLayer): readonly string[] {
  const hit = cache.get(node);
  if (hit !== undefined) return hit;
  const names = nameSiblings(node.children.map((c) => c.kind.name));
  cache.set(node, names);
  return names;
}

/** Names a list of kind names: unique ones as they are, repeated ones numbered from 1. */
export function nameSiblings(kindNames: readonly string[]): readonly string[] {
  const total = new Map<string, number>();
  for (const k of kindNames) total.set(k, (total.get(k) ?? 0) + 1);
  const seen = new Map<string, number>();
  return Object.freeze(
    kindNames.map((k) => {
      if (total.get(k) === 1) return k;
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      return `${k}_${n}`;
    }),
  );
}

/** `prefix.name`, or `name` at the root (`''`): how paths and state-dict keys grow. */
export function joinPath(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** The index of the child called `name`, or -1. */
export function childIndex(node: AnyLayer, name: string): number {
  return childNames(node).indexOf(name);
}
