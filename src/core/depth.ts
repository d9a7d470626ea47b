// The nesting limit of layer trees. Running, printing, state dicts and optics walk a tree
// recursively; past about 1,000 nested Sums (1,600 Chains, 1,400 for state dicts) JavaScript's
// stack ran out and the walk threw a raw RangeError. No real model nests that deep (a U-Net of
// depth 8 is about 30 levels), so every walk checks the depth first, without recursion, and
// reports a CanopyError naming it.
import { CanopyError } from '../errors.ts';
import { isLayer, type AnyLayer } from './Layer.ts';

// --- model

/**
 * Deepest nesting of layers canopy runs, prints or keys: a model nests at most this many layers
 * from its root to any leaf.
 *
 * @example
 * ```ts
 * import { MAX_LAYER_DEPTH } from 'canopy-nn';
 * MAX_LAYER_DEPTH; // 512
 * ```
 */
export const MAX_LAYER_DEPTH = 512;

// --- destructors

/**
 * Throws CanopyError('structure') when `model` nests deeper than {@link MAX_LAYER_DEPTH}; `op`
 * names the caller. Iterative, and cached per tree (trees are immutable).
 * @internal
 */
export function checkDepth(model: AnyLayer, op: string): void {
  const h = heightOf(model, op);
  if (h > MAX_LAYER_DEPTH) {
    throw new CanopyError(
      'structure',
      `${op}: a model must nest at most ${MAX_LAYER_DEPTH} layers deep, got ${h} (from ${model.kind.name}); flatten nested Chains into one`,
    );
  }
}

/**
 * Layers on the longest root-to-leaf branch of `model` (a leaf is 1); computed without recursion
 * and cached per node.
 * @internal
 */
export function heightOf(model: AnyLayer, op = 'heightOf'): number {
  const hit = heights.get(model);
  if (hit !== undefined) return hit;
  // Post-order with an explicit stack: a node is finished once all its children are.
  const stack: [AnyLayer, boolean][] = [[model, false]];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    if (heights.has(node)) continue;
    if (!expanded) {
      stack.push([node, true]);
      const kids: readonly unknown[] = Array.isArray(node.children) ? node.children : [];
      kids.forEach((c, i) => {
        // A child that is not a layer (Chain(5)) would fail deep in the interpreter as a TypeError.
        if (!isLayer(c)) {
          throw new CanopyError('structure', `${op}: every child must be a layer, got ${c === null ? 'null' : typeof c === 'object' ? 'an object that is not a layer' : `${typeof c} ${String(c)}`} as child ${i} of ${node.kind.name}`);
        }
        if (!heights.has(c)) stack.push([c, false]);
      });
      continue;
    }
    let h = 0;
    for (const c of node.children) h = Math.max(h, heights.get(c)!);
    heights.set(node, h + 1);
  }
  return heights.get(model)!;
}

const heights = new WeakMap<AnyLayer, number>();
