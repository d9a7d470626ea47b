// Trees of tensors in a model's own shape: gradients, optimiser moments and updates are models
// whose parameters are replaced (same kinds, attributes, children and names), so `stateDict`,
// optics and printing work on them unchanged. A tree holds only the trainable parameters: frozen
// layers, buffers (`running_mean`, ...) and int32 tensors are left out.
import type { AnyLayer, Params } from '../core/Layer.ts';
import { makeLayer } from '../core/Layer.ts';
import { childNames, joinPath } from '../core/names.ts';
import { CanopyError } from '../errors.ts';
import { isBuffer, isFrozen } from '../layers/params.ts';
import { showShape, type Tensor } from '../tensor/Tensor.ts';

// --- destructors

/**
 * True when parameter `name` of `node` is trainable: layer not frozen, not a buffer, float32.
 *
 * @example
 * ```ts
 * import { BatchNorm2d, isTrainable } from 'canopy-nn';
 * const bn = BatchNorm2d({ numFeatures: 2 });
 * [isTrainable(bn, 'weight', bn.params['weight']!), isTrainable(bn, 'running_mean', bn.params['running_mean']!)]; // [true, false]
 * ```
 */
export function isTrainable(node: AnyLayer, name: string, t: Tensor): boolean {
  return !isFrozen(node) && !isBuffer(name) && t.dtype === 'float32';
}

/** The trainable parameters of `model` in tree order (a tensor used twice is listed once). @internal */
export function trainableLeaves(model: AnyLayer): Tensor[] {
  const out = new Set<Tensor>();
  const visit = (node: AnyLayer): void => {
    for (const [name, t] of Object.entries(node.params)) if (isTrainable(node, name, t)) out.add(t);
    node.children.forEach(visit);
  };
  visit(model);
  return [...out];
}

// --- combinators

/**
 * A tree of `model`'s shape whose trainable parameters are `f(tensor)` (the others dropped).
 * @internal
 */
export function mapTrainable<L extends AnyLayer>(model: L, f: (t: Tensor) => Tensor): L {
  const visit = (node: AnyLayer): AnyLayer => {
    const params: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(node.params)) if (isTrainable(node, name, t)) params[name] = f(t);
    return rebuild(node, params, node.children.map(visit));
  };
  return visit(model) as L;
}

/**
 * Walks trees of one shape together (a model, its gradients, optimiser moments): for every
 * parameter of the first tree, in tree order, `f` gets the tensor each tree holds there
 * (`undefined` where a tree has none, as a frozen layer in a gradient tree) and returns the
 * result's tensor, or `undefined` to leave it out. Trees of different shapes (another model, a
 * tree from before an edit) are an error naming the key.
 *
 * @example
 * ```ts
 * import { Linear, zipParams, stateDict } from 'canopy-nn';
 * const m = Linear({ inFeatures: 2, outFeatures: 1 });
 * const weightsOnly = zipParams([m, m], ([a], key) => (key === 'weight' ? a : undefined));
 * [...stateDict(weightsOnly).keys()]; // ['weight']
 * ```
 */
export function zipParams<L extends AnyLayer>(
  trees: readonly [L, ...AnyLayer[]],
  f: (ts: readonly (Tensor | undefined)[], key: string) => Tensor | undefined,
): L {
  const visit = (nodes: readonly AnyLayer[], prefix: string): AnyLayer => {
    const [first] = nodes as [AnyLayer];
    for (const n of nodes) {
      if (n.kind.name !== first.kind.name || n.children.length !== first.children.length) {
        throw new CanopyError('structure', `zipParams: trees must have the same shape, got ${n.kind.name} with ${n.children.length} children and ${first.kind.name} with ${first.children.length} (at ${prefix || '(root)'})`);
      }
    }
    const params: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(first.params)) {
      const key = joinPath(prefix, name);
      const ts = nodes.map((n) => {
        const u = n.params[name];
        if (u !== undefined && (u.shape.length !== t.shape.length || u.shape.some((d, i) => d !== t.shape[i]))) {
          throw new CanopyError('structure', `zipParams: every tree must hold ${key} of shape ${showShape(t.shape)}, got ${showShape(u.shape)}`);
        }
        return u;
      });
      const r = f(ts, key);
      if (r !== undefined) params[name] = r;
    }
    const names = childNames(first);
    const kids = first.children.map((_, i) => visit(nodes.map((n) => n.children[i]!), joinPath(prefix, names[i]!)));
    return rebuild(first, params, kids);
  };
  return visit(trees, '') as L;
}

// --- utils

function rebuild(node: AnyLayer, params: Params, children: readonly AnyLayer[]): AnyLayer {
  const same =
    children.every((c, i) => c === node.children[i]) &&
    Object.keys(params).length === Object.keys(node.params).length &&
    Object.entries(params).every(([k, t]) => node.params[k] === t);
  return same ? node : makeLayer(node.kind, node.attrs, children, { contexts: node.contexts, params });
}
