// Tree printing exactly as Refiners' ModuleTree: `├── ` / `└── ` / `│   ` glyphs with a 4-space
// indent; identical consecutive siblings fold into one line marked ` (xN)`; then, among the
// folded siblings, every one whose kind occurs more than once is numbered ` #1`, ` #2`, ... in
// order (identical or not, adjacent or not), so a folded line reads `X (x2) #1`; a node at the
// depth limit that has children prints as `label ...`.
import type { AnyLayer } from '../core/Layer.ts';
import { layerLabel } from './label.ts';
import { countParams, paramCount } from '../layers/params.ts';

// --- model

/** Options of {@link printTree}. */
export interface PrintOptions {
  /** Levels shown below the root; deeper nodes print as `label ...`. Default: 7. */
  readonly depth?: number;
  /** Show each weighted layer's parameter count and the model's totals. Default: false. */
  readonly params?: boolean;
}

/** Refiners' `TreeNode`: the label, the kind's name (what numbering counts) and the children. */
interface TreeNode {
  readonly value: string;
  readonly kind: string;
  readonly children: readonly TreeNode[];
}

// --- destructors

/**
 * Prints a model tree as Refiners does.
 *
 * @example
 * ```ts
 * import { Chain, Identity, printTree } from 'canopy-nn';
 * printTree(Chain(Identity(), Identity()));
 * // (CHAIN)
 * //     └── Identity() (x2)
 * ```
 */
export function printTree(model: AnyLayer, options: PrintOptions = {}): string {
  const showParams = options.params ?? false;
  const root = fold(toTree(model, showParams));
  const head = showParams ? `${root.value}${totals(model)}` : root.value;
  const depth = options.depth ?? 7;
  if (depth <= 0 && root.children.length > 0) return `${head} ...`;
  return [head, ...lines(root, '', depth)].join('\n');
}

// --- utils

function toTree(node: AnyLayer, showParams: boolean): TreeNode {
  const own = showParams ? paramCount(node) : 0;
  const label = layerLabel(node);
  return {
    value: own > 0 ? `${label} [${own.toLocaleString('en-US')} params]` : label,
    kind: node.kind.name,
    children: node.children.map((c) => toTree(c, showParams)),
  };
}

/** Refiners' `_fold_successive_identical`: equal consecutive siblings become one, ` (xN)` appended. */
function fold(node: TreeNode): TreeNode {
  const children: TreeNode[] = [];
  for (let i = 0; i < node.children.length; ) {
    let j = i + 1;
    while (j < node.children.length && sameTree(node.children[i]!, node.children[j]!)) j++;
    const c = fold(node.children[i]!);
    children.push(j - i > 1 ? { ...c, value: `${c.value} (x${j - i})` } : c);
    i = j;
  }
  return { ...node, children };
}

function sameTree(a: TreeNode, b: TreeNode): boolean {
  return a.value === b.value && a.kind === b.kind && a.children.length === b.children.length && a.children.every((c, i) => sameTree(c, b.children[i]!));
}

/** Refiners' `_generate_tree_repr` below the root: the children's lines, numbered by kind. */
function lines(node: TreeNode, prefix: string, depth: number): string[] {
  const counts = new Map<string, number>();
  for (const c of node.children) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const seen = new Map<string, number>();
  return node.children.flatMap((c, i) => {
    const nth = (seen.get(c.kind) ?? 0) + 1;
    seen.set(c.kind, nth);
    const value = counts.get(c.kind)! > 1 ? `${c.value} #${nth}` : c.value;
    const last = i === node.children.length - 1;
    const line = `    ${prefix}${last ? '└── ' : '├── '}${value}`;
    if (c.children.length === 0) return [line];
    if (depth <= 1) return [`${line} ...`];
    return [line, ...lines(c, prefix + (last ? '    ' : '│   '), depth - 1)];
  });
}

function totals(model: AnyLayer): string {
  const { total, trainable } = countParams(model);
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return ` [${fmt(total)} params, ${fmt(trainable)} trainable]`;
}

