// Refiners' structural_copy: new container objects, shared leaves. Values never need it for
// safety (an edit never changes the original); it exists for parity and for code that compares
// containers by identity.
import type { AnyLayer } from '../core/Layer.ts';
import { makeLayer } from '../core/Layer.ts';

// --- combinators

/**
 * A copy whose containers are new objects and whose leaves (layers without children: all the
 * weights) are the same objects. The copy is structurally equal to the original.
 *
 * @example
 * ```ts
 * import { Chain, Identity, structuralCopy } from 'canopy';
 * const m = Chain(Chain(Identity()));
 * const c = structuralCopy(m);
 * [c === m, c.children[0] === m.children[0], c.children[0]!.children[0] === m.children[0]!.children[0]];
 * // [false, false, true]
 * ```
 */
export function structuralCopy(model: AnyLayer): AnyLayer {
  if (model.children.length === 0 && model.kind.tag === undefined) return model;
  return makeLayer(model.kind, model.attrs, model.children.map(structuralCopy), {
    contexts: model.contexts,
    params: model.params,
  });
}
