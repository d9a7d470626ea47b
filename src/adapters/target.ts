// Where an adapter goes: a target given as a key path, a node, a kind with a predicate, or a
// selection, resolved to foci of the model. Paths and kinds look through adapters already there
// (adapters are transparent to keys, see keys.ts), so a second adapter on the same path wraps
// the same base node and stacks inside the first.
import * as E from 'fp-ts/lib/Either.js';
import type { AnyLayer } from '../core/Layer.ts';
import { isLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { Focus } from '../optics/focus.ts';
import { hasKind, toKind, type KindLike } from '../optics/kindLike.ts';
import { resolvePath, type PathLike } from '../optics/path.ts';
import { showPath } from '../optics/path.ts';
import type { Selection } from '../optics/select.ts';
import { childFocus, rootFocus } from '../optics/focus.ts';
import { keyedNodes, type KeyedNode } from './keys.ts';

// --- model

/** Nodes of a kind, optionally filtered; only base nodes match (never parts of an adapter). */
export interface KindTarget {
  readonly kind: KindLike;
  /** Keeps the matches for which it holds; sees the key path and ancestors. Default: all. */
  readonly where?: (node: AnyLayer, entry: KeyedNode) => boolean;
}

/**
 * What `inject` adapts: a key path (`'Chain_2.Linear'`, adapters looked through; an index path
 * or array is a raw path), the node itself (every base occurrence, by identity), a
 * {@link KindTarget}, or a selection of the same model.
 */
export type Target = PathLike | AnyLayer | KindTarget | Selection;

// --- destructors

/** The foci of `model` a target names (never empty: a target that matches nothing is an error). @internal */
export function resolveTarget(op: string, model: AnyLayer, target: Target): readonly Focus[] {
  const foci = findTarget(op, model, target);
  if (foci.length === 0) {
    throw new CanopyError('path', `${op}: the target must match at least one node, got none for ${describeTarget(target)}`);
  }
  return foci;
}

/** A target as text, for messages. @internal */
export function describeTarget(target: Target): string {
  if (isSelection(target)) return target.query;
  if (isLayer(target)) return `a ${target.kind.name} given by identity`;
  if (isKindTarget(target)) return `kind ${toKind(target.kind).name}${target.where === undefined ? '' : ' where(...)'}`;
  return `path "${showPath(target)}"`;
}

function findTarget(op: string, model: AnyLayer, target: Target): readonly Focus[] {
  if (isSelection(target)) {
    if (target.root !== model) {
      throw new CanopyError('argument', `${op}: a selection target must be taken from the model it adapts, got ${target.query} of another model`);
    }
    return target.foci;
  }
  if (isLayer(target)) return baseFoci(model, (e) => e.node === target);
  if (isKindTarget(target)) {
    const where = target.where;
    return baseFoci(model, (e) => hasKind(e.node, target.kind) && (where === undefined || where(e.node, e)));
  }
  if (typeof target === 'string') {
    const hit = keyedNodes(model).find((e) => !e.owned && e.key === target);
    if (hit !== undefined) return [toFocus(model, hit)];
  }
  const r = resolvePath(model, target, op);
  if (E.isLeft(r)) throw r.left;
  return [r.right.reduce<Focus>(childFocus, rootFocus(model))];
}

/** The outermost base nodes (not the root) for which `match` holds. */
function baseFoci(model: AnyLayer, match: (e: KeyedNode) => boolean): Focus[] {
  const hits: KeyedNode[] = [];
  keyedNodes(model, (e) => {
    if (e.owned || e.indices.length === 0) return e.owned;
    if (match(e)) {
      hits.push(e);
      return true;
    }
    return false;
  });
  return hits.map((e) => toFocus(model, e));
}

function toFocus(model: AnyLayer, e: KeyedNode): Focus {
  return e.indices.reduce<Focus>(childFocus, rootFocus(model));
}

function isSelection(t: Target): t is Selection {
  return typeof t === 'object' && t !== null && 'foci' in t && 'root' in t;
}

function isKindTarget(t: Target): t is KindTarget {
  return typeof t === 'object' && t !== null && !Array.isArray(t) && !isLayer(t) && 'kind' in t;
}

