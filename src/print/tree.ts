// Tree printing in Refiners' ModuleTree style: `├── ` / `└── ` / `│   ` glyphs with a 4-space
// indent, `(xN)` folding identical consecutive siblings, `#1` / `#2` for same-kind siblings that
// differ, `...` below the depth limit.
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

interface Rendered {
  readonly label: string;
  readonly children: readonly RenderedChild[];
  readonly key: string; // the whole subtree as text, for folding and numbering
}

interface RenderedChild {
  readonly node: Rendered;
  readonly suffix: string;
}

// --- destructors

/**
 * Prints a model tree as Refiners does.
 *
 * @example
 * ```ts
 * import { Chain, Identity, printTree } from 'canopy';
 * printTree(Chain(Identity(), Identity()));
 * // (CHAIN)
 * //     └── Identity() (x2)
 * ```
 */
export function printTree(model: AnyLayer, options: PrintOptions = {}): string {
  const showParams = options.params ?? false;
  const tree = render(model, options.depth ?? 7, showParams);
  const lines = [showParams ? `${tree.label}${totals(model)}` : tree.label];
  emit(tree, '', lines);
  return lines.join('\n');
}

function render(node: AnyLayer, depth: number, showParams: boolean): Rendered {
  const own = showParams ? paramCount(node) : 0;
  const label = own > 0 ? `${layerLabel(node)} [${own.toLocaleString('en-US')} params]` : layerLabel(node);
  if (node.children.length === 0) return { label, children: [], key: label };
  if (depth <= 0) return { label: `${label} ...`, children: [], key: `${label} ...` };
  const kids = node.children.map((c) => render(c, depth - 1, showParams));
  const children = groupSiblings(node.children, kids);
  return { label, children, key: `${label}{${children.map((c) => c.node.key + c.suffix).join(';')}}` };
}

/** Folds identical consecutive siblings and numbers same-kind siblings that differ. */
function groupSiblings(nodes: readonly AnyLayer[], kids: readonly Rendered[]): RenderedChild[] {
  const groups: { node: Rendered; kind: string; count: number }[] = [];
  kids.forEach((k, i) => {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.node.key === k.key) last.count++;
    else groups.push({ node: k, kind: nodes[i]!.kind.name, count: 1 });
  });
  const distinct = new Map<string, string[]>(); // kind → distinct subtree texts in order
  for (const g of groups) {
    const texts = distinct.get(g.kind) ?? [];
    if (!texts.includes(g.node.key)) texts.push(g.node.key);
    distinct.set(g.kind, texts);
  }
  return groups.map((g) => {
    const texts = distinct.get(g.kind)!;
    const number = texts.length > 1 ? ` #${texts.indexOf(g.node.key) + 1}` : '';
    const fold = g.count > 1 ? ` (x${g.count})` : '';
    return { node: g.node, suffix: number + fold };
  });
}

function totals(model: AnyLayer): string {
  const { total, trainable } = countParams(model);
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return ` [${fmt(total)} params, ${fmt(trainable)} trainable]`;
}

function emit(r: Rendered, prefix: string, lines: string[]): void {
  r.children.forEach((c, i) => {
    const last = i === r.children.length - 1;
    lines.push(`    ${prefix}${last ? '└── ' : '├── '}${c.node.label}${c.suffix}`);
    emit(c.node, prefix + (last ? '    ' : '│   '), lines);
  });
}
