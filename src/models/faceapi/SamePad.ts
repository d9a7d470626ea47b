// TensorFlow's "SAME" padding as a layer: the padding depends on the input's size, and an odd
// total puts the extra row/column at the BOTTOM/RIGHT (PyTorch's symmetric padding cannot say
// that; putting it top/left moves the face detector's raw outputs by about 20).
import { CanopyError } from '../../errors.ts';
import { backendOf } from '../../layers/backendOf.ts';
import { defineLayer } from '../../layers/define.ts';
import type { AnyLayer } from '../../core/Layer.ts';
import { makeLayer } from '../../core/Layer.ts';
import { MaxPool2d } from '../../layers/sampling/pooling.ts';
import { pad } from '../../ops/pad.ts';
import { maxPool2d, samePadding } from '../../ops/pool.ts';
import { pair } from '../../ops/util.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';

// --- model

/** Options of {@link SamePad}. */
export interface SamePadOptions {
  /** Window of the convolution or pooling that follows. */
  readonly kernelSize: number | readonly [number, number];
  /** Its stride. Default `1`. */
  readonly stride?: number | readonly [number, number];
  /**
   * `'constant'` fills zeros (before a convolution); `'replicate'` repeats the edge, which before
   * a max pool is the same as TensorFlow's "ignore the padded cells" without any infinity flowing
   * through the kernels. Default `'constant'`.
   */
  readonly mode?: 'constant' | 'replicate';
}

// --- utils

// TensorFlow's "SAME" amounts live with the pooling op that takes `padding: 'same'`.
export { samePadding } from '../../ops/pool.ts';

// --- constructors

/**
 * Pads `[N, C, H, W]` as TensorFlow's "SAME" does for the window that follows (extra pixel at the
 * bottom/right), so that a valid convolution or pooling after it gives `ceil(H / stride)` rows.
 *
 * @example
 * ```ts
 * import { SamePad, zeros, run } from 'canopy-nn';
 * (await run(SamePad({ kernelSize: 2, stride: 2 }), [zeros([1, 1, 5, 5])])).output.shape; // [1, 1, 6, 6]
 * ```
 */
export const SamePad = defineLayer({
  name: 'SamePad',
  defaults: { stride: [1, 1], mode: 'constant' },
  inputs: ['tensor'],
  init: ({ kernelSize: k, stride: s = 1, mode = 'constant' }: SamePadOptions) => {
    const kernelSize = typeof k === 'number' ? ([k, k] as const) : k;
    const stride = typeof s === 'number' ? ([s, s] as const) : s;
    if (![...kernelSize, ...stride].every((v) => Number.isInteger(v) && v > 0)) {
      throw new CanopyError('argument', `SamePad: kernelSize and stride must be positive integers, got ${JSON.stringify(k)} and ${JSON.stringify(s)}`);
    }
    if (mode !== 'constant' && mode !== 'replicate') throw new CanopyError('argument', `SamePad: mode must be 'constant' or 'replicate', got ${String(mode)}`);
    return { attrs: { kernelSize, stride, mode } };
  },
  forward: ([x]: [Tensor], { attrs: { kernelSize: [kh, kw], stride: [sh, sw], mode } }, env) => {
    if (x.shape.length !== 4) throw new CanopyError('shape', `SamePad: input must be [N, C, H, W], got ${showShape(x.shape)}`);
    const [top, bottom] = samePadding(x.shape[2]!, kh, sh);
    const [left, right] = samePadding(x.shape[3]!, kw, sw);
    if (top + bottom + left + right === 0) return x;
    return pad(backendOf(env), x, [left, right, top, bottom], { mode });
  },
  // SamePad(replicate) then MaxPool2d of the same window, no padding of its own, in a sequence:
  // one max pool with padding 'same', without the padded copy. The same values on every backend:
  // a replicated cell repeats the nearest edge cell, which lies in the same window (the property
  // test in test/ops/pool.test.ts). Only on [N, C, H, W] inputs with cells, so that every error
  // is still raised by the layer it comes from.
  fuseNext: (node, next, args, _env) => {
    const x = args?.[0];
    const { kernelSize, stride, mode } = node.attrs;
    if (mode !== 'replicate' || next.kind !== MaxPool2d.kind || !isTensor(x) || x.shape.length !== 4 || x.size === 0) return undefined;
    const a = next.attrs as { kernelSize: number | Pair; stride: number | Pair; padding: number | Pair; ceilMode: boolean };
    const same = (p: number | Pair, q: Pair): boolean => pair(p)[0] === q[0] && pair(p)[1] === q[1];
    if (!same(a.kernelSize, kernelSize) || !same(a.stride, stride) || !same(a.padding, [0, 0]) || a.ceilMode) return undefined;
    let fused = samePools.get(node);
    if (fused === undefined) samePools.set(node, (fused = makeLayer(SameMaxPool2d.kind, { kernelSize, stride }, [])));
    return fused;
  },
});

type Pair = readonly [number, number];

// The fused node of a SamePad (made once per node: trees are immutable) and its kind, which only
// the peephole above builds.
const samePools = new WeakMap<AnyLayer, AnyLayer>();
const SameMaxPool2d = defineLayer({
  name: 'SameMaxPool2d',
  inputs: ['tensor'],
  forward: ([x]: [Tensor], { attrs: { kernelSize, stride } }: { attrs: { kernelSize: Pair; stride: Pair } }, env) =>
    maxPool2d(backendOf(env), x, kernelSize, { stride, padding: 'same' }),
});
