// Downsample and Upsample (Refiners' fl.Downsample / fl.Upsample): they share the "sampling"
// context, so a U-Net need not pass shapes around. Downsample pushes the spatial size of its
// input onto `sampling.shapes`; Upsample pops it and resizes back to exactly that size (odd sizes
// survive the round trip). An enclosing layer must provide `{ sampling: { shapes: [] } }`.
import type { AnyLayer, Layer, Need } from '../../core/Layer.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { Identity } from '../structural/Identity.ts';
import { Lambda } from '../structural/Lambda.ts';
import { Parallel } from '../structural/Parallel.ts';
import { SetContext } from '../context/SetContext.ts';
import { TakeContext } from '../context/TakeContext.ts';
import { Conv2d } from '../conv/Conv2d.ts';
import type { SeedOptions } from '../init.ts';
import { defineContainer } from '../define.ts';
import { Pad } from '../misc/Pad.ts';
import { Chain } from '../structural/Chain.ts';
import { Interpolate } from './pooling.ts';

// --- model

/** What Downsample and Upsample need from an enclosing provider. */
export type SamplingNeed = Need<'sampling', 'shapes', number[][]>;

/** Options of {@link Downsample}. */
export interface DownsampleOptions extends SeedOptions {
  readonly channels: number;
  /** Stride of the 3×3 convolution. */
  readonly scaleFactor: number;
  /** Conv padding; `0` pads one pixel at the bottom/right first, as Refiners. Default `0`. */
  readonly padding?: number;
  /** Push the input's spatial size onto `sampling.shapes`. Default `true`. */
  readonly registerShape?: boolean;
}

/** Options of {@link Upsample}. */
export interface UpsampleOptions extends SeedOptions {
  readonly channels: number;
  /** A fixed factor; default `null`: pop the size from `sampling.shapes`. */
  readonly upsampleFactor?: number | null;
}

// --- constructors

/**
 * `[N, channels, H, W]` → `[N, channels, ⌈H/s⌉, ⌈W/s⌉]` by a strided 3×3 Conv2d (key `Conv2d`),
 * recording `[H, W]` in the `sampling` context.
 *
 * @example
 * ```ts
 * import { Chain, Downsample, Upsample, provide, zeros, run } from 'canopy-nn';
 * const m = provide(Chain(Downsample({ channels: 2, scaleFactor: 2 }), Upsample({ channels: 2 })), { sampling: { shapes: [] } });
 * (await run(m, [zeros([1, 2, 5, 7])])).output.shape; // [1, 2, 5, 7]
 * ```
 */
export const Downsample = defineContainer({
  name: 'Downsample',
  options: { channels: true, scaleFactor: true, padding: true, registerShape: true, seed: true },
  extends: Chain,
  defaults: { padding: 0, registerShape: true },
  init: ({ channels, scaleFactor, padding = 0, registerShape = true, seed = 0 }: DownsampleOptions) => {
    checkPositiveInt('Downsample', channels, 'channels');
    checkPositiveInt('Downsample', scaleFactor, 'scaleFactor');
    const children: AnyLayer[] = [];
    if (registerShape) children.push(SetContext('sampling', 'shapes', (l: number[][], x: Tensor) => void l.push([...x.shape.slice(2)])));
    if (padding === 0) children.push(Pad({ pad: [0, 1, 0, 1] }));
    children.push(Conv2d({ inChannels: channels, outChannels: channels, kernelSize: 3, stride: scaleFactor, padding, seed }));
    return { attrs: { channels, scaleFactor, padding, registerShape }, children };
  },
}) as DownsampleConstructor;

/** {@link Downsample}'s constructor: a Chain that needs the `sampling` context. */
type DownsampleConstructor = ((options: DownsampleOptions) => Layer<[Tensor], Tensor, SamplingNeed>) & { readonly kind: Layer['kind'] };

/**
 * Resizes (nearest) to the size Downsample recorded (or by a fixed factor), then a 3×3 Conv2d
 * (key `Conv2d`): `[N, channels, h, w]` → `[N, channels, H, W]`.
 *
 * @example
 * ```ts
 * import { Upsample, zeros, run } from 'canopy-nn';
 * (await run(Upsample({ channels: 2, upsampleFactor: 2 }), [zeros([1, 2, 3, 3])])).output.shape; // [1, 2, 6, 6]
 * ```
 */
export const Upsample = defineContainer({
  name: 'Upsample',
  options: { channels: true, upsampleFactor: true, seed: true },
  extends: Chain,
  defaults: { upsampleFactor: null },
  init: ({ channels, upsampleFactor = null, seed = 0 }: UpsampleOptions) => {
    checkPositiveInt('Upsample', channels, 'channels');
    if (upsampleFactor !== null) checkPositiveInt('Upsample', upsampleFactor, 'upsampleFactor');
    const size: AnyLayer =
      upsampleFactor === null
        ? TakeContext('sampling', 'shapes', (l: number[][]) => l.pop())
        : Lambda((x: Tensor) => x.shape.slice(2).map((d) => d * upsampleFactor));
    const conv = Conv2d({ inChannels: channels, outChannels: channels, kernelSize: 3, padding: 1, seed });
    return { attrs: { channels, upsampleFactor }, children: [Parallel(Identity(), size), Interpolate(), conv] };
  },
}) as UpsampleConstructor;

/** {@link Upsample}'s constructor: a fixed factor needs no `sampling` context. */
type UpsampleConstructor = {
  (options: UpsampleOptions & { readonly upsampleFactor: number }): Layer<[Tensor], Tensor>;
  (options: UpsampleOptions): Layer<[Tensor], Tensor, SamplingNeed>;
  readonly kind: Layer['kind'];
};
