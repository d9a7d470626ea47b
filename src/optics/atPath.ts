// Lenses on one node of a layer tree, by path. Setting rebuilds the spine only (O(depth)).
// A name path is resolved against each tree it is used on; since names are derived from kinds,
// setting a node of another kind can rename its siblings (Refiners' quirk (a)), and the same
// name path may then name nothing. Index paths never move: prefer them for kind-changing edits.
import type { AnyLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { IndexPath } from './focus.ts';
import type { Lens } from './Lens.ts';
import { modifyAtIndices } from './edit.ts';
import { ensurePath, nodeAtUnchecked, type PathLike } from './path.ts';
import { hasKind, type KindLike, type LayerOfKind } from './kindLike.ts';
import type { ValidPath } from './pathTypes.ts';

// --- constructors

/**
 * The lens on the node at `path` (names and/or indices from the root's children; `''` or `[]`
 * is the root). Reading or setting a path that does not exist throws a `path` error that names
 * the failing step and the children found there.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, Lambda, atPath } from 'canopy';
 * const m = Chain(Sum(Identity(), Identity()));
 * const l = atPath('Sum.Identity_2');
 * l.set(Lambda((x: number) => x))(m).children[0]!.children[1]!.kind.name; // 'Lambda'
 * ```
 */
export function atPath<const P extends PathLike>(path: ValidPath<P>): Lens<AnyLayer, AnyLayer> {
  return {
    _tag: 'Lens',
    get: (s) => nodeAtUnchecked(s, ensurePath(s, path as PathLike, 'atPath')),
    set: (a) => (s) => modifyAtIndices(s, ensurePath(s, path as PathLike, 'atPath'), () => a),
  };
}

/**
 * The lens on the node at child indices: lawful for any replacement, since indices do not
 * depend on kinds.
 *
 * @example
 * ```ts
 * import { Chain, Identity, atIndices } from 'canopy';
 * atIndices([0]).get(Chain(Identity())).kind.name; // 'Identity'
 * ```
 */
export function atIndices(indices: IndexPath): Lens<AnyLayer, AnyLayer> {
  return atPath<IndexPath>(indices);
}

/**
 * The lens on the node at `path`, asserting its kind on read and typing it by the constructor:
 * `atPathOfKind('Sum.Linear_2', Linear)` is a `Lens<AnyLayer, ReturnType<typeof Linear>>`.
 *
 * @example
 * ```ts
 * import { Chain, Sum, atPathOfKind } from 'canopy';
 * atPathOfKind('Sum', Sum).get(Chain(Sum())).kind.name; // 'Sum'
 * ```
 */
export function atPathOfKind<const P extends PathLike, K extends KindLike>(
  path: ValidPath<P>,
  kind: K,
): Lens<AnyLayer, LayerOfKind<K>> {
  const inner = atPath<PathLike>(path);
  return {
    _tag: 'Lens',
    get: (s) => {
      const node = inner.get(s);
      assertKind('atPathOfKind', node, kind, showPath(path as PathLike));
      return node as LayerOfKind<K>;
    },
    set: (a) => inner.set(a),
  };
}

// --- utils

/** A path as text, for messages. @internal */
export function showPath(path: PathLike): string {
  return typeof path === 'string' ? path : typeof path === 'number' ? String(path) : path.join('.');
}

/** Throws a `structure` error unless `node` is of `kind`. @internal */
export function assertKind(op: string, node: AnyLayer, kind: KindLike, path: string): void {
  if (!hasKind(node, kind)) {
    const want = 'evaluate' in kind ? kind.name : kind.kind.name;
    throw new CanopyError(
      'structure',
      `${op}: the node at "${path}" must be a ${want}, got a ${node.kind.name} (at ${path === '' ? 'the root' : path})`,
      { path },
    );
  }
}
