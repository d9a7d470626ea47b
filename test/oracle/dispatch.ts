// How each fixture op (PyTorch's name and keyword arguments) is called in canopy's src/ops.
// One entry per op name in generate.py; an op canopy does not provide throws `Unsupported`.

import type { Backend } from '../../src/backend/Backend.ts';
import * as o from '../../src/ops/all.ts';
import type { Conv2dPadding } from '../../src/ops/conv.ts';
import type { PadOpMode } from '../../src/ops/pad.ts';
import type { Tensor } from '../../src/tensor/Tensor.ts';
import { num, type OracleCase, type Params } from './parse.ts';

/** Thrown for an op or a parameter canopy does not provide (the harness reports it as such). */
export class Unsupported extends Error {
  override readonly name = 'Unsupported';
}

type Pair = readonly [number, number];
type Runner = (b: Backend, x: (role: string) => Tensor, p: Params, c: OracleCase) => Promise<Tensor | Tensor[]>;

const has = (c: OracleCase, role: string): boolean => c.inputs.has(role);
const opt = (c: OracleCase, role: string): Tensor | undefined => c.inputs.get(role);
const pairOf = (v: unknown): number | Pair => (Array.isArray(v) ? [num(v[0]), num(v[1])] : num(v));
const axesOf = (v: unknown): number | readonly number[] | undefined => (v === null || v === undefined ? undefined : (v as number[]));
const keep = (p: Params): { keepdims: boolean } => ({ keepdims: p['keepdims'] === true });

/** Drops the keys whose value is undefined (the ops use `options.x ?? default`). */
const defined = <T extends object>(r: T): T =>
  Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as T;

const unary = (f: (b: Backend, x: Tensor) => Promise<Tensor>): Runner => (b, x) => f(b, x('x'));
const binary = (f: (b: Backend, x: Tensor, y: Tensor) => Promise<Tensor>): Runner => (b, x) => f(b, x('a'), x('b'));

