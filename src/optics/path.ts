// Addressing nodes. A path is a list of steps from the root's children down: child names
// (`Linear_2`, recomputed from the structure by `childNames`) or indices (negative counts from the
// end, as in Python). `'Sum.Linear_2'`, `['Sum', 1]` and `[0, -1]` can name the same node. The
// root's own name is not part of a path; `fromRefinersPath` strips it from a `get_path` string.
import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';
import type { IndexPath } from './focus.ts';

// --- model

/** One step: a child name or a child index. */
export type PathStep = string | number;

/** A dotted string of steps (`'Sum.Linear_2'`, `'Sum.0'`), one child index, or an array of steps. */
export type PathLike = string | number | readonly PathStep[];

// --- constructors

/**
 * The steps of a path. In a string, a segment made of digits (with an optional `-`) is an index:
 * kind names never start with a digit, so there is no ambiguity.
 *
 * @example
 * ```ts
 * import { parsePath } from 'canopy';
 * parsePath('Sum.Linear_2'); // ['Sum', 'Linear_2']
 * parsePath('0.-1'); // [0, -1]
 * ```
 */
export function parsePath(path: PathLike): readonly PathStep[] {
  if (typeof path === 'number') return [path];
  if (typeof path !== 'string') return path;
  if (path === '') return [];
  return path.split('.').map((s) => (/^-?\d+$/.test(s) ? Number(s) : s));
}

/**
 * Turns a path printed by Refiners' `get_path` (root name first) into a canopy path.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, fromRefinersPath } from 'canopy';
 * fromRefinersPath(Chain(Sum(Identity())), 'Chain.Sum.Identity'); // 'Sum.Identity'
 * ```
 */
export function fromRefinersPath(root: AnyLayer, path: string): string {
  const [head, ...rest] = path.split('.');
  if (head !== root.kind.name) {
    throw new CanopyError(
      'path',
      `fromRefinersPath: a Refiners path must start with the root's name "${root.kind.name}", got "${path}"`,
      { path },
    );
  }
  return rest.join('.');
}

// --- destructors

/**
 * Resolves a path to child indices, or says which step fails and what is there instead.
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, resolvePath } from 'canopy';
 * resolvePath(Chain(Sum(Identity(), Identity())), 'Sum.Identity_2'); // { _tag: 'Right', right: [0, 1] }
 * ```
 */
export function resolvePath(root: AnyLayer, path: PathLike, op = 'path'): E.Either<CanopyError, IndexPath> {
  const steps = parsePath(path);
  const out: number[] = [];
  let node = root;
  let at = '';
  for (const step of steps) {
    const n = node.children.length;
    const names = childNames(node);
    let i: number;
    if (typeof step === 'number') {
      i = step < 0 ? n + step : step;
      if (!Number.isInteger(step) || i < 0 || i >= n) {
        return E.left(
          new CanopyError(
            'path',
            `${op}: "${showPath(steps)}" must exist, got index ${step} out of range ${n === 0 ? '(no children)' : `[${-n}, ${n - 1}]`} ${under(at)} (${childList(node)})`,
            { path: at },
          ),
        );
      }
    } else {
      i = names.indexOf(step);
      if (i < 0) {
        return E.left(
          new CanopyError('path', `${op}: "${showPath(steps)}" must exist, got no child "${step}" ${under(at)} (${childList(node)})`, {
            path: at,
          }),
        );
      }
    }
    out.push(i);
    at = at === '' ? names[i]! : `${at}.${names[i]!}`;
    node = node.children[i]!;
  }
  return E.right(out);
}

/**
 * Resolves a path to child indices; throws a `path` {@link CanopyError} naming the failing step
 * and the children that exist there.
 *
 * @example
 * ```ts
 * import { Chain, Identity, ensurePath } from 'canopy';
 * ensurePath(Chain(Identity()), 'Identity'); // [0]
 * ```
 */
export function ensurePath(root: AnyLayer, path: PathLike, op = 'path'): IndexPath {
  const r = resolvePath(root, path, op);
  if (E.isLeft(r)) throw r.left;
  return r.right;
}

/**
 * The node at child indices (no checks: the indices must come from this tree).
 *
 * @example
 * ```ts
 * import { Chain, Identity, nodeAtUnchecked } from 'canopy';
 * nodeAtUnchecked(Chain(Identity()), [0]).kind.name; // 'Identity'
 * ```
 */
export function nodeAtUnchecked(root: AnyLayer, indices: IndexPath): AnyLayer {
  let node = root;
  for (const i of indices) node = node.children[i]!;
  return node;
}

/**
 * The dotted name path of child indices (`''` for the root).
 *
 * @example
 * ```ts
 * import { Chain, Sum, Identity, formatPath } from 'canopy';
 * formatPath(Chain(Sum(Identity(), Identity())), [0, 1]); // 'Sum.Identity_2'
 * ```
 */
export function formatPath(root: AnyLayer, indices: IndexPath): string {
  const names: string[] = [];
  let node = root;
  for (const i of indices) {
    const name = childNames(node)[i];
    if (name === undefined) {
      throw new CanopyError('path', `formatPath: index must be below ${node.children.length}, got ${i} ${under(names.join('.'))} (${childList(node)})`);
    }
    names.push(name);
    node = node.children[i]!;
  }
  return names.join('.');
}

// --- utils

/** `children: A, B` or `no children`, for error messages. @internal */
export function childList(node: AnyLayer): string {
  const names = childNames(node);
  return names.length === 0 ? `${node.kind.name} has no children` : `children: ${names.join(', ')}`;
}

/** `under the root` or `under "Sum.Chain"`. @internal */
export function under(path: string): string {
  return path === '' ? 'under the root' : `under "${path}"`;
}

function showPath(steps: readonly PathStep[]): string {
  return steps.join('.');
}
