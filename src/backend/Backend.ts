// The backend seam: the short, closed set of primitive ops that every kernel backend implements.
//
// Why this set (tinygrad / tfjs style): a primitive is here only when composing it from the others
// would cost an extra full pass over memory that a kernel backend can avoid, or when it cannot be
// composed at all. Everything else (softmax, norms, attention, gelu, linear, interpolate, adaptive
// pooling, pixel unshuffle, ...) is composed in `src/ops/` and never reaches a backend.
//
//   elementwise  unary(op, x)              exp log sqrt sin cos erf rsqrt abs tanh sigmoid gelu silu
//                binary(op, a, b)          add mul div pow sub max min lt eq prelu   (NumPy broadcasting)
//                where(cond, a, b)         select, broadcasting all three
//                cast(x, dtype)            float32 <-> int32 (truncation toward zero)
//   reduce       reduce(op, x, axes, keep) sum max min
//                argmax(x, axis, keep)     first index of the maximum, int32
//   movement     reshape permute expand slice(strided, any step) pad(constant|reflect|replicate) concat
//   contraction  matmul (batched rank 3), conv2d, convTranspose2d, pool2d (max|avg)
//   indexing     gather(x, indices, axis)  (embedding lookup, nearest/bilinear interpolation)
//
// Contracts shared by every primitive:
// - Inputs are valid: `src/ops` validates shapes and options and throws CanopyError naming the user
//   op before calling a backend. Backends may still assert (the reference does), but their
//   messages name the primitive, not the user op.
// - Broadcasting is done BY THE BACKEND in `binary` and `where` (NumPy rules, right-aligned), so a
//   kernel backend can index broadcast operands without materialising an expanded copy. Other
//   primitives take exactly the shapes they document (matmul does not broadcast batch dims: ops
//   expands them first).
// - Elementwise and reduce primitives take and return float32 (ops casts int32 with `cast`);
//   movement primitives and gather keep the dtype; argmax returns int32.
// - Inputs are never mutated; outputs are new tensors (a reshape may share the input's data,
//   which is safe since no tensor's data is ever written after creation).
// - NaN and Infinity propagate as in PyTorch (max/min and max pooling propagate NaN).
// - Every primitive returns `Step<Tensor>`: the reference backend is synchronous, gpu.js in async
//   mode returns Promises. Callers `await` every result.

import type { PadMode } from '../tensor/strided.ts';
import type { DType, Tensor } from '../tensor/Tensor.ts';

// --- model

/** A value now or later: synchronous backends return `T`, asynchronous ones `Promise<T>`. */
import type { Step } from '../core/step.ts';
export type { Step };

// Each table says, entry by entry, why the op is a primitive and not a composition in src/ops:
// "no composition" (nothing cheaper computes it), or the memory passes a fused kernel saves. An op
// that composes at the same cost and to the same bits is not here (neg is `mul(x, -1)`, 1/x is
// `div(1, x)`, `greater` is `lt` swapped, relu is `max(x, 0)`). The tables in src/ops and in each
// backend are keyed by these unions and checked complete with `satisfies`.

/** Elementwise unary primitives (float32 in, float32 out). */
export const unaryOps = [
  'exp', 'log', 'sqrt', 'sin', 'cos', 'erf', // no composition (transcendental)
  'rsqrt', // 1/√x: one pass instead of two, and rounded once (norms)
  'abs', // one pass instead of two (max(x, neg x))
  'tanh', // one pass instead of four, and no cancellation near 0 ((e^2x - 1)/(e^2x + 1))
  'sigmoid', // one pass instead of four (neg, exp, add, recip)
  'gelu', // x·Φ(x), exact (erf): one pass instead of five (mul, erf, add, mul, mul)
  'silu', // x·σ(x): one pass instead of two (sigmoid, mul)
] as const;
/** One of {@link unaryOps}. */
export type UnaryOp = (typeof unaryOps)[number];

/**
 * Elementwise binary primitives with broadcasting (float32). `max`/`min` propagate NaN like
 * `torch.maximum`; `lt` and `eq` return 1 or 0 as float32.
 */
export const binaryOps = [
  'add', 'mul', 'div', 'pow', // no composition
  'sub', // one pass instead of two (add(a, neg b))
  'max', 'min', // one pass instead of two (lt, where), and NaN propagates
  'lt', 'eq', // no composition (comparisons)
  'prelu', // a > 0 ? a : a * b (leaky ReLU): one pass instead of three, the face detector's most frequent op
] as const;
/** One of {@link binaryOps}. */
export type BinaryOp = (typeof binaryOps)[number];

/** Reductions over a set of axes (float32). `max`/`min` propagate NaN. No composition. */
export const reduceOps = ['sum', 'max', 'min'] as const;
/** One of {@link reduceOps}. */
export type ReduceOp = (typeof reduceOps)[number];

/**
 * Movement primitives: they move or copy elements and never compute new values (one gather each,
 * no composition from the elementwise ops).
 */
export type MovementOp = 'reshape' | 'permute' | 'expand' | 'slice' | 'pad' | 'concat';

/**
 * The remaining primitives, each its own method: `where` (one pass instead of three), `cast`,
 * `argmax` (no composition), `matmul`/`conv2d`/`convTranspose2d`/`pool2d` (implicit padding and
 * im2col in the kernel instead of materialised copies), `gather` (no composition).
 */
export type OtherOp = 'where' | 'cast' | 'argmax' | 'matmul' | 'conv2d' | 'convTranspose2d' | 'pool2d' | 'gather';

