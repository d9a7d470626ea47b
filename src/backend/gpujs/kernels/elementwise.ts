// Elementwise kernels: unary ops, binary ops and where, with NumPy broadcasting done in the
// kernel's indexing (a broadcast operand is read at index 0 along its size-1 axes, never copied).
//
// Shapes are first collapsed: adjacent axes merge when every operand is either full or broadcast
// along both, which leaves at most three axes in nearly every real case, one per thread dimension.

import type { BinaryOp, Step, UnaryOp } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { flatten, mapStep } from '../output.ts';

// --- model

/** Kernel body of each unary op, over the input value `v`; ends in a return. @internal */
export const unaryBodies = {
  exp: 'return Math.exp(v);',
  log: 'return Math.log(v);',
  sqrt: 'return Math.sqrt(v);',
  rsqrt: 'return 1 / Math.sqrt(v);',
  abs: 'return Math.abs(v);',
  // Reduced to [-π, π] (Cody–Waite: 6.28125 has 8 significant bits, so k·6.28125 is exact while
  // |k| < 2^16; larger |v|, infinities and NaN go to the built-in), then
  // Taylor polynomials to x¹⁷/x¹⁶ (truncation < 1.5e-7 at π): GPU shader sin/cos are not accurate
  // enough (SwiftShader's cos(0.1333) is off by 1.8e-4), and one body keeps every mode alike.
  sin: `if (!(Math.abs(v) < 400000)) { return Math.sin(v); }
  const k = Math.round(v * 0.15915494309189535);
  const r = v - k * 6.28125 - k * 0.0019353071795864769;
  const x2 = r * r;
  return r * (1 + x2 * (-0.16666666666666666 + x2 * (0.008333333333333333 + x2 * (-0.0001984126984126984 + x2 * (0.0000027557319223985893 + x2 * (-2.505210838544172e-8 + x2 * (1.6059043836821613e-10 + x2 * (-7.647163731819816e-13 + x2 * 2.8114572543455206e-15))))))));`,
  cos: `if (!(Math.abs(v) < 400000)) { return Math.cos(v); }
  const k = Math.round(v * 0.15915494309189535);
  const r = v - k * 6.28125 - k * 0.0019353071795864769;
  const x2 = r * r;
  return 1 + x2 * (-0.5 + x2 * (0.041666666666666664 + x2 * (-0.001388888888888889 + x2 * (0.0000248015873015873 + x2 * (-2.755731922398589e-7 + x2 * (2.08767569878681e-9 + x2 * (-1.1470745597729725e-11 + x2 * 4.779477332387385e-14)))))));`,
  // Saturated beyond |v| > 10 (tanh(10) is 1 in float32): shader tanh overflows to NaN there.
  tanh: 'if (v > 10) { return 1; } if (v < -10) { return -1; } return Math.tanh(v);',
  sigmoid: 'return 1 / (1 + Math.exp(-v));',
  // Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7, under float32 resolution near 1.
  erf: `const t = 1 / (1 + 0.3275911 * Math.abs(v));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
  if (v < 0) { return -y; }
  return y;`,
  // x·Φ(x) with erf as above; 1 + erf(z) is erfc(|z|) = q for z < 0 and 2 - q for z >= 0, which
  // keeps the negative side's small values accurate instead of cancelling 1 - 0.99...
  gelu: `const z = v * 0.7071067811865476;
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const q = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  if (z < 0) { return 0.5 * v * q; }
  return 0.5 * v * (2 - q);`,
  silu: 'return v / (1 + Math.exp(-v));',
} as const satisfies Record<UnaryOp, string>;

/** Kernel body of each binary op over `a` and `b`. max/min propagate NaN like torch. @internal */
export const binaryBodies = {
  add: 'return a + b;',
  sub: 'return a - b;',
  mul: 'return a * b;',
  div: 'return a / b;',
  // C/PyTorch pow, as the reference's cPow (a kernel cannot call an imported function):
  // pow(1, y) = pow(x, ±0) = 1 even for NaN, pow(-1, ±Inf) = 1 (no finite float32 exceeds 3.4028234e38).
  // A negative base with an integer exponent is computed from |a| with the sign of odd powers:
  // GLSL's and WGSL's pow are undefined for a < 0.
  pow: `if (a === 1 || b === 0) { return 1; } if (a === -1 && Math.abs(b) > 3.4028234e38) { return 1; }
  if (a < 0 && b === Math.floor(b)) { const r = Math.pow(-a, b); if (Math.abs(b - 2 * Math.floor(b * 0.5)) === 1) { return -r; } return r; }
  return Math.pow(a, b);`,
  max: 'if (a !== a) { return a; } if (b !== b) { return b; } return Math.max(a, b);',
  min: 'if (a !== a) { return a; } if (b !== b) { return b; } return Math.min(a, b);',
  lt: 'if (a < b) { return 1; } return 0;',
  eq: 'if (a === b) { return 1; } return 0;',
  prelu: 'if (a > 0) { return a; } return a * b;',
} as const satisfies Record<BinaryOp, string>;

