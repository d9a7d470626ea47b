// The part of a tree shown in an error: the failing node among its siblings, marked `>>>` and
// followed by its path, as Refiners' ChainError does.
import type { PathEntry } from '../core/Eval.ts';
import { pathString } from '../core/Eval.ts';
import { layerLabel } from './label.ts';
import { childIndex } from '../core/names.ts';

/** At most this many sibling lines around the failing node. */
const WINDOW = 9;

/**
 * The failing node's parent and its children, the failing child marked with `>>>` and its path.
 *
 * @example
 * ```ts
 * // (CHAIN)
 * //     ├── Lambda(x => x + 1)
 * // >>> └── Lambda(boom) | Chain.Lambda_2
 * ```
 */
export function treeExcerpt(at: PathEntry): string {
  const parent = at.parent;
  if (parent === undefined) return `>>> ${layerLabel(at.node)} | ${pathString(at)}`;
  const siblings = parent.node.children;
  const index = childIndex(parent.node, at.name);
  const from = Math.max(0, index - Math.floor(WINDOW / 2));
  const to = Math.min(siblings.length, from + WINDOW);
  const lines = [layerLabel(parent.node)];
  if (from > 0) lines.push(`    │   ... ${from} more above`);
  for (let i = from; i < to; i++) {
    const glyph = i === siblings.length - 1 ? '└── ' : '├── ';
    const label = layerLabel(siblings[i]!);
    lines.push(i === index ? `>>> ${glyph}${label} | ${pathString(at)}` : `    ${glyph}${label}`);
  }
  if (to < siblings.length) lines.push(`    └── ... ${siblings.length - to} more below`);
  return lines.join('\n');
}
