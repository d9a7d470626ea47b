// Fusion epilogues: the elementwise work a convolution's output goes through next (bias, then an
// activation), done by the kernel backend while it still holds the output, instead of as separate
// passes over memory. An OPTIONAL capability, not a primitive of the seam: a backend without it
// (the reference, the gradient tape's recording wrapper) gets the composition below, which is the
// specification of every fused pattern; a backend with it must return the same values (the
// property tests in test/backend/gpujs/fused.test.ts check it bit for bit on each gpu.js mode).
// See docs/design.md, "Fusion".

import type { Backend, Conv2dParams, Step } from './Backend.ts';
import { thenStep } from '../core/step.ts';
import { makeTensor, type Tensor } from '../tensor/Tensor.ts';

// --- model

/**
 * Activation of an {@link Epilogue}: `relu` is the `max(y, 0)` primitive, `prelu` the `prelu`
 * primitive with a scalar slope (leaky ReLU; the slope is used as float32).
 */
export type EpilogueActivation = { readonly op: 'relu' } | { readonly op: 'prelu'; readonly slope: number };

/** What a fused convolution applies to its `[N, O, OH, OW]` output, in this order. */
export interface Epilogue {
  /** Per-output-channel bias `[O]`, float32, added first. */
  readonly bias?: Tensor;
  /** Then this activation. */
  readonly activation?: EpilogueActivation;
}

/** The optional fused-convolution capability of a kernel backend. */
export interface ConvEpilogueBackend extends Backend {
  /** `conv2d(x, w, p)` followed by `e`, with the values of {@link composeEpilogue}. */
  conv2dEpilogue(x: Tensor, w: Tensor, p: Conv2dParams, e: Epilogue): Step<Tensor>;
}

// --- predicates

/**
 * Whether `b` fuses convolution epilogues (a wrapper such as the gradient tape does not, so it
 * records the composition and differentiates it).
 *
 * @example
 * ```ts
 * import { hasConvEpilogue, referenceBackend } from 'canopy-nn';
 * hasConvEpilogue(referenceBackend); // false: the reference composes
 * ```
 */
export function hasConvEpilogue(b: Backend): b is ConvEpilogueBackend {
  return typeof (b as Partial<ConvEpilogueBackend>).conv2dEpilogue === 'function';
}

// --- combinators

/**
 * The specification of an epilogue: `y + bias[c]`, then the activation, each one primitive of `b`.
 *
 * @example
 * ```ts
 * import { composeEpilogue, referenceBackend as b, fromArray, toNested } from 'canopy-nn';
 * const y = fromArray([[[[-10]], [[2]]]]);
 * toNested(await composeEpilogue(b, y, { bias: fromArray([0, 1]), activation: { op: 'prelu', slope: 0.1 } })); // [[[[-1]], [[3]]]]
 * ```
 */
export function composeEpilogue(b: Backend, y: Tensor, e: Epilogue): Step<Tensor> {
  const { bias, activation } = e;
  const biased = bias === undefined ? y : thenStep(b.reshape(bias, [1, bias.size, 1, 1]), (bb) => b.binary('add', y, bb));
  if (activation === undefined) return biased;
  const s = makeTensor(new Float32Array([activation.op === 'relu' ? 0 : activation.slope]), []);
  return thenStep(biased, (t) => b.binary(activation.op === 'relu' ? 'max' : 'prelu', t, s));
}

/**
 * {@link composeEpilogue}'s values computed in place on a fresh `[N, O, plane]` float32 buffer
 * that no tensor holds yet (a kernel's output), in one pass: each step rounded to float32 as the
 * composed primitives round it, so the results are the same bits.
 *
 * @example
 * ```ts
 * const d = new Float32Array([-10, 2]);
 * applyEpilogueInPlace(d, 2, 1, new Float32Array([0, 1]), { op: 'prelu', slope: 0.1 }); // d: [-1, 3]
 * ```
 * @internal
 */
export function applyEpilogueInPlace(d: Float32Array, channels: number, plane: number, bias: ArrayLike<number> | undefined, activation: EpilogueActivation | undefined): void {
  const slope = activation === undefined ? 0 : activation.op === 'relu' ? 0 : Math.fround(activation.slope);
  const act = activation === undefined ? 0 : activation.op === 'relu' ? 1 : 2;
  const images = d.length / (channels * plane);
  for (let n = 0, i = 0; n < images; n++) {
    for (let c = 0; c < channels; c++) {
      const bc = bias === undefined ? 0 : bias[c]!;
      const end = i + plane;
      for (; i < end; i++) {
        // Math.fround: the add's float32 result is what the activation sees, as in the composition.
        const v = bias === undefined ? d[i]! : Math.fround(d[i]! + bc);
        // relu is max(v, 0) with NaN propagating (v !== v); prelu is `v > 0 ? v : v * slope`.
        d[i] = act === 0 ? v : v > 0 ? v : act === 1 ? (v !== v ? v : 0) : v * slope;
      }
    }
  }
}
