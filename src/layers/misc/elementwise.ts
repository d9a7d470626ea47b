// Multiply: `scale · x + bias`, the knob LoRA and IP-Adapter scales turn.
import { CanopyError } from '../../errors.ts';
import { add, mul } from '../../ops/elementwise.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

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
 * import { Multiply, fromArray, toNested, run } from 'canopy-nn';
 * toNested((await run(Multiply({ scale: 2, bias: 1 }), [fromArray([3])])).output); // [7]
 * ```
 */
export const Multiply = defineLayer({
  name: 'Multiply',
  defaults: { scale: 1, bias: 0 },
  inputs: ['tensor'],
  init: ({ scale = 1, bias = 0 }: MultiplyOptions = {}) => {
    if (!Number.isFinite(scale) || !Number.isFinite(bias)) {
      throw new CanopyError('argument', `Multiply: scale and bias must be finite, got ${scale} and ${bias}`);
    }
    return { attrs: { scale, bias } };
  },
  forward: async ([x]: [Tensor], { attrs: { scale, bias } }, env) => {
    const b = backendOf(env);
    const y = scale === 1 ? x : await mul(b, x, scale);
    return bias === 0 ? y : add(b, y, bias);
  },
});
