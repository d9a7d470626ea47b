// ScaledDotProductAttention: softmax(q kᵀ / √d) v with head split and merge (Refiners'
// fl.ScaledDotProductAttention), optionally over slices of the queries to bound memory.
import type { Backend } from '../../backend/Backend.ts';
import { CanopyError } from '../../errors.ts';
import { scaledDotProductAttention } from '../../ops/attention.ts';
import { concat, narrow } from '../../ops/slice.ts';
import { checkPositiveInt } from '../../ops/util.ts';
import { makeTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { defineLayer } from '../define.ts';

// --- model

/** Options of {@link ScaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /** Heads the feature axis is split into. Default `1`. */
  readonly numHeads?: number;
  /** Query `i` sees keys `j <= i` only (top-left aligned). Default `false`. */
  readonly isCausal?: boolean;
  /** Process this many queries at a time (same result, less memory). Default `null` (all at once). */
  readonly sliceSize?: number | null;
}

type Attrs = { numHeads: number; isCausal: boolean; sliceSize: number | null };

/** Causal mask rows `start .. start + n` of an `[Lq, Lk]` score matrix. */
function causalRows(start: number, n: number, lk: number): Tensor {
  const m = new Float32Array(n * lk);
  for (let i = 0; i < n; i++) for (let j = start + i + 1; j < lk; j++) m[i * lk + j] = -Infinity;
  return makeTensor(m, [n, lk], 'float32');
}

async function attend(b: Backend, q: Tensor, k: Tensor, v: Tensor, a: Attrs): Promise<Tensor> {
  const lq = q.shape[1]!;
  const slice = a.sliceSize ?? lq;
  if (slice >= lq) return scaledDotProductAttention(b, q, k, v, { numHeads: a.numHeads, isCausal: a.isCausal });
  const parts: Tensor[] = [];
  for (let s = 0; s < lq; s += slice) {
    const n = Math.min(slice, lq - s);
    const qs = await narrow(b, q, 1, s, n);
    // The causal mask of a slice is offset by its first query (Refiners' sliced path is not).
    const mask = a.isCausal ? causalRows(s, n, k.shape[1]!) : undefined;
    parts.push(await scaledDotProductAttention(b, qs, k, v, mask === undefined ? { numHeads: a.numHeads } : { numHeads: a.numHeads, mask }));
  }
  return concat(b, parts, 1);
}

// --- constructors

/**
 * Multi-head attention core without projections: `(q [B, Lq, D], k [B, Lk, D], v [B, Lk, Dv])`
 * → `[B, Lq, Dv]`; heads of `D / numHeads` features, scale `1/√(D / numHeads)`.
 *
 * @example
 * ```ts
 * import { ScaledDotProductAttention, randn, run } from 'canopy-nn';
 * const q = randn([1, 4, 8], 0);
 * (await run(ScaledDotProductAttention({ numHeads: 2 }), [q, q, q])).output.shape; // [1, 4, 8]
 * ```
 */
export const ScaledDotProductAttention = defineLayer({
  name: 'ScaledDotProductAttention',
  options: { numHeads: true, isCausal: true, sliceSize: true },
  defaults: { numHeads: 1, isCausal: false, sliceSize: null },
  inputs: ['tensor', 'tensor', 'tensor'],
  init: ({ numHeads = 1, isCausal = false, sliceSize = null }: ScaledDotProductAttentionOptions = {}) => {
    checkPositiveInt('ScaledDotProductAttention', numHeads, 'numHeads');
    if (sliceSize !== null) checkPositiveInt('ScaledDotProductAttention', sliceSize, 'sliceSize');
    return { attrs: { numHeads, isCausal, sliceSize } };
  },
  forward: ([q, k, v]: [Tensor, Tensor, Tensor], { attrs: a }, env) => {
    const bad = (): never => {
      throw new CanopyError(
        'shape',
        `ScaledDotProductAttention: query, key and value must be [B, Lq, D], [B, Lk, D], [B, Lk, Dv] with D and Dv divisible by numHeads ${a.numHeads}, got ${showShape(q.shape)}, ${showShape(k.shape)} and ${showShape(v.shape)}`,
      );
    };
    if (q.shape.length !== 3 || k.shape.length !== 3 || v.shape.length !== 3) bad();
    if (q.shape[0] !== k.shape[0] || k.shape[0] !== v.shape[0] || q.shape[2] !== k.shape[2] || k.shape[1] !== v.shape[1]) bad();
    if (q.shape[2]! % a.numHeads !== 0 || v.shape[2]! % a.numHeads !== 0) bad();
    return attend(backendOf(env), q, k, v, a);
  },
});
