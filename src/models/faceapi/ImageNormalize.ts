// Per-channel input normalisation `(x - mean[c]) / std`, as face-api's `normalize(x, meanRgb)`
// followed by `div(255)`: a leaf whose constants are attributes (printed, compared), not weights.
import { CanopyError } from '../../errors.ts';
import { backendOf } from '../../layers/backendOf.ts';
import { defineLayer } from '../../layers/define.ts';
import { div, sub } from '../../ops/elementwise.ts';
import { makeTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';

// --- model

/** Options of {@link ImageNormalize}. */
export interface ImageNormalizeOptions {
  /** Mean subtracted from each channel. */
  readonly mean: readonly number[];
  /** Divisor applied after. Default `1`. */
  readonly std?: number;
}

// --- constructors

/**
 * `[N, C, H, W]` → `(x - mean[c]) / std`, same shape.
 *
 * @example
 * ```ts
 * import { ImageNormalize, full, run } from 'canopy-nn';
 * const n = ImageNormalize({ mean: [100, 110, 120], std: 255 });
 * Array.from((await run(n, [full([1, 3, 1, 1], 355)])).output.data, (v) => v.toFixed(2)); // ['1.00', '0.96', '0.92']
 * ```
 */
export const ImageNormalize = defineLayer({
  name: 'ImageNormalize',
  defaults: { std: 1 },
  inputs: ['tensor'],
  init: ({ mean, std = 1 }: ImageNormalizeOptions) => {
    if (mean.length === 0 || !mean.every(Number.isFinite) || !Number.isFinite(std) || std === 0) {
      throw new CanopyError('argument', `ImageNormalize: mean must be finite numbers and std a finite non-zero number, got mean [${mean.join(', ')}] and std ${std}`);
    }
    return { attrs: { mean: Object.freeze([...mean]), std } };
  },
  forward: async ([x]: [Tensor], { attrs: { mean, std } }, env) => {
    if (x.shape.length !== 4 || x.shape[1] !== mean.length) {
      throw new CanopyError('shape', `ImageNormalize: input must be [N, ${mean.length}, H, W], got ${showShape(x.shape)}`);
    }
    const b = backendOf(env);
    const centred = await sub(b, x, makeTensor(Float32Array.from(mean), [1, mean.length, 1, 1]));
    return std === 1 ? centred : div(b, centred, std);
  },
});
