// Key maps: a declarative table from another framework's weight names to canopy state-dict keys,
// each with the layout conversion its tensor needs (TensorFlow keeps conv filters as HWIO and dense
// kernels as [in, out]; canopy, like PyTorch, as OIHW and [out, in]). The result is a state dict
// for `loadStateDict`, which can be saved as safetensors and loaded back like any other.

import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import { permuteTensor } from '../tensor/strided.ts';
import { makeTensor, showShape, sizeOf, type Tensor } from '../tensor/Tensor.ts';
import type { StateDict } from './stateDict.ts';

// --- model

/**
 * How a source tensor is laid out, hence how it becomes canopy's layout:
 * - `'identity'`: unchanged (biases, anything already in canopy's layout);
 * - `'convHWIO'`: TensorFlow conv filter `[kh, kw, in, out]` → `[out, in, kh, kw]`;
 * - `'depthwise'`: TensorFlow depthwise filter `[kh, kw, C, M]` → `[C·M, 1, kh, kw]` (a Conv2d
 *   with `groups = C`; output channel `c·M + m`, as TensorFlow numbers them);
 * - `'dense'`: TensorFlow dense kernel `[in, out]` → `[out, in]`.
 */
export type Layout = 'identity' | 'convHWIO' | 'depthwise' | 'dense';

/** One row of a key map: source name, canopy key, layout of the source (default `'identity'`). */
export interface KeyMapEntry {
  readonly from: string;
  readonly to: string;
  readonly layout?: Layout;
}

/** A declarative key map: one entry per tensor. */
export type KeyMap = readonly KeyMapEntry[];

/** Options of {@link applyKeyMap}. */
export interface ApplyKeyMapOptions {
  /** Every source tensor must be mapped (default `true`): an unmapped one is reported. */
  readonly strict?: boolean;
}

// --- utils

// One row per layout: the rank and shape its source tensor must have, and the conversion.
const layouts: Readonly<Record<Layout, { readonly rank?: number; readonly shape: string; readonly convert: (t: Tensor) => Tensor }>> = {
  identity: { shape: 'any', convert: (t) => t },
  convHWIO: { rank: 4, shape: '[kh, kw, in, out]', convert: (t) => permuteTensor(t, [3, 2, 0, 1]) },
  dense: { rank: 2, shape: '[in, out]', convert: (t) => permuteTensor(t, [1, 0]) },
  depthwise: {
    rank: 4,
    shape: '[kh, kw, C, M]',
    convert: (t) => {
      const [kh, kw, c, m] = t.shape as [number, number, number, number];
      const p = permuteTensor(t, [2, 3, 0, 1]); // [C, M, kh, kw]: channel c·M + m
      return makeTensor(p.data, [c * m, 1, kh, kw], p.dtype);
    },
  },
};

/** Why `t` cannot be read as `layout` ("must be ..., got ..."), or `undefined` when it can. */
function layoutProblem(t: Tensor, layout: Layout): string | undefined {
  const { rank, shape } = layouts[layout];
  return rank === undefined || t.shape.length === rank ? undefined : `must be ${shape}, got ${showShape(t.shape)}`;
}

// --- combinators

/**
 * Converts one tensor from `layout` to canopy's layout (see {@link Layout}). Throws a
 * CanopyError('shape') when the rank does not fit the layout.
 *
 * @example
 * ```ts
 * import { convertLayout, zeros } from 'canopy-nn';
 * convertLayout(zeros([3, 3, 8, 16]), 'convHWIO').shape; // [16, 8, 3, 3]
 * convertLayout(zeros([3, 3, 8, 2]), 'depthwise').shape; // [16, 1, 3, 3]
 * convertLayout(zeros([128, 136]), 'dense').shape; // [136, 128]
 * ```
 */
export function convertLayout(t: Tensor, layout: Layout): Tensor {
  const problem = layoutProblem(t, layout);
  if (problem !== undefined) throw new CanopyError('shape', `convertLayout: a ${layout} tensor ${problem}`);
  return layouts[layout].convert(t);
}

/**
 * Renames and converts `source` tensors by `map` into a canopy state dict (in the map's order).
 * Every problem (a mapped name absent from the source, a rank that does not fit the layout, two
 * entries with one target, with `strict` an unmapped source tensor) is reported in ONE `Left`
 * CanopyError('io').
 *
 * @example
 * ```ts
 * import { applyKeyMap, zeros } from 'canopy-nn';
 * import * as E from 'fp-ts/lib/Either.js';
 * const tf = new Map([['fc/weights', zeros([4, 2])], ['fc/bias', zeros([2])]]);
 * const d = applyKeyMap(tf, [
 *   { from: 'fc/weights', to: 'Linear.weight', layout: 'dense' },
 *   { from: 'fc/bias', to: 'Linear.bias' },
 * ]);
 * E.isRight(d) && d.right.get('Linear.weight')?.shape; // [2, 4]
 * ```
 */
export function applyKeyMap(source: ReadonlyMap<string, Tensor>, map: KeyMap, options: ApplyKeyMapOptions = {}): E.Either<CanopyError, StateDict> {
  const strict = options.strict ?? true;
  const out = new Map<string, Tensor>();
  const problems: string[] = [];
  const used = new Set<string>();
  for (const { from, to, layout = 'identity' } of map) {
    const t = source.get(from);
    if (out.has(to)) problems.push(`duplicate target: ${to} (from ${from})`);
    if (t === undefined) {
      problems.push(`missing: ${from} (for ${to})`);
      continue;
    }
    used.add(from);
    const problem = layoutProblem(t, layout);
    if (problem === undefined) out.set(to, layouts[layout].convert(t));
    else problems.push(`layout: ${from} as ${layout} ${problem}`);
  }
  if (strict) {
    for (const [k, t] of source) if (!used.has(k)) problems.push(`unmapped: ${k} ${showShape(t.shape)}`);
  }
  if (problems.length > 0) {
    return E.left(new CanopyError(
      'io',
      `applyKeyMap: every entry must find its source tensor in a fitting layout${strict ? ' and every source tensor must be mapped' : ''}, got ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`,
    ));
  }
  return E.right(out);
}

/**
 * Number of values a key map moves (a quick check that a conversion kept every weight).
 *
 * @example
 * ```ts
 * import { stateDictSize, zeros } from 'canopy-nn';
 * stateDictSize(new Map([['a', zeros([2, 3])], ['b', zeros([4])]])); // 10
 * ```
 */
export function stateDictSize(dict: StateDict): number {
  let n = 0;
  for (const t of dict.values()) n += sizeOf(t.shape);
  return n;
}