/** Body of `where(c, a, b)`. @internal */
export const whereBody = 'if (c !== 0) { return a; } return b;';

/**
 * Operand shapes collapsed against an output shape of rank ≤ 3: `out` is innermost-first
 * (x, y, z) and `full[i][d]` says whether operand i varies along axis d (else it is read at 0).
 * @internal
 */
export interface Collapsed {
  readonly out: readonly number[];
  readonly full: readonly (readonly boolean[])[];
}

// --- constructors

/**
 * Collapses `shapes` broadcast to `outShape` (all right-aligned) into at most `maxRank` axes, or
 * `undefined` when more are needed.
 *
 * @example
 * ```ts
 * collapse([2, 3, 4], [[2, 3, 4], [4]], 3); // { out: [4, 6], full: [[true, true], [true, false]] }
 * ```
 * @internal
 */
export function collapse(outShape: readonly number[], shapes: readonly (readonly number[])[], maxRank: number): Collapsed | undefined {
  const rank = outShape.length;
  // Per axis (outermost first): the size and which operands vary along it; size-1 axes vanish.
  const axes: { size: number; full: boolean[] }[] = [];
  for (let d = 0; d < rank; d++) {
    const size = outShape[d]!;
    if (size === 1) continue;
    const full = shapes.map((s) => (s[d - (rank - s.length)] ?? 1) !== 1);
    const last = axes[axes.length - 1];
    if (last !== undefined && last.full.every((f, i) => f === full[i])) last.size *= size;
    else axes.push({ size, full });
  }
  if (axes.length === 0) axes.push({ size: 1, full: shapes.map(() => false) });
  if (axes.length > maxRank) return undefined;
  axes.reverse();
  return { out: axes.map((a) => a.size), full: shapes.map((_, i) => axes.map((a) => a.full[i]!)) };
}

/**
 * Source of a map kernel over `names.length` operands with `body` reading the locals `names`.
 * @internal
 */
export function mapSource(c: Collapsed, names: readonly string[], body: string): string {
  const threads = ['this.thread.x', 'this.thread.y', 'this.thread.z'];
  const reads = names.map((name, i) => {
    let idx = '';
    for (let d = c.out.length - 1; d >= 0; d--) idx += `[${c.full[i]![d] ? threads[d] : '0'}]`;
    return `const ${name} = p${i}${idx};`;
  });
  return `function(${names.map((_, i) => `p${i}`).join(', ')}) {
  ${reads.join('\n  ')}
  ${body}
}`;
}

// --- combinators

/**
 * Runs a map kernel: operands `data[i]` of shapes `shapes[i]` broadcast to `outShape`.
 * Falls back to materialising broadcasts (by `expand`) when the shapes need more than 3 axes.
 * @internal
 */
export function mapKernel(
  rt: GpuRuntime,
  tag: string,
  body: string,
  names: readonly string[],
  outShape: readonly number[],
  shapes: readonly (readonly number[])[],
  data: readonly Float32Array[],
  expand: (d: Float32Array, from: readonly number[], to: readonly number[]) => Float32Array,
): Step<Float32Array> {
  let c = collapse(outShape, shapes, 3);
  let operands = data;
  if (c === undefined) {
    operands = data.map((d, i) => expand(d, shapes[i]!, outShape));
    c = collapse(outShape, outShape.length === 0 ? [] : shapes.map(() => outShape), 3)!;
  }
  const cc = c;
  const size = cc.out.reduce((p, d) => p * d, 1);
  const key = `map|${tag}|${cc.out.join(',')}|${cc.full.map((f) => f.map(Number).join('')).join('/')}`;
  const kernel = rt.kernel(key, () => mapSource(cc, names, body), () => ({ output: cc.out }));
  const views = operands.map((d, i) => rt.view(d, cc.out.map((n, a) => (cc.full[i]![a] ? n : 1))));
  return mapStep(kernel(...views) as Step<unknown>, (r) => flatten(r, size));
}
