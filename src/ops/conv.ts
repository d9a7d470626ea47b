// Convolutions: conv2d and convTranspose2d with PyTorch's options; bias added by a broadcast add.

import { checkOptionKeys } from './checkArgs.ts';
import type { Backend, Pair } from '../backend/Backend.ts';
import { composeEpilogue, hasConvEpilogue, type EpilogueActivation } from '../backend/fused.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { add } from './elementwise.ts';
import { reshape, squeeze, unsqueeze } from './shape.ts';
import { asFloat, checkNonNegativeInt, checkPair, checkPositiveInt, checkRank, fail, pair, showShape } from './util.ts';

// --- model

/**
 * Padding of {@link conv2d}: a number (all sides), `[h, w]` (each pair of sides),
 * `[top, bottom, left, right]` (asymmetric), `'valid'` (none) or `'same'` (output size equals
 * input size; stride 1 only; an odd total puts the extra row/column at the bottom/right, as PyTorch).
 */
export type Conv2dPadding = number | readonly [number, number] | readonly [number, number, number, number] | 'same' | 'valid';

/** Options of {@link conv2d} (`F.conv2d`). */
export interface Conv2dOptions {
  /** Per-output-channel bias `[O]`. Default none. */
  readonly bias?: Tensor;
  /** Stride, number or `[h, w]`. Default `1`. */
  readonly stride?: number | Pair;
  /** See {@link Conv2dPadding}. Default `0`. */
  readonly padding?: Conv2dPadding;
  /** Dilation, number or `[h, w]`. Default `1`. */
  readonly dilation?: number | Pair;
  /** Channel groups (`groups = C` is depthwise). Default `1`. */
  readonly groups?: number;
  /**
   * Activation applied after the bias: `{ op: 'relu' }` (`relu`) or `{ op: 'prelu', slope }`
   * (`leakyRelu(y, slope)`). Same values as the separate ops; a backend that fuses epilogues
   * (gpu.js) applies it while it holds the output instead of in extra passes. Default none.
   */
  readonly activation?: EpilogueActivation;
}

/** Options of {@link convTranspose2d} (`F.conv_transpose2d`). */
export interface ConvTranspose2dOptions {
  /** Per-output-channel bias `[O]`. Default none. */
  readonly bias?: Tensor;
  /** Stride, number or `[h, w]`. Default `1`. */
  readonly stride?: number | Pair;
  /** Implicit padding removed from each side of the output, number or `[h, w]`. Default `0`. */
  readonly padding?: number | Pair;
  /** Extra rows/columns added at the bottom/right, each smaller than stride or dilation. Default `0`. */
  readonly outputPadding?: number | Pair;
  /** Channel groups. Default `1`. */
  readonly groups?: number;
  /** Dilation, number or `[h, w]`. Default `1`. */
  readonly dilation?: number | Pair;
}

// --- helpers

async function batched(b: Backend, op: string, x: Tensor): Promise<[Tensor, boolean]> {
  const t = await asFloat(b, op, x);
  checkRank(op, t, [3, 4]);
  return t.shape.length === 3 ? [await unsqueeze(b, t, 0), true] : [t, false];
}

async function addBias(b: Backend, op: string, y: Tensor, bias: Tensor | undefined, channels: number): Promise<Tensor> {
  if (bias === undefined) return y;
  return add(b, y, await reshape(b, await checkedBias(b, op, bias, channels), [channels, 1, 1]));
}

async function checkedBias(b: Backend, op: string, bias: Tensor, channels: number): Promise<Tensor> {
  if (bias.shape.length !== 1 || bias.shape[0] !== channels) {
    fail('shape', op, `bias must be [${channels}], got ${showShape(bias.shape)}`);
  }
  return asFloat(b, op, bias, 'bias');
}

/** The arguments both convolutions share, validated in the same order: input, weight, groups, stride, dilation. */
async function convArgs(
  b: Backend,
  op: string,
  x: Tensor,
  weight: Tensor,
  options: { readonly groups?: number; readonly stride?: number | readonly [number, number]; readonly dilation?: number | readonly [number, number] },
): Promise<{ t: Tensor; unbatched: boolean; w: Tensor; groups: number; stride: [number, number]; dilation: [number, number] }> {
  const [t, unbatched] = await batched(b, op, x);
  const w = await asFloat(b, op, weight, 'weight');
  checkRank(op, w, [4], 'weight');
  const { groups = 1 } = options;
  checkPositiveInt(op, groups, 'groups');
  const stride = pair(options.stride ?? 1);
  const dilation = pair(options.dilation ?? 1);
  checkPair(op, stride, 'stride', true);
  checkPair(op, dilation, 'dilation', true);
  return { t, unbatched, w, groups, stride, dilation };
}

// --- ops

/**
 * 2-D convolution (cross-correlation, as PyTorch): `x [N, C, H, W]` (or `[C, H, W]`),
 * `weight [O, C/groups, kh, kw]` → `[N, O, OH, OW]` with
 * `OH = floor((H + padTop + padBottom - dilation·(kh - 1) - 1) / stride) + 1`.
 *
 * @example
 * ```ts
 * import { conv2d, ones, referenceBackend as b } from 'canopy-nn';
 * const y = await conv2d(b, ones([1, 2, 5, 5]), ones([4, 2, 3, 3]), { padding: 'same' });
 * y.shape; // [1, 4, 5, 5]
 * ```
 */
