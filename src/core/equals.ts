// Structural equality of trees: same kinds, equal attributes and contexts, equal children.
// Shared subtrees short-circuit on identity, so comparing an edited tree with its original costs
// the size of the edit, not of the tree.
import type { AnyLayer } from './Layer.ts';

// --- model

/** Compares two attribute leaves; return `undefined` to fall back to the default comparison. */
export type LeafEquals = (a: unknown, b: unknown) => boolean | undefined;

// --- destructors

/**
 * True when two layer trees are structurally equal. Functions compare by identity; plain data
 * by value; typed arrays (tensor data) element by element.
 *
 * @example
 * ```ts
 * import { Chain, Identity, layerEquals } from 'canopy-nn';
 * layerEquals(Chain(Identity()), Chain(Identity())); // true
 * ```
 */
export function layerEquals(a: AnyLayer, b: AnyLayer, leafEquals?: LeafEquals): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.children.length !== b.children.length) return false;
  if (!valueEquals(a.attrs, b.attrs, leafEquals)) return false;
  if (!valueEquals(a.contexts, b.contexts, leafEquals)) return false;
  if (!valueEquals(a.params, b.params, leafEquals)) return false;
  return a.children.every((c, i) => layerEquals(c, b.children[i]!, leafEquals));
}

/** Deep equality of plain data (arrays, plain objects, typed arrays, primitives with Object.is). */
export function valueEquals(a: unknown, b: unknown, leafEquals?: LeafEquals): boolean {
  if (Object.is(a, b)) return true;
  const custom = leafEquals?.(a, b);
  if (custom !== undefined) return custom;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return typedArrayEquals(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && valueEquals(ra[k], rb[k], leafEquals));
}

function typedArrayEquals(a: object, b: object): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
  const x = a as unknown as ArrayLike<number>;
  const y = b as unknown as ArrayLike<number>;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
