// Padding in PyTorch's `F.pad` convention: pairs from the LAST axis backwards.

import type { Backend, PadMode } from '../backend/Backend.ts';
import { checkShape } from '../tensor/create.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { checkOptionKeys } from './checkArgs.ts';
import { concat, narrow } from './slice.ts';
import { checkTensor, fail, showShape } from './util.ts';

/**
 * A mode of {@link pad}: the backend's modes plus `'circular'`, which is composed here from slices
 * and a concat (it copies whole blocks, so a kernel would save nothing).
 */
export type PadOpMode = PadMode | 'circular';

/** Options of {@link pad}. */
export interface PadOptions {
  /**
   * `'constant'` (default), `'reflect'` (mirror without the edge), `'replicate'` (repeat the edge)
   * or `'circular'` (wrap around: the left pad is the axis's last entries, as `F.pad` and
   * `Conv2d(padding_mode='circular')`; each amount must be at most the axis size).
   */
  readonly mode?: PadOpMode;
  /** Fill of `'constant'` mode, any number incl. `-Infinity`. Default `0`. */
  readonly value?: number;
}

/**
 * Pads `x`. `pads` lists `[before, after]` amounts from the last axis backwards, as `F.pad`:
 * `[left, right]` pads the last axis, `[left, right, top, bottom]` the last two. Amounts must be
 * non-negative; reflect needs each amount smaller than its axis, circular at most its axis.
 *
 * @example
 * ```ts
 * import { pad, arange, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await pad(b, arange(3), [1, 2])); // [0, 0, 1, 2, 0, 0]
 * toNested(await pad(b, arange(3), [2, 1], { mode: 'reflect' })); // [2, 1, 0, 1, 2, 1]
 * toNested(await pad(b, arange(3), [2, 1], { mode: 'circular' })); // [1, 2, 0, 1, 2, 0]
 * ```
 */
export async function pad(b: Backend, x: Tensor, pads: readonly number[], options: PadOptions = {}): Promise<Tensor> {
  checkTensor('pad', x);
  checkOptionKeys('pad', options, ['mode', 'value']);
  const { mode = 'constant', value = 0 } = options;
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') {
    fail('argument', 'pad', `mode must be 'constant', 'reflect', 'replicate' or 'circular', got ${String(mode)}`);
  }
  const rank = x.shape.length;
  if (pads.length % 2 !== 0 || pads.length / 2 > rank) {
    fail('argument', 'pad', `pads must hold an even count of at most ${2 * rank} amounts for ${showShape(x.shape)}, got [${pads.join(',')}]`);
  }
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) fail('argument', 'pad', `pad amounts must be non-negative integers, got [${pads.join(',')}]`);
  const perAxis: [number, number][] = x.shape.map(() => [0, 0]);
  for (let k = 0; k < pads.length / 2; k++) perAxis[rank - 1 - k] = [pads[2 * k] ?? 0, pads[2 * k + 1] ?? 0];
  perAxis.forEach(([lo, hi], a) => {
    const d = x.shape[a] ?? 0;
    if (mode === 'reflect' && (lo >= d || hi >= d) && lo + hi > 0) {
      fail('argument', 'pad', `reflect padding must be smaller than the axis, got [${lo},${hi}] for axis ${a} of ${showShape(x.shape)}`);
    }
    if (mode === 'circular' && (lo > d || hi > d)) {
      fail('argument', 'pad', `circular padding must be at most the axis size, got [${lo},${hi}] for axis ${a} of ${showShape(x.shape)}`);
    }
    if (mode === 'replicate' && d === 0 && lo + hi > 0) fail('shape', 'pad', `replicate needs a non-empty axis, got axis ${a} of ${showShape(x.shape)}`);
  });
  if (perAxis.every(([lo, hi]) => lo === 0 && hi === 0)) return x;
  // checked before any kernel: padding by 1e9 failed deep inside as "Invalid typed array length"
  checkShape(x.shape.map((d, a) => d + perAxis[a]![0] + perAxis[a]![1]), 'pad');
  if (mode === 'circular') return padCircular(b, x, perAxis);
  return b.pad(x, perAxis, mode, value);
}

/** Wraps each axis in turn; padding an already padded tensor fills the corners as torch does. */
async function padCircular(b: Backend, x: Tensor, perAxis: readonly (readonly [number, number])[]): Promise<Tensor> {
  let y = x;
  for (const [a, [lo, hi]] of perAxis.entries()) {
    if (lo === 0 && hi === 0) continue;
    const d = x.shape[a] ?? 0;
    const parts: Tensor[] = [];
    if (lo > 0) parts.push(await narrow(b, y, a, d - lo, lo));
    parts.push(y);
    if (hi > 0) parts.push(await narrow(b, y, a, 0, hi));
    y = await concat(b, parts, a);
  }
  return y;
}
