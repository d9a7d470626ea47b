// Refiners' `chain[key]` and `chain.layer(path, type)`: reading one node, by a child name or
// index, or by a path with the kind at its end asserted.
import type { AnyLayer } from '../core/Layer.ts';
import { ensurePath, nodeAtUnchecked, type PathLike, type PathStep } from './path.ts';
import { assertKind, showPath } from './atPath.ts';
import type { KindLike, LayerOfKind } from './kindLike.ts';
import type { ValidPath } from './pathTypes.ts';

// --- destructors

/**
 * A direct child by name or index (negative from the end), like Refiners' `chain["Linear_2"]`;
 * throws a `path` error listing the children when there is none.
 *
 * @example
 * ```ts
 * import { Chain, Identity, Lambda, childAt } from 'canopy';
 * childAt(Chain(Identity(), Lambda((x: number) => x)), 'Lambda').kind.name; // 'Lambda'
 * ```
 */
export function childAt(model: AnyLayer, key: PathStep): AnyLayer {
  return nodeAtUnchecked(model, ensurePath(model, [key], 'childAt'));
}

/**
 * The node at `path`, asserting its kind when one is given (the result is then typed by the
 * constructor). `layer(m, '')` / `layer(m, [])` is `m` itself. Errors name the failing step
 * and list the children found there, or name both kinds.
 *
 * @example
 * ```ts
 * import { Chain, Sum, layer } from 'canopy';
 * const m = Chain(Sum(Chain(), Chain()));
 * layer(m, 'Sum.Chain_2', Chain) === layer(m, [0, 1]); // true
 * ```
 */
export function layer<const P extends PathLike, K extends KindLike>(
  model: AnyLayer,
  path: ValidPath<P>,
  kind: K,
): LayerOfKind<K>;
export function layer<const P extends PathLike>(model: AnyLayer, path: ValidPath<P>): AnyLayer;
export function layer(model: AnyLayer, path: PathLike, kind?: KindLike): AnyLayer {
  const node = nodeAtUnchecked(model, ensurePath(model, path, 'layer'));
  if (kind !== undefined) assertKind('layer', node, kind, showPath(path));
  return node;
}
