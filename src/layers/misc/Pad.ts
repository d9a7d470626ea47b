// Pad: `F.pad` as a layer (constant, reflect, replicate, circular), and ReflectionPad2d.
import { CanopyError } from '../../errors.ts';
import { pad, type PadOpMode } from '../../ops/pad.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

/** Padding modes of {@link Pad}. */
export type PadLayerMode = PadOpMode;

/** Options of {@link Pad}. */
export interface PadLayerOptions {
  /** `[before, after]` amounts from the last axis backwards, as `F.pad` (`[left, right, top, bottom]`). */
  readonly pad: readonly number[];
  /** Default `'constant'`. */
  readonly mode?: PadLayerMode;
  /** Fill of constant mode. Default `0`. */
  readonly value?: number;
}

/**
 * Pads the last axes (`F.pad` semantics, plus `'circular'`).
 *
 * @example
 * ```ts
 * import { Pad, zeros, run } from 'canopy-nn';
 * (await run(Pad({ pad: [1, 1, 2, 0], mode: 'replicate' }), [zeros([1, 1, 3, 3])])).output.shape; // [1, 1, 5, 5]
 * ```
 */
export const Pad = defineLayer({
  name: 'Pad',
  options: { pad: true, mode: true, value: true },
  defaults: { mode: 'constant', value: 0 },
  inputs: ['tensor'],
  init: ({ pad: pads, mode = 'constant', value = 0 }: PadLayerOptions) => {
    if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
      throw new CanopyError('argument', `Pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got ${String(mode)}`);
    }
    if (pads.length % 2 !== 0 || pads.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new CanopyError('argument', `Pad: pad must be pairs of non-negative integers, got [${pads.join(',')}]`);
    }
    return { attrs: { pad: Object.freeze([...pads]), mode, value } };
  },
  forward: ([x]: [Tensor], { attrs }, env) => pad(backendOf(env), x, attrs.pad, { mode: attrs.mode, value: attrs.value }),
});

/**
 * Mirrors `padding` pixels on each side of the last two axes: `[N, C, H, W]` →
 * `[N, C, H + 2p, W + 2p]` (`padding < H, W`).
 *
 * @example
 * ```ts
 * import { ReflectionPad2d, zeros, run } from 'canopy-nn';
 * (await run(ReflectionPad2d({ padding: 1 }), [zeros([1, 2, 4, 4])])).output.shape; // [1, 2, 6, 6]
 * ```
 */
export const ReflectionPad2d = defineLayer({
  name: 'ReflectionPad2d',
  inputs: ['tensor'],
  init: ({ padding }: { readonly padding: number }) => {
    if (!Number.isInteger(padding) || padding < 0) throw new CanopyError('argument', `ReflectionPad2d: padding must be a non-negative integer, got ${padding}`);
    return { attrs: { padding } };
  },
  forward: ([x]: [Tensor], { attrs: { padding: p } }, env) => {
    if (x.shape.length !== 3 && x.shape.length !== 4) {
      throw new CanopyError('shape', `ReflectionPad2d: input must be [N, C, H, W] or [C, H, W], got ${showShape(x.shape)}`);
    }
    return pad(backendOf(env), x, [p, p, p, p], { mode: 'reflect' });
  },
});
