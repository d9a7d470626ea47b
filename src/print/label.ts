// One-line descriptions of layers, as Refiners prints them: `Linear(in_features=1, ...)` for
// leaves, `(CHAIN)` for plain containers, `(RES) Residual()` / `(CHAIN) MyModel()` otherwise.
import type { AnyLayer } from '../core/Layer.ts';
import { valueEquals } from '../core/equals.ts';

/**
 * The label of a node in a printed tree.
 *
 * @example
 * ```ts
 * import { Chain, Residual, Concatenate, layerLabel } from 'canopy';
 * layerLabel(Chain()); // '(CHAIN)'
 * layerLabel(Residual()); // '(RES) Residual()'
 * ```
 */
export function layerLabel(node: AnyLayer): string {
  const { kind } = node;
  if (kind.describe !== undefined) return kind.describe(node);
  const text = `${kind.name}(${describeAttrs(node)})`;
  if (kind.tag === undefined) return text;
  return kind.showOnlyTag ? `(${kind.tag})` : `(${kind.tag}) ${text}`;
}

/** `k=v` for every basic attribute (strings, numbers, booleans, arrays of them) that differs from its default. */
export function describeAttrs(node: AnyLayer): string {
  return Object.entries(node.attrs)
    .filter(([k, v]) => isBasic(v) && !valueEquals(v, node.kind.defaults[k]))
    .map(([k, v]) => `${k}=${formatBasic(v)}`)
    .join(', ');
}

function isBasic(v: unknown): boolean {
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  return Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x));
}

function formatBasic(v: unknown): string {
  return Array.isArray(v) ? `(${v.map(String).join(', ')})` : String(v);
}
