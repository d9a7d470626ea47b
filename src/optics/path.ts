// Addressing nodes. A path is the dotted child names from the root, WITHOUT the root's own name:
// the same string as a state-dict key prefix (`Sum_1.Linear_2`), as an error's `path`, and as
// `select(model).paths()` returns; the root is `''`. Names are recomputed from the structure by
// `childNames`. A step may also be a child index (negative counts from the end, as in Python), so
// `'Sum.Linear_2'`, `['Sum', 1]` and `'0.-1'` can name the same node.
import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { childNames, joinPath } from '../core/names.ts';
import type { IndexPath } from './focus.ts';

// --- model

/** One step: a child name or a child index. */
export type PathStep = string | number;

/** A dotted string of steps (`'Sum.Linear_2'`, `'Sum.0'`), one child index, or an array of steps. */
export type PathLike = string | number | readonly PathStep[];

// --- constructors

// In a string, a segment made of digits (with an optional `-`) is an index: kind names never
// start with a digit, so there is no ambiguity.
function parsePath(path: PathLike): readonly PathStep[] {
  if (typeof path === 'number') return [path];
  if (typeof path !== 'string') return path;
  if (path === '') return [];
  return path.split('.').map((s) => (/^-?\d+$/.test(s) ? Number(s) : s));
}

// --- destructors

/** Resolves a path to child indices, or says which step fails and what is there instead. @internal */
export function resolvePath(root: AnyLayer, path: PathLike, op = 'path'): E.Either<CanopyError, IndexPath> {
  const steps = parsePath(path);
  const out: number[] = [];
  let node = root;
  let at = '';
  for (const step of steps) {
    const n = node.children.length;
    const names = childNames(node);
    let i: number;
    let got: string | undefined;
    if (typeof step === 'number') {
      i = step < 0 ? n + step : step;
      if (!Number.isInteger(step) || i < 0 || i >= n) got = `index ${step} out of range ${n === 0 ? '(no children)' : `[${-n}, ${n - 1}]`}`;
    } else {
      i = names.indexOf(step);
      if (i < 0) got = `no child "${step}"`;
    }
    if (got !== undefined) {
      const where = at === '' ? 'under the root' : `under "${at}"`;
      return E.left(new CanopyError('path', `${op}: "${steps.join('.')}" must exist, got ${got} ${where} (${childList(node)})`, { path: at }));
    }
    out.push(i);
    at = joinPath(at, names[i]!);
    node = node.children[i]!;
  }
  return E.right(out);
}

/** Resolves a path to child indices; throws the `path` error of {@link resolvePath}. @internal */
export function ensurePath(root: AnyLayer, path: PathLike, op = 'path'): IndexPath {
  const r = resolvePath(root, path, op);
  if (E.isLeft(r)) throw r.left;
  return r.right;
}

/** The node at child indices (no checks: the indices must come from this tree). @internal */
export function nodeAtUnchecked(root: AnyLayer, indices: IndexPath): AnyLayer {
  let node = root;
  for (const i of indices) node = node.children[i]!;
  return node;
}

/** The path of child indices (`''` for the root); the indices must come from this tree. @internal */
export function formatPath(root: AnyLayer, indices: IndexPath): string {
  const names: string[] = [];
  let node = root;
  for (const i of indices) {
    names.push(childNames(node)[i]!);
    node = node.children[i]!;
  }
  return names.join('.');
}

// --- utils

/** A path as text, for messages. @internal */
export function showPath(path: PathLike): string {
  return typeof path === 'string' ? path : typeof path === 'number' ? String(path) : path.join('.');
}

/** `children: A, B` or `X has no children`, for error messages. @internal */
export function childList(node: AnyLayer): string {
  const names = childNames(node);
  return names.length === 0 ? `${node.kind.name} has no children` : `children: ${names.join(', ')}`;
}
