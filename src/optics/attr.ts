// A lens on one static attribute of a layer (`factor` of a Scale, `dim` of a Concatenate).
import type { AnyLayer } from '../core/Layer.ts';
import { makeLayer } from '../core/Layer.ts';
import { lens, type Lens } from './Lens.ts';

// --- constructors

/**
 * The lens on attribute `name` of a layer; setting it keeps kind, children, params and contexts.
 *
 * @example
 * ```ts
 * import { Concatenate, Identity, attr } from 'canopy';
 * attr('dim').get(attr('dim').set(1)(Concatenate(Identity()))); // 1
 * ```
 */
export function attr(name: string): Lens<AnyLayer, unknown> {
  return lens(
    (node) => node.attrs[name],
    (value) => (node) =>
      makeLayer(node.kind, { ...node.attrs, [name]: value }, node.children, { contexts: node.contexts, params: node.params }),
  );
}
