// Pad: `F.pad` as a layer (constant, reflect, replicate, circular), and ReflectionPad2d.
import type { Backend } from '../../backend/Backend.ts';
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { pad } from '../../ops/pad.ts';
import { concat, narrow } from '../../ops/slice.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import { leaf, tensorArg, tensorKind } from './tensorLayer.ts';

// --- model

/** Padding modes of {@link Pad}. */
export type PadLayerMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Options of {@link Pad}. */
export interface PadLayerOptions {
  /** `[before, after]` amounts from the last axis backwards, as `F.pad` (`[left, right, top, bottom]`). */
  readonly pad: readonly number[];
  /** Default `'constant'`. */
  readonly mode?: PadLayerMode;
  /** Fill of constant mode. Default `0`. */
  readonly value?: number;
}

// --- utils

/**
 * Pads like `F.pad` with every mode, `'circular'` (wrap around) included: circular is composed
 * from slices and concatenation. @internal
 */
export async function padAny(b: Backend, x: Tensor, pads: readonly number[], mode: PadLayerMode, value = 0, op = 'Pad'): Promise<Tensor> {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.shape.length || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new CanopyError('argument', `${op}: pad must be non-negative integer pairs for at most ${x.shape.length} axes, got [${pads.join(',')}] for input ${showShape(x.shape)}`);
  }
  if (mode !== 'circular') {
    const r = x.shape.length;
    for (let k = 0; k < pads.length / 2; k++) {
      const d = x.shape[r - 1 - k] ?? 0;
      const [lo, hi] = [pads[2 * k]!, pads[2 * k + 1]!];
      if (mode === 'reflect' && (lo >= d || hi >= d) && lo + hi > 0) {
        throw new CanopyError('shape', `${op}: reflect padding must be smaller than the padded axis, got pad [${lo},${hi}] for axis ${r - 1 - k} of input ${showShape(x.shape)}`);
      }
    }
    return pad(b, x, pads, { mode, value });
  }
  let y = x;
  const r = x.shape.length;
  for (let k = 0; k < pads.length / 2; k++) {
    const axis = r - 1 - k;
    const n = y.shape[axis] ?? 0;
    const [lo, hi] = [pads[2 * k]!, pads[2 * k + 1]!];
    if (lo > n || hi > n) {
      throw new CanopyError('shape', `${op}: circular padding must not exceed the padded axis, got pad [${lo},${hi}] for axis ${axis} of input ${showShape(x.shape)}`);
    }
    const parts: Tensor[] = [];
    if (lo > 0) parts.push(await narrow(b, y, axis, n - lo, lo));
    parts.push(y);
    if (hi > 0) parts.push(await narrow(b, y, axis, 0, hi));
    y = parts.length === 1 ? y : await concat(b, parts, axis);
  }
  return y;
}

// --- kinds

/** The Pad kind. */
export const PadKind = tensorKind<{ pad: readonly number[]; mode: PadLayerMode; value: number }>({
  name: 'Pad',
  defaults: { mode: 'constant', value: 0 },
  forward: (b, args, { pad: pads, mode, value }) => padAny(b, tensorArg('Pad', args), pads, mode, value, 'Pad'),
});

/** The ReflectionPad2d kind. */
export const ReflectionPad2dKind = tensorKind<{ padding: number }>({
  name: 'ReflectionPad2d',
  forward: (b, args, { padding }) => {
    const x = tensorArg('ReflectionPad2d', args);
    if (x.shape.length !== 3 && x.shape.length !== 4) {
      throw new CanopyError('shape', `ReflectionPad2d: input must be [N, C, H, W] or [C, H, W], got ${showShape(x.shape)}`);
    }
    return padAny(b, x, [padding, padding, padding, padding], 'reflect', 0, 'ReflectionPad2d');
  },
});

// --- constructors

/**
 * Pads the last axes (`F.pad` semantics, plus `'circular'`).
 *
 * @example
 * ```ts
 * import { Pad, zeros, run } from 'canopy';
 * (await run(Pad({ pad: [1, 1, 2, 0], mode: 'replicate' }), [zeros([1, 1, 3, 3])])).output.shape; // [1, 1, 5, 5]
 * ```
 */
export function Pad(options: PadLayerOptions): Layer<[Tensor], Tensor> {
  const { pad: pads, mode = 'constant', value = 0 } = options;
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new CanopyError('argument', `Pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got ${String(mode)}`);
  }
  if (pads.length % 2 !== 0 || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new CanopyError('argument', `Pad: pad must be pairs of non-negative integers, got [${pads.join(',')}]`);
  }
  return leaf(PadKind, { pad: Object.freeze([...pads]), mode, value });
}
Pad.kind = PadKind;

/**
 * Mirrors `padding` pixels on each side of the last two axes: `[N, C, H, W]` →
 * `[N, C, H + 2p, W + 2p]` (`padding < H, W`).
 *
 * @example
 * ```ts
 * import { ReflectionPad2d, zeros, run } from 'canopy';
 * (await run(ReflectionPad2d({ padding: 1 }), [zeros([1, 2, 4, 4])])).output.shape; // [1, 2, 6, 6]
 * ```
 */
export function ReflectionPad2d(options: { readonly padding: number }): Layer<[Tensor], Tensor> {
  const { padding } = options;
  if (!Number.isInteger(padding) || padding < 0) throw new CanopyError('argument', `ReflectionPad2d: padding must be a non-negative integer, got ${padding}`);
  return leaf(ReflectionPad2dKind, { padding });
}
ReflectionPad2d.kind = ReflectionPad2dKind;
