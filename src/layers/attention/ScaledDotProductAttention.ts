// ScaledDotProductAttention: softmax(q kᵀ / √d) v with head split and merge (Refiners'
// fl.ScaledDotProductAttention), optionally over slices of the queries to bound memory.
import type { Backend } from '../../backend/Backend.ts';
import type { Layer } from '../../core/Layer.ts';
import { CanopyError } from '../../errors.ts';
import { scaledDotProductAttention } from '../../ops/attention.ts';
import { concat, narrow } from '../../ops/slice.ts';
import { makeTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { checkPositive, leaf, tensorArg, tensorKind } from '../misc/tensorLayer.ts';

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

/** The ScaledDotProductAttention kind. */
export const ScaledDotProductAttentionKind = tensorKind<Attrs>({
  name: 'ScaledDotProductAttention',
  defaults: { numHeads: 1, isCausal: false, sliceSize: null },
  arity: 3,
  forward: (b, args, a) => {
    const op = 'ScaledDotProductAttention';
    const [q, k, v] = [tensorArg(op, args, 0), tensorArg(op, args, 1), tensorArg(op, args, 2)];
    const bad = (): never => {
      throw new CanopyError(
        'shape',
        `${op}: query, key and value must be [B, Lq, D], [B, Lk, D], [B, Lk, Dv] with D and Dv divisible by numHeads ${a.numHeads}, got ${showShape(q.shape)}, ${showShape(k.shape)} and ${showShape(v.shape)}`,
      );
    };
    if (q.shape.length !== 3 || k.shape.length !== 3 || v.shape.length !== 3) bad();
    if (q.shape[0] !== k.shape[0] || k.shape[0] !== v.shape[0] || q.shape[2] !== k.shape[2] || k.shape[1] !== v.shape[1]) bad();
    if (q.shape[2]! % a.numHeads !== 0 || v.shape[2]! % a.numHeads !== 0) bad();
    return attend(b, q, k, v, a);
  },
});

// --- constructors

/**
 * Multi-head attention core without projections: `(q [B, Lq, D], k [B, Lk, D], v [B, Lk, Dv])`
 * → `[B, Lq, Dv]`; heads of `D / numHeads` features, scale `1/√(D / numHeads)`.
 *
 * @example
 * ```ts
 * import { ScaledDotProductAttention, randn, run } from 'canopy';
 * const q = randn([1, 4, 8], 0);
 * (await run(ScaledDotProductAttention({ numHeads: 2 }), [q, q, q])).output.shape; // [1, 4, 8]
 * ```
 */
export function ScaledDotProductAttention(options: ScaledDotProductAttentionOptions = {}): Layer<[Tensor, Tensor, Tensor], Tensor> {
  const { numHeads = 1, isCausal = false, sliceSize = null } = options;
  checkPositive('ScaledDotProductAttention', 'numHeads', numHeads);
  if (sliceSize !== null) checkPositive('ScaledDotProductAttention', 'sliceSize', sliceSize);
  return leaf(ScaledDotProductAttentionKind, { numHeads, isCausal, sliceSize });
}
ScaledDotProductAttention.kind = ScaledDotProductAttentionKind;