/** Every primitive op, by group. The closed set a backend must cover. */
export type PrimitiveOp = UnaryOp | BinaryOp | ReduceOp | MovementOp | OtherOp;

/** Pooling kinds of {@link Backend.pool2d}. */
export type PoolOp = 'max' | 'avg';

export type { PadMode } from '../tensor/strided.ts';

/** A `[height, width]` pair. */
export type Pair = readonly [number, number];

/**
 * Parameters of the conv2d primitive. All resolved: `padding` is explicit
 * `[top, bottom, left, right]` (ops turns `"same"`, numbers and pairs into this).
 */
export interface Conv2dParams {
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: readonly [number, number, number, number];
  readonly groups: number;
}

/** Parameters of the convTranspose2d primitive (PyTorch's `conv_transpose2d`, padding symmetric). */
export interface ConvTranspose2dParams {
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly groups: number;
}

/**
 * Parameters of the pool2d primitive. `outShape` is resolved by ops (it depends on `ceilMode`).
 * Windows follow PyTorch: window `i` starts at `i*stride - padding`. Max ignores padded cells.
 * Avg divides by the window clipped to the padded input when `countIncludePad`, else by the
 * number of real input cells in the window.
 */
export interface Pool2dParams {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outShape: Pair;
  readonly countIncludePad: boolean;
}

/**
 * A kernel backend: one method per primitive. See the file header for the shared contracts.
 *
 * @example
 * ```ts
 * import { referenceBackend, fromArray, toNested } from 'canopy-nn';
 * const y = await referenceBackend.binary('add', fromArray([1, 2]), fromArray(10));
 * toNested(y); // [11, 12]
 * ```
 */
export interface Backend {
  /** Short name for reports, e.g. `'reference'` or `'gpujs:webasm'`. */
  readonly name: string;

  // elementwise
  /** `op` applied to each element of float32 `x`. */
  unary(op: UnaryOp, x: Tensor): Step<Tensor>;
  /** `op(a, b)` per element; `a` and `b` broadcast (NumPy rules). Float32 in, float32 out. */
  binary(op: BinaryOp, a: Tensor, b: Tensor): Step<Tensor>;
  /** `cond != 0 ? a : b` per element, all three broadcast together. */
  where(cond: Tensor, a: Tensor, b: Tensor): Step<Tensor>;
  /** Converts to `dtype` (float32 → int32 truncates toward zero; identity if already `dtype`). */
  cast(x: Tensor, dtype: DType): Step<Tensor>;

  // reduce
  /** Reduces float32 `x` over distinct, normalized `axes` (ascending); `keepdims` keeps them as 1. */
  reduce(op: ReduceOp, x: Tensor, axes: readonly number[], keepdims: boolean): Step<Tensor>;
  /** Index of the first maximum along normalized `axis` (a NaN counts as the maximum), int32. */
  argmax(x: Tensor, axis: number, keepdims: boolean): Step<Tensor>;

  // movement
  /** Same elements in row-major order under a new shape of equal size (no -1 here). */
  reshape(x: Tensor, shape: readonly number[]): Step<Tensor>;
  /** Output axis `i` is input axis `axes[i]`; `axes` is a permutation. */
  permute(x: Tensor, axes: readonly number[]): Step<Tensor>;
  /** Broadcasts to `shape` (same rank; each input dim equals the target or is 1). */
  expand(x: Tensor, shape: readonly number[]): Step<Tensor>;
  /**
   * Strided view, materialised: `out[i0, i1, ...] = x[starts[0] + i0*steps[0], ...]` for an
   * output of `shape`. Steps are non-zero and may be negative; every index touched is in range.
   */
  slice(x: Tensor, starts: readonly number[], steps: readonly number[], shape: readonly number[]): Step<Tensor>;
  /**
   * Pads each axis by `pads[axis] = [before, after]` (non-negative). `reflect` mirrors without
   * repeating the edge (needs `pad < dim`), `replicate` repeats the edge, `constant` fills `value`.
   */
  pad(x: Tensor, pads: readonly (readonly [number, number])[], mode: PadMode, value: number): Step<Tensor>;
  /** Joins tensors of equal dtype and rank along `axis`; other dims equal. */
  concat(xs: readonly Tensor[], axis: number): Step<Tensor>;

  // contraction
  /** `[B, M, K] x [B, K, N] -> [B, M, N]`, float32 (same B on both sides). */
  matmul(a: Tensor, b: Tensor): Step<Tensor>;
  /** `x [N, C, H, W]`, `w [O, C/groups, kh, kw]` → `[N, O, OH, OW]`; no bias (ops adds it). */
  conv2d(x: Tensor, w: Tensor, p: Conv2dParams): Step<Tensor>;
  /** `x [N, C, H, W]`, `w [C, O/groups, kh, kw]` → `[N, O, OH, OW]` as PyTorch; no bias. */
  convTranspose2d(x: Tensor, w: Tensor, p: ConvTranspose2dParams): Step<Tensor>;
  /** Max or average pooling of `x [N, C, H, W]` → `[N, C, outShape[0], outShape[1]]`. */
  pool2d(op: PoolOp, x: Tensor, p: Pool2dParams): Step<Tensor>;

  // indexing
  /**
   * `out[..pre, ..idx, ..post] = x[..pre, indices[..idx], ..post]`: output shape is
   * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. `indices` is int32, each in
   * `[0, x.shape[axis])`.
   */
  gather(x: Tensor, indices: Tensor, axis: number): Step<Tensor>;
}
