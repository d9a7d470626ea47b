// A model tree as expandable HTML, treescope-style: every layer a <details> element whose summary
// shows its child name, its label and the parameters of its whole subtree; weighted layers list
// their tensors (name, shape, dtype). Plain HTML with class names and no script, so it renders in
// any page and its text can be tested in Node.
import type { AnyLayer } from '../core/Layer.ts';
import { childNames } from '../core/names.ts';
import { countParams, isBuffer } from '../layers/params.ts';
import { layerLabel } from './label.ts';

// --- model

/** Options of {@link printTreeHtml}. */
export interface PrintTreeHtmlOptions {
  /** Levels below the root that start expanded. Default: 1. */
  readonly open?: number;
  /** Name shown for the root. Default: none (its label only). */
  readonly rootName?: string;
}

// --- destructors

/**
 * The model tree as nested `<details>` elements with parameter counts (class `canopy-tree`; the
 * page styles it): {@link printTree}'s labels, with child names (the state-dict path segments),
 * each subtree's parameter count and each layer's tensors; no folding, every node is shown.
 *
 * @example
 * ```ts
 * import { Chain, Linear, printTreeHtml } from 'canopy-nn';
 * const html = printTreeHtml(Chain(Linear({ inFeatures: 3, outFeatures: 2 })));
 * html.startsWith('<div class="canopy-tree"><details open><summary><span class="label">(CHAIN)</span> <span class="count">8 params</span>'); // true
 * ```
 */
export function printTreeHtml(model: AnyLayer, options: PrintTreeHtmlOptions = {}): string {
  return `<div class="canopy-tree">${node(model, options.rootName, options.open ?? 1)}</div>`;
}

// --- utils

function node(layer: AnyLayer, name: string | undefined, open: number): string {
  const { total } = countParams(layer);
  const summary = [
    name === undefined ? '' : `<span class="name">${escapeHtml(name)}</span> `,
    `<span class="label">${escapeHtml(layerLabel(layer))}</span>`,
    total > 0 ? ` <span class="count">${total.toLocaleString('en-US')} params</span>` : '',
  ].join('');
  const tensors = Object.entries(layer.params).map(
    ([k, t]) => `<li class="param"><span class="name">${escapeHtml(k)}</span> ${t.dtype}[${t.shape.join(', ')}]${isBuffer(k) ? ' (buffer)' : ''}</li>`,
  );
  const names = childNames(layer);
  const kids = layer.children.map((c, i) => `<li>${node(c, names[i], open - 1)}</li>`);
  if (tensors.length === 0 && kids.length === 0) return `<div class="leaf">${summary}</div>`;
  return `<details${open > 0 ? ' open' : ''}><summary>${summary}</summary><ul>${tensors.join('')}${kids.join('')}</ul></details>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
