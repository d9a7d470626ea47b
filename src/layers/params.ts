// Parameter counts and trainable / frozen parameters.
//
// Frozen is a tree-level notion carried by the layers themselves: a layer whose attributes hold
// `frozen: true` has frozen parameters. An attribute (rather than a set of paths kept beside the
// model) travels with the layer through every edit: paths are recomputed when siblings change
// (`Linear` becomes `Linear_1`), an attribute is not. So "freeze the base model, then inject a
// LoRA" leaves exactly the LoRA's parameters trainable. A frozen layer prints `frozen=true`.
//
// Buffers: BatchNorm2d's `running_mean` / `running_var` are in the state dict (PyTorch keeps
// them there too) but are statistics, not parameters: they are never trainable and are not
// counted, as `sum(p.numel() for p in model.parameters())` does not count them.
import type { AnyLayer } from '../core/Layer.ts';
import { makeLayer, withChildren } from '../core/Layer.ts';
import { childNames, joinPath } from '../core/names.ts';
import type { Tensor } from '../tensor/Tensor.ts';

// --- model

/** Totals of a model's parameters (numbers of scalars). */
export interface ParamCounts {
  readonly total: number;
  readonly trainable: number;
  readonly frozen: number;
}

/** Options of {@link freezeParams} and {@link unfreezeParams}. */
export interface FreezeOptions {
  /**
   * Which parameter-holding layers to change, by key prefix (`Encoder.Linear_1`, `''` for the
   * root). Default: every one.
   */
  readonly where?: (prefix: string, node: AnyLayer) => boolean;
}

// --- destructors

/**
 * Visits every layer that holds parameters, in tree order, with its key prefix (`''` for the root).
 * @internal
 */
export function forEachParamLayer(model: AnyLayer, f: (node: AnyLayer, prefix: string) => void): void {
  const visit = (node: AnyLayer, prefix: string): void => {
    if (Object.keys(node.params).length > 0) f(node, prefix);
    const names = childNames(node);
    node.children.forEach((c, i) => visit(c, joinPath(prefix, names[i]!)));
  };
  visit(model, '');
}


/** Number of scalars in the layer's own parameters (not its children's). @internal */
export function paramCount(node: AnyLayer): number {
  let n = 0;
  for (const [name, t] of Object.entries(node.params)) if (!isBuffer(name)) n += t.size;
  return n;
}

/** True for state-dict entries that are statistics rather than learned parameters (`running_mean`, `running_var`). @internal */
export function isBuffer(name: string): boolean {
  return name.startsWith('running_');
}

/**
 * Parameter totals of a whole tree: all, trainable and frozen.
 *
 * @example
 * ```ts
 * import { Chain, Linear, countParams, freezeParams } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 3, outFeatures: 2 }), Linear({ inFeatures: 2, outFeatures: 1 }));
 * countParams(m); // { total: 11, trainable: 11, frozen: 0 }
 * countParams(freezeParams(m)).frozen; // 11
 * ```
 */
export function countParams(model: AnyLayer): ParamCounts {
  let total = 0;
  let frozen = 0;
  forEachParamLayer(model, (node) => {
    const n = paramCount(node);
    total += n;
    if (isFrozen(node)) frozen += n;
  });
  return { total, trainable: total - frozen, frozen };
}

/**
 * Parameter count of every layer that holds parameters, by key prefix (`''` for the root).
 *
 * @example
 * ```ts
 * import { Chain, Linear, paramCountsByLayer } from 'canopy-nn';
 * [...paramCountsByLayer(Chain(Linear({ inFeatures: 3, outFeatures: 2 })))]; // [['Linear', 8]]
 * ```
 */
export function paramCountsByLayer(model: AnyLayer): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  forEachParamLayer(model, (node, prefix) => out.set(prefix, paramCount(node)));
  return out;
}

/**
 * True when the layer's parameters are frozen.
 *
 * @example
 * ```ts
 * import { Linear, freezeParams, isFrozen } from 'canopy-nn';
 * isFrozen(freezeParams(Linear({ inFeatures: 1, outFeatures: 1 }))); // true
 * ```
 */
export function isFrozen(node: AnyLayer): boolean {
  return node.attrs['frozen'] === true;
}

// --- combinators

/**
 * Marks parameter-holding layers as frozen (all of them, or those `where` selects). Returns a new
 * tree; layers already in the wanted state are kept as they are.
 *
 * @example
 * ```ts
 * import { Chain, Linear, freezeParams, countParams } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 2 }), Linear({ inFeatures: 2, outFeatures: 2 }));
 * countParams(freezeParams(m, { where: (p) => p === 'Linear_1' })); // { total: 12, trainable: 6, frozen: 6 }
 * ```
 */
export function freezeParams<L extends AnyLayer>(model: L, options: FreezeOptions = {}): L {
  return setFrozen(model, true, options.where) as L;
}

/**
 * Clears the frozen mark (all layers, or those `where` selects).
 *
 * @example
 * ```ts
 * import { Linear, freezeParams, unfreezeParams, isFrozen } from 'canopy-nn';
 * isFrozen(unfreezeParams(freezeParams(Linear({ inFeatures: 1, outFeatures: 1 })))); // false
 * ```
 */
export function unfreezeParams<L extends AnyLayer>(model: L, options: FreezeOptions = {}): L {
  return setFrozen(model, false, options.where) as L;
}

// --- utils

function setFrozen(model: AnyLayer, frozen: boolean, where?: (prefix: string, node: AnyLayer) => boolean): AnyLayer {
  const visit = (node: AnyLayer, prefix: string): AnyLayer => {
    const names = childNames(node);
    const kids = node.children.map((c, i) => visit(c, joinPath(prefix, names[i]!)));
    const out = withChildren(node, kids);
    const wanted = Object.keys(node.params).length > 0 && (where === undefined || where(prefix, node));
    if (!wanted || isFrozen(node) === frozen) return out;
    const { frozen: _drop, ...rest } = node.attrs;
    const attrs = frozen ? { ...rest, frozen: true } : rest;
    return makeLayer(out.kind, attrs, out.children, { contexts: out.contexts, params: out.params });
  };
  return visit(model, '');
}
