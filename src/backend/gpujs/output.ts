// Turning gpu.js results (nested arrays of Float32Array rows, one buffer or many) into the flat
// row-major Float32Array a Tensor holds, and the Step helpers that keep sync and async alike.

import type { Step } from '../Backend.ts';

// --- destructors

/**
 * The flat row-major data of a scalar-returning kernel result with `size` cells.
 * webasm rows are views of one buffer (returned without copying); cpu rows are separate arrays.
 *
 * @example
 * ```ts
 * flatten([new Float32Array([1, 2]), new Float32Array([3, 4])], 4); // Float32Array [1, 2, 3, 4]
 * ```
 * @internal
 */
export function flatten(result: unknown, size: number): Float32Array {
  const first = firstLeaf(result);
  if (first !== undefined && first.byteOffset === 0 && first.buffer.byteLength === size * 4 && !isShared(first.buffer)) {
    if (isContiguous(result, first.buffer)) return new Float32Array(first.buffer, 0, size);
  }
  const out = new Float32Array(size);
  let at = 0;
  const walk = (v: unknown): void => {
    if (v instanceof Float32Array) {
      out.set(v, at);
      at += v.length;
    } else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'number') out[at++] = v;
  };
  walk(result);
  return out;
}

/**
 * Writes `lanes` (1 to 4) rows of `count` values, de-interleaved from an `Array(4)` result: row `c`
 * of `out` at `dst + c * stride` takes `src[at + 4x + c]` for x < count. The four-lane case is
 * unrolled (the common one, on every matmul and row-conv result).
 *
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * deinterleave4(new Float32Array([1, 2, 0, 0, 3, 4, 0, 0]), 0, out, 0, 2, 2, 2);
 * out; // Float32Array [1, 3, 2, 4]
 * ```
 * @internal
 */
export function deinterleave4(src: Float32Array, at: number, out: Float32Array, dst: number, stride: number, count: number, lanes: number): void {
  if (lanes === 4) {
    for (let x = 0, i = at; x < count; x++, i += 4) {
      out[dst + x] = src[i]!;
      out[dst + stride + x] = src[i + 1]!;
      out[dst + 2 * stride + x] = src[i + 2]!;
      out[dst + 3 * stride + x] = src[i + 3]!;
    }
  } else {
    for (let c = 0; c < lanes; c++) for (let x = 0, i = at + c; x < count; x++, i += 4) out[dst + c * stride + x] = src[i]!;
  }
}

// --- combinators

/**
 * Applies `f` to a value now or later, staying synchronous when `s` is.
 *
 * @example
 * ```ts
 * mapStep(2, (x) => x + 1); // 3
 * await mapStep(Promise.resolve(2), (x) => x + 1); // 3
 * ```
 * @internal
 */
export function mapStep<A, B>(s: Step<A>, f: (a: A) => B): Step<B> {
  return s instanceof Promise ? s.then(f) : f(s);
}

/**
 * Combines several steps, synchronously when none is a Promise.
 *
 * @example
 * ```ts
 * allSteps([1, 2]); // [1, 2]
 * await allSteps([1, Promise.resolve(2)]); // [1, 2]
 * ```
 * @internal
 */
export function allSteps<A>(steps: readonly Step<A>[]): Step<A[]> {
  return steps.some((s) => s instanceof Promise) ? Promise.all(steps) : (steps as A[]);
}

// --- utils

function firstLeaf(v: unknown): Float32Array | undefined {
  let cur = v;
  while (Array.isArray(cur)) cur = cur[0];
  return cur instanceof Float32Array ? cur : undefined;
}

// gpu.js erects rows as consecutive subarrays of one result buffer (webasm), or allocates each row
// (cpu). Checking the first and last leaf tells the two apart without walking every row.
function isContiguous(v: unknown, buffer: ArrayBufferLike): boolean {
  let cur = v;
  while (Array.isArray(cur)) cur = cur[cur.length - 1];
  return cur instanceof Float32Array && cur.buffer === buffer && cur.byteOffset + cur.byteLength === buffer.byteLength;
}

// A page without cross-origin isolation has no SharedArrayBuffer at all: `instanceof` would throw.
function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}
