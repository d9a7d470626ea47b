// One-line descriptions of layers, as Refiners prints them: `Linear(in_features=1, ...)` for
// leaves, `(CHAIN)` for plain containers, `(RES) Residual()` / `(CHAIN) MyModel()` otherwise.
import type { AnyLayer } from '../core/Layer.ts';
import { valueEquals } from '../core/equals.ts';

/**
 * The label of a node in a printed tree.
 *
 * @example
 * ```ts
 * import { Chain, Residual, Concatenate, layerLabel } from 'canopy-nn';
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
function describeAttrs(node: AnyLayer): string {
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
  return Array.isArray(v) ? `(${v.map(formatScalar).join(', ')})` : formatScalar(v);
}

/** Numbers that are float32 values print as the shortest text that reads back to them (0.1, not 0.10000000149011612). */
function formatScalar(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.fround(v) !== v) return String(v);
  for (let digits = 1; digits < 17; digits++) {
    const text = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}