export async function conv2d(b: Backend, x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Promise<Tensor> {
  const op = 'conv2d';
  checkOptionKeys(op, options, ['bias', 'stride', 'padding', 'dilation', 'groups', 'activation']);
  const { t, unbatched, w, groups, stride, dilation } = await convArgs(b, op, x, weight, options);
  const [, C = 0, H = 0, W = 0] = t.shape;
  const [O = 0, Cg = 0, KH = 0, KW = 0] = w.shape;
  if (C !== Cg * groups) {
    fail('shape', op, `input channels must equal weight channels × groups (${Cg} × ${groups} = ${Cg * groups}), got input ${showShape(t.shape)} and weight ${showShape(w.shape)}`);
  }
  if (O % groups !== 0) fail('shape', op, `output channels must be divisible by groups ${groups}, got weight ${showShape(w.shape)}`);
  if (KH === 0 || KW === 0 || O === 0) fail('shape', op, `weight dims must be positive, got ${showShape(w.shape)}`);
  const p = options.padding ?? 0;
  let padding: [number, number, number, number];
  if (p === 'valid') padding = [0, 0, 0, 0];
  else if (p === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) fail('argument', op, `padding 'same' needs stride 1, got stride [${stride.join(',')}] (pass explicit [top, bottom, left, right] padding instead)`);
    const th = dilation[0] * (KH - 1);
    const tw = dilation[1] * (KW - 1);
    padding = [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  } else if (typeof p === 'number') padding = [p, p, p, p];
  else if (p.length === 2) padding = [p[0], p[0], p[1], p[1]];
  else if (p.length === 4) padding = [p[0], p[1], p[2], p[3]];
  else return fail('argument', op, `padding must be a number, [h, w], [top, bottom, left, right], 'same' or 'valid', got ${JSON.stringify(p)}`);
  for (const v of padding) checkNonNegativeInt(op, v, 'padding');
  const OH = Math.floor((H + padding[0] + padding[1] - dilation[0] * (KH - 1) - 1) / stride[0]) + 1;
  const OW = Math.floor((W + padding[2] + padding[3] - dilation[1] * (KW - 1) - 1) / stride[1]) + 1;
  if (OH <= 0 || OW <= 0) {
    fail('shape', op, `padded input must be at least the dilated kernel, got input ${showShape(t.shape)}, weight ${showShape(w.shape)}, padding [${padding.join(',')}], dilation [${dilation.join(',')}]`);
  }
  const params = { stride, dilation, padding, groups };
  const { activation } = options;
  let y: Tensor;
  if (activation !== undefined && activation.op !== 'relu' && !(activation.op === 'prelu' && Number.isFinite(activation.slope))) {
    fail('argument', op, `activation must be { op: 'relu' } or { op: 'prelu', slope: <finite number> }, got ${JSON.stringify(activation)}`);
  }
  // Bias and activation are the epilogue a fusing backend applies while it holds the output.
  if (activation === undefined && (options.bias === undefined || !hasConvEpilogue(b))) y = await addBias(b, op, await b.conv2d(t, w, params), options.bias, O);
  else {
    const bias = options.bias === undefined ? undefined : await checkedBias(b, op, options.bias, O);
    const e = { ...(bias === undefined ? {} : { bias }), ...(activation === undefined ? {} : { activation }) };
    y = await (hasConvEpilogue(b) ? b.conv2dEpilogue(t, w, params, e) : composeEpilogue(b, await b.conv2d(t, w, params), e));
  }
  return unbatched ? squeeze(b, y, 0) : y;
}

/**
 * Transposed 2-D convolution (`F.conv_transpose2d`): `x [N, C, H, W]` (or `[C, H, W]`),
 * `weight [C, O/groups, kh, kw]` → `[N, O, OH, OW]` with
 * `OH = (H - 1)·stride - 2·padding + dilation·(kh - 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * import { convTranspose2d, ones, referenceBackend as b } from 'canopy-nn';
 * const y = await convTranspose2d(b, ones([1, 4, 3, 3]), ones([4, 2, 2, 2]), { stride: 2 });
 * y.shape; // [1, 2, 6, 6]
 * ```
 */
export async function convTranspose2d(b: Backend, x: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}): Promise<Tensor> {
  const op = 'convTranspose2d';
  checkOptionKeys(op, options, ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  const { t, unbatched, w, groups, stride, dilation } = await convArgs(b, op, x, weight, options);
  const padding = pair(options.padding ?? 0);
  const outputPadding = pair(options.outputPadding ?? 0);
  checkPair(op, padding, 'padding', false);
  checkPair(op, outputPadding, 'outputPadding', false);
  for (const i of [0, 1] as const) {
    if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
      fail('argument', op, `outputPadding must be smaller than stride or dilation, got outputPadding [${outputPadding.join(',')}], stride [${stride.join(',')}], dilation [${dilation.join(',')}]`);
    }
  }
  const [, C = 0, H = 0, W = 0] = t.shape;
  const [Cw = 0, Og = 0, KH = 0, KW = 0] = w.shape;
  if (C !== Cw) fail('shape', op, `input channels must equal weight dim 0 ([C, O/groups, kh, kw]), got input ${showShape(t.shape)} and weight ${showShape(w.shape)}`);
  if (C % groups !== 0) fail('shape', op, `input channels must be divisible by groups ${groups}, got input ${showShape(t.shape)}`);
  if (Og === 0 || KH === 0 || KW === 0) fail('shape', op, `weight dims must be positive, got ${showShape(w.shape)}`);
  const OH = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (KH - 1) + outputPadding[0] + 1;
  const OW = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (KW - 1) + outputPadding[1] + 1;
  if (OH <= 0 || OW <= 0) fail('shape', op, `output would be empty (${OH}x${OW}), got input ${showShape(t.shape)}, weight ${showShape(w.shape)}, padding [${padding.join(',')}]`);
  const y = await b.convTranspose2d(t, w, { stride, dilation, padding, outputPadding, groups });
  const yb = await addBias(b, op, y, options.bias, Og * groups);
  return unbatched ? squeeze(b, yb, 0) : yb;
}
