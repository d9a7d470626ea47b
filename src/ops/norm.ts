// Normalisations: layer, group, instance and (inference) batch norm, with affine parameters.
// Statistics use the biased variance (divide by n), as PyTorch's norms do.

import { checkEps, checkOptionKeys } from './checkArgs.ts';
import type { Backend } from '../backend/Backend.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { add, mul, rsqrt, sub } from './elementwise.ts';
import { mean } from './reduce.ts';
import { reshape } from './shape.ts';
import { asFloat, checkPositiveInt, fail, showShape } from './util.ts';

/** Affine parameters and epsilon shared by the norms. */
export interface NormOptions {
  /** Scale, multiplied after normalising. Default none (1). */
  readonly weight?: Tensor;
  /** Shift, added after scaling. Default none (0). */
  readonly bias?: Tensor;
  /** Added to the variance. Default `1e-5`. */
  readonly eps?: number;
}

/** `(x - mean) / sqrt(var + eps)` over `axes` (biased variance). @internal */
async function standardize(b: Backend, x: Tensor, axes: readonly number[], eps: number): Promise<Tensor> {
  const d = await sub(b, x, await mean(b, x, axes, { keepdims: true }));
  const v = await mean(b, await mul(b, d, d), axes, { keepdims: true });
  return mul(b, d, await rsqrt(b, await add(b, v, eps)));
}

/** Multiplies by weight and adds bias, each reshaped to `shape` after checking it is `[n]`-sized. */
async function affine(b: Backend, op: string, y: Tensor, options: NormOptions, expected: readonly number[], shape: readonly number[]): Promise<Tensor> {
  let out = y;
  for (const [key, f] of [['weight', mul], ['bias', add]] as const) {
    const p = options[key];
    if (p === undefined) continue;
    if (p.shape.length !== expected.length || p.shape.some((d, i) => d !== expected[i])) {
      fail('shape', op, `${key} must be ${showShape(expected)}, got ${showShape(p.shape)}`);
    }
    out = await f(b, out, await reshape(b, await asFloat(b, op, p, key), shape));
  }
  return out;
}

function channelsFirst(op: string, x: Tensor, minRank: number): number {
  if (x.shape.length < minRank) fail('shape', op, `input must be [N, C, ...] of rank at least ${minRank}, got ${showShape(x.shape)}`);
  return x.shape[1] ?? 0;
}

/**
 * The norms, as PyTorch's (biased variance, `eps` 1e-5, optional affine `weight` and `bias`):
 * `layerNorm` over the trailing `normalizedShape` axes (`F.layer_norm`; weight and bias of that
 * shape); on `x [N, C, ...]` with weight and bias `[C]`: `groupNorm` over groups of `numGroups`
 * channels and all positions (`F.group_norm`), `instanceNorm` over each `(n, c)`'s positions
 * (`F.instance_norm` with input statistics), `batchNorm` with given running statistics `[C]`
 * (`F.batch_norm(training=False)`).
 *
 * @example
 * ```ts
 * import { layerNorm, groupNorm, instanceNorm, batchNorm, fromArray, ones, randn, zeros, referenceBackend as b, toNested } from 'canopy-nn';
 * toNested(await layerNorm(b, fromArray([[1, 3]]), [2], { eps: 0 })); // [[-1, 1]]
 * (await groupNorm(b, randn([2, 4, 3, 3], 0), 2)).shape; // [2, 4, 3, 3]
 * (await instanceNorm(b, randn([1, 3, 4, 4], 0))).shape; // [1, 3, 4, 4]
 * toNested(await batchNorm(b, fromArray([[2, 4]]), zeros([2]), ones([2]), { eps: 0 })); // [[2, 4]]
 * ```
 */
export async function layerNorm(b: Backend, x: Tensor, normalizedShape: number | readonly number[], options: NormOptions = {}): Promise<Tensor> {
  const op = 'layerNorm';
  checkOptionKeys(op, options, ['weight', 'bias', 'eps']);
  checkEps(op, options.eps);
  const t = await asFloat(b, op, x);
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = t.shape.slice(t.shape.length - ns.length);
  if (ns.length === 0 || ns.length > t.shape.length || tail.some((d, i) => d !== ns[i])) {
    fail('shape', op, `input must end with normalizedShape ${showShape(ns)}, got ${showShape(t.shape)}`);
  }
  const axes = ns.map((_, i) => t.shape.length - ns.length + i);
  const y = await standardize(b, t, axes, options.eps ?? 1e-5);
  return affine(b, op, y, options, ns, ns);
}

/** Group norm (`F.group_norm`) of `x [N, C, ...]`; see {@link layerNorm}. */
export async function groupNorm(b: Backend, x: Tensor, numGroups: number, options: NormOptions = {}): Promise<Tensor> {
  const op = 'groupNorm';
  checkOptionKeys(op, options, ['weight', 'bias', 'eps']);
  checkEps(op, options.eps);
  const t = await asFloat(b, op, x);
  const C = channelsFirst(op, t, 2);
  checkPositiveInt(op, numGroups, 'numGroups');
  if (C % numGroups !== 0) fail('shape', op, `channels must be divisible by numGroups ${numGroups}, got input ${showShape(t.shape)}`);
  const N = t.shape[0] ?? 0;
  const grouped = await reshape(b, t, [N, numGroups, -1]);
  const y = await reshape(b, await standardize(b, grouped, [2], options.eps ?? 1e-5), t.shape);
  return affine(b, op, y, options, [C], [C, ...t.shape.slice(2).map(() => 1)]);
}

/** Instance norm (`F.instance_norm` with input statistics) of `x [N, C, ...]`; see {@link layerNorm}. */
export async function instanceNorm(b: Backend, x: Tensor, options: NormOptions = {}): Promise<Tensor> {
  const op = 'instanceNorm';
  checkOptionKeys(op, options, ['weight', 'bias', 'eps']);
  checkEps(op, options.eps);
  const t = await asFloat(b, op, x);
  const C = channelsFirst(op, t, 3);
  const axes = t.shape.slice(2).map((_, i) => i + 2);
  const y = await standardize(b, t, axes, options.eps ?? 1e-5);
  return affine(b, op, y, options, [C], [C, ...axes.map(() => 1)]);
}

/** Batch norm in inference mode (`F.batch_norm(training=False)`); see {@link layerNorm}. */
export async function batchNorm(b: Backend, x: Tensor, runningMean: Tensor, runningVar: Tensor, options: NormOptions = {}): Promise<Tensor> {
  const op = 'batchNorm';
  checkOptionKeys(op, options, ['weight', 'bias', 'eps']);
  checkEps(op, options.eps);
  const t = await asFloat(b, op, x);
  const C = channelsFirst(op, t, 2);
  const shape = [C, ...t.shape.slice(2).map(() => 1)];
  for (const [name, s] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (s.shape.length !== 1 || s.shape[0] !== C) fail('shape', op, `${name} must be [${C}] for input ${showShape(t.shape)}, got ${showShape(s.shape)}`);
  }
  const m = await reshape(b, await asFloat(b, op, runningMean), shape);
  const v = await reshape(b, await asFloat(b, op, runningVar), shape);
  const y = await mul(b, await sub(b, t, m), await rsqrt(b, await add(b, v, options.eps ?? 1e-5)));
  return affine(b, op, y, options, [C], shape);
}