/** Fixture op name → canopy call. */
export const runners: Readonly<Record<string, Runner>> = {
  // contraction
  matmul: (b, x) => o.matmul(b, x('a'), x('b')),
  linear: (b, x, _p, c) => o.linear(b, x('x'), x('w'), opt(c, 'b')),
  conv2d: (b, x, p, c) =>
    o.conv2d(b, x('x'), x('w'), defined({
      bias: opt(c, 'b'),
      stride: p['stride'] === undefined ? undefined : pairOf(p['stride']),
      padding: p['padding'] as Conv2dPadding | undefined, // number, [h, w], [top, bottom, left, right] or 'same'
      dilation: p['dilation'] === undefined ? undefined : pairOf(p['dilation']),
      groups: p['groups'] as number | undefined,
    })),
  conv_transpose2d: (b, x, p, c) =>
    o.convTranspose2d(b, x('x'), x('w'), defined({
      bias: opt(c, 'b'),
      stride: p['stride'] === undefined ? undefined : pairOf(p['stride']),
      padding: p['padding'] === undefined ? undefined : pairOf(p['padding']),
      outputPadding: p['output_padding'] === undefined ? undefined : pairOf(p['output_padding']),
      groups: p['groups'] as number | undefined,
    })),
  // pooling
  max_pool2d: (b, x, p) =>
    o.maxPool2d(b, x('x'), pairOf(p['kernel_size']), defined({
      stride: p['stride'] === undefined ? undefined : pairOf(p['stride']),
      padding: p['padding'] === undefined ? undefined : pairOf(p['padding']),
      ceilMode: p['ceil_mode'] as boolean | undefined,
    })),
  avg_pool2d: (b, x, p) =>
    o.avgPool2d(b, x('x'), pairOf(p['kernel_size']), defined({
      stride: p['stride'] === undefined ? undefined : pairOf(p['stride']),
      padding: p['padding'] === undefined ? undefined : pairOf(p['padding']),
      ceilMode: p['ceil_mode'] as boolean | undefined,
      countIncludePad: p['count_include_pad'] as boolean | undefined,
    })),
  adaptive_avg_pool2d: (b, x, p) => o.adaptiveAvgPool2d(b, x('x'), pairOf(p['output_size'])),
  global_avg_pool2d: (b, x) => o.globalAvgPool(b, x('x')),
  // elementwise
  neg: unary(o.neg),
  exp: unary(o.exp),
  log: unary(o.log),
  sqrt: unary(o.sqrt),
  rsqrt: unary(o.rsqrt),
  abs: unary(o.abs),
  sin: unary(o.sin),
  cos: unary(o.cos),
  tanh: unary(o.tanh),
  sigmoid: unary(o.sigmoid),
  relu: unary(o.relu),
  silu: unary(o.silu),
  hard_swish: unary(o.hardSwish),
  hard_sigmoid: unary(o.hardSigmoid),
  gelu: (b, x, p) => o.gelu(b, x('x'), p['approximate'] as 'none' | 'tanh' | 'sigmoid'),
  leaky_relu: (b, x, p) => o.leakyRelu(b, x('x'), num(p['negative_slope'])),
  clamp: (b, x, p) =>
    o.clamp(b, x('x'), p['min'] === undefined ? undefined : num(p['min']), p['max'] === undefined ? undefined : num(p['max'])),
  add: binary(o.add),
  sub: binary(o.sub),
  mul: binary(o.mul),
  div: binary(o.div),
  pow: binary(o.pow),
  where: (b, x) => o.where(b, x('cond'), x('a'), x('b')),
  // reductions
  sum: (b, x, p) => o.sum(b, x('x'), axesOf(p['axes']), keep(p)),
  mean: (b, x, p) => o.mean(b, x('x'), axesOf(p['axes']), keep(p)),
  max: (b, x, p) => o.max(b, x('x'), axesOf(p['axes']), keep(p)),
  min: (b, x, p) => o.min(b, x('x'), axesOf(p['axes']), keep(p)),
  var: (b, x, p) => o.variance(b, x('x'), axesOf(p['axes']), { ...keep(p), unbiased: p['unbiased'] !== false }),
  argmax: (b, x, p) => o.argmax(b, x('x'), p['axis'] as number, keep(p)),
  softmax: (b, x, p) => o.softmax(b, x('x'), p['axis'] as number),
  log_softmax: (b, x, p) => o.logSoftmax(b, x('x'), p['axis'] as number),
  // normalisation
  layer_norm: (b, x, p, c) =>
    o.layerNorm(b, x('x'), p['normalized_shape'] as number[], defined({ weight: opt(c, 'weight'), bias: opt(c, 'bias'), eps: num(p['eps']) })),
  group_norm: (b, x, p, c) =>
    o.groupNorm(b, x('x'), p['num_groups'] as number, defined({ weight: opt(c, 'weight'), bias: opt(c, 'bias'), eps: num(p['eps']) })),
  instance_norm: (b, x, p, c) =>
    o.instanceNorm(b, x('x'), defined({ weight: opt(c, 'weight'), bias: opt(c, 'bias'), eps: num(p['eps']) })),
  batch_norm: (b, x, p, c) =>
    o.batchNorm(b, x('x'), x('running_mean'), x('running_var'), defined({ weight: opt(c, 'weight'), bias: opt(c, 'bias'), eps: num(p['eps']) })),
  // attention
  attention: (b, x, p, c) =>
    o.scaledDotProductAttention(b, x('q'), x('k'), x('v'), defined({
      numHeads: p['num_heads'] as number,
      isCausal: p['is_causal'] as boolean,
      mask: has(c, 'mask') ? x('mask') : undefined,
    })),
  // movement
  reshape: (b, x, p) => o.reshape(b, x('x'), p['shape'] as number[]),
  transpose: (b, x, p) => o.transpose(b, x('x'), p['dim0'] as number, p['dim1'] as number),
  permute: (b, x, p) => o.permute(b, x('x'), p['dims'] as number[]),
  squeeze: (b, x, p) => o.squeeze(b, x('x'), (p['dim'] ?? undefined) as number | undefined),
  unsqueeze: (b, x, p) => o.unsqueeze(b, x('x'), p['dim'] as number),
  flatten: (b, x, p) => o.flatten(b, x('x'), p['start_dim'] as number, p['end_dim'] as number),
  unflatten: (b, x, p) => o.unflatten(b, x('x'), p['dim'] as number, p['sizes'] as number[]),
  expand: (b, x, p) => o.broadcastTo(b, x('x'), p['shape'] as number[]),
  slice: (b, x, p) =>
    o.slice(b, x('x'), (p['slices'] as (number | null)[][]).map(([start, end, step]) => ({ start: start ?? null, end: end ?? null, step: step ?? null }))),
  concat: (b, x, p, c) => o.concat(b, [...c.inputs.keys()].map(x), p['axis'] as number),
  split: (b, x, p) => o.split(b, x('x'), p['split_size_or_sections'] as number | number[], p['axis'] as number),
  chunk: (b, x, p) => o.chunk(b, x('x'), p['chunks'] as number, p['axis'] as number),
  pad: (b, x, p) => {
    const mode = p['mode'] as PadOpMode;
    if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) throw new Unsupported(`pad mode '${mode}'`);
    return o.pad(b, x('x'), p['pad'] as number[], defined({ mode, value: p['value'] === undefined ? undefined : num(p['value']) }));
  },
  interpolate: (b, x, p) =>
    o.interpolate(b, x('x'), defined({
      size: p['size'] === undefined ? undefined : pairOf(p['size']),
      scaleFactor: p['scale_factor'] === undefined ? undefined : pairOf(p['scale_factor']),
      mode: p['mode'] as 'nearest' | 'bilinear',
      alignCorners: p['align_corners'] as boolean | undefined,
    })),
  pixel_unshuffle: (b, x, p) => o.pixelUnshuffle(b, x('x'), p['downscale_factor'] as number),
  gather: (b, x, p) => o.gatherAlong(b, x('x'), p['axis'] as number, x('index')), // torch.gather
  take: (b, x, p) => o.gather(b, x('x'), x('index'), p['axis'] as number),
  index_select: (b, x, p) => o.indexSelect(b, x('x'), p['axis'] as number, x('index')),
  embedding: (b, x) => o.embedding(b, x('index'), x('weight')),
};

/** Runs a case's op on backend `b`; always a list of outputs. */
export async function runCase(b: Backend, c: OracleCase): Promise<Tensor[]> {
  const run = runners[c.op];
  if (run === undefined) throw new Unsupported(`op '${c.op}'`);
  const x = (role: string): Tensor => {
    const t = c.inputs.get(role);
    if (t === undefined) throw new Error(`${c.family}/${c.id}: no input '${role}'`);
    return t;
  };
  const out = await run(b, x, c.params, c);
  return Array.isArray(out) ? out : [out];
}
