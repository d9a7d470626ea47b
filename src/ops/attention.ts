// Scaled dot-product attention: softmax(q kᵀ · scale + mask) v, with optional head split/merge.

import type { Backend } from '../backend/Backend.ts';
import { broadcastShapes, shapesEqual } from '../tensor/shape.ts';
import { makeTensor, type Tensor } from '../tensor/Tensor.ts';
import { CanopyError } from '../errors.ts';
import { checkOptionKeys } from './checkArgs.ts';
import { add, mul } from './elementwise.ts';
import { matmul } from './linalg.ts';
import { permute, reshape, transpose } from './shape.ts';
import { softmax } from './softmax.ts';
import { asFloat, checkPositiveInt, checkRank, fail, showShape } from './util.ts';

/** Options of {@link scaledDotProductAttention}. */
export interface AttentionOptions {
  /**
   * Split `[B, L, E]` inputs into this many heads of `E / numHeads` and merge the result back to
   * `[B, Lq, Ev]`. Default: no split (inputs are already `[..., L, E]`, e.g. `[B, H, L, E]`).
   */
  readonly numHeads?: number;
  /** Additive mask broadcast to the scores `[..., Lq, Lk]` (use `-Infinity` to block). Default none. */
  readonly mask?: Tensor;
  /** Block key `j > i` for query `i` (top-left aligned, as PyTorch's `is_causal`). Default `false`. */
  readonly isCausal?: boolean;
  /** Multiplier of the scores. Default `1 / sqrt(headDim)`. */
  readonly scale?: number;
}

async function splitHeads(b: Backend, x: Tensor, h: number): Promise<Tensor> {
  const [B = 0, L = 0, E = 0] = x.shape;
  return permute(b, await reshape(b, x, [B, L, h, E / h]), [0, 2, 1, 3]);
}

/**
 * `softmax(q kᵀ · scale + mask) v` over `q [..., Lq, E]`, `k [..., Lk, E]`, `v [..., Lk, Ev]`
 * (batch dims broadcast); with `numHeads`, inputs are `[B, L, E]` and heads are split and merged.
 *
 * @example
 * ```ts
 * import { scaledDotProductAttention, randn, referenceBackend as b } from 'canopy-nn';
 * const q = randn([2, 5, 8], 0);
 * const y = await scaledDotProductAttention(b, q, q, q, { numHeads: 2, isCausal: true });
 * y.shape; // [2, 5, 8]
 * ```
 */
export async function scaledDotProductAttention(b: Backend, q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Promise<Tensor> {
  const op = 'scaledDotProductAttention';
  checkOptionKeys(op, options, ['numHeads', 'mask', 'isCausal', 'scale']);
  let [qq, kk, vv] = [await asFloat(b, op, q, 'query'), await asFloat(b, op, k, 'key'), await asFloat(b, op, v, 'value')];
  const h = options.numHeads;
  if (h !== undefined) {
    checkPositiveInt(op, h, 'numHeads');
    for (const [name, t] of [['query', qq], ['key', kk], ['value', vv]] as const) {
      checkRank(op, t, [3], `${name} (with numHeads)`);
      if ((t.shape[2] ?? 0) % h !== 0) fail('shape', op, `${name} features must be divisible by numHeads ${h}, got ${showShape(t.shape)}`);
    }
    [qq, kk, vv] = [await splitHeads(b, qq, h), await splitHeads(b, kk, h), await splitHeads(b, vv, h)];
  }
  for (const [name, t] of [['query', qq], ['key', kk], ['value', vv]] as const) {
    if (t.shape.length < 2) fail('shape', op, `${name} must be at least rank 2 [..., L, E], got ${showShape(t.shape)}`);
  }
  // Checked here so a batch mismatch names the three inputs, not one of the two matmuls.
  const batch = (t: Tensor): number[] => t.shape.slice(0, -2);
  try {
    broadcastShapes(broadcastShapes(batch(qq), batch(kk), op), batch(vv), op);
  } catch (e) {
    if (!(e instanceof CanopyError)) throw e;
    fail('shape', op, `query, key and value batch dims must broadcast, got query ${showShape(q.shape)}, key ${showShape(k.shape)} and value ${showShape(v.shape)}`);
  }
  const E = qq.shape.at(-1) ?? 0;
  const [Lk = 0, Ek = 0] = kk.shape.slice(-2);
  if (Ek !== E) fail('shape', op, `query and key feature sizes must match, got query ${showShape(q.shape)} and key ${showShape(k.shape)}`);
  if (vv.shape.at(-2) !== Lk) fail('shape', op, `key and value lengths must match, got key ${showShape(k.shape)} and value ${showShape(v.shape)}`);
  const Lq = qq.shape.at(-2) ?? 0;
  let scores = await mul(b, await matmul(b, qq, await transpose(b, kk, -1, -2)), options.scale ?? 1 / Math.sqrt(E));
  if (options.mask !== undefined) {
    const m = options.mask;
    const target = broadcastShapes(m.shape, scores.shape, op);
    if (!shapesEqual(target, scores.shape)) fail('shape', op, `mask must broadcast to the scores ${showShape(scores.shape)}, got ${showShape(m.shape)}`);
    scores = await add(b, scores, m);
  }
  if (options.isCausal === true) {
    const causal = new Float32Array(Lq * Lk);
    for (let i = 0; i < Lq; i++) for (let j = i + 1; j < Lk; j++) causal[i * Lk + j] = -Infinity;
    scores = await add(b, scores, makeTensor(causal, [Lq, Lk], 'float32'));
  }
  const out = await matmul(b, await softmax(b, scores, -1), vv);
  if (h === undefined) return out;
  const [B = 0, , Lo = 0, D = 0] = out.shape;
  return reshape(b, await permute(b, out, [0, 2, 1, 3]), [B, Lo, h * D]);
}
