// Elementwise leaves without weights: Sin, Cos and Multiply (`scale · x + bias`, the knob LoRA
// and IP-Adapter scales turn).
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { add, cos, mul, sin } from '../../ops/elementwise.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { leaf, tensorArg, tensorKind } from './tensorLayer.ts';

/** The Sin kind. */
export const SinKind = tensorKind({ name: 'Sin', forward: (b, args) => sin(b, tensorArg('Sin', args)) });
/** The Cos kind. */
export const CosKind = tensorKind({ name: 'Cos', forward: (b, args) => cos(b, tensorArg('Cos', args)) });

/** The Multiply kind. */
export const MultiplyKind = tensorKind<{ scale: number; bias: number }>({
  name: 'Multiply',
  defaults: { scale: 1, bias: 0 },
  forward: async (b, args, { scale, bias }) => {
    const x = tensorArg('Multiply', args);
    const y = scale === 1 ? x : await mul(b, x, scale);
    return bias === 0 ? y : add(b, y, bias);
  },
});

/**
 * Elementwise sine.
 *
 * @example
 * ```ts
 * import { Sin, fromArray, toNested, run } from 'canopy';
 * toNested((await run(Sin(), [fromArray([0])])).output); // [0]
 * ```
 */
export function Sin(): Layer<[Tensor], Tensor> {
  return leaf(SinKind, {});
}
Sin.kind = SinKind;

/**
 * Elementwise cosine.
 *
 * @example
 * ```ts
 * import { Cos, fromArray, toNested, run } from 'canopy';
 * toNested((await run(Cos(), [fromArray([0])])).output); // [1]
 * ```
 */
export function Cos(): Layer<[Tensor], Tensor> {
  return leaf(CosKind, {});
}
Cos.kind = CosKind;

/** Options of {@link Multiply}. */
export interface MultiplyOptions {
  /** Factor. Default `1`. */
  readonly scale?: number;
  /** Added after scaling. Default `0`. */
  readonly bias?: number;
}

/**
 * `scale · x + bias`.
 *
 * @example
 * ```ts
 * import { Multiply, fromArray, toNested, run } from 'canopy';
 * toNested((await run(Multiply({ scale: 2, bias: 1 }), [fromArray([3])])).output); // [7]
 * ```
 */
export function Multiply(options: MultiplyOptions = {}): Layer<[Tensor], Tensor> {
  const { scale = 1, bias = 0 } = options;
  if (!Number.isFinite(scale) || !Number.isFinite(bias)) {
    throw new CanopyError('argument', `Multiply: scale and bias must be finite, got ${scale} and ${bias}`);
  }
  return leaf(MultiplyKind, { scale, bias });
}
Multiply.kind = MultiplyKind;
