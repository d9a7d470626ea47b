// Converters between storage dtypes met on load (float16, bfloat16, float64) and float32.

// --- float16

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Decodes IEEE half-precision bits to a number (exact: every float16 is a float32).
 *
 * @example
 * ```ts
 * import { float16BitsToNumber } from './convert.ts';
 * float16BitsToNumber(0x3c00); // 1
 * ```
 * @internal
 */
export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Encodes a number as IEEE half-precision bits, rounding to nearest even (overflow gives ±Inf).
 *
 * @example
 * ```ts
 * import { numberToFloat16Bits } from './convert.ts';
 * numberToFloat16Bits(1); // 0x3c00
 * ```
 * @internal
 */
export function numberToFloat16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00; // rounds to Inf
  if (a < 2 ** -14) {
    // subnormal: units of 2^-24, round half to even
    const q = a / 2 ** -24;
    let r = Math.round(q);
    if (q - Math.trunc(q) === 0.5 && r % 2 === 1) r -= 1;
    return sign | r;
  }
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp -= 1; // guard log2 rounding
  if (2 ** (exp + 1) <= a) exp += 1;
  const mant = a / 2 ** exp - 1; // [0,1)
  const q = mant * 1024;
  let r = Math.floor(q);
  const rem = q - r;
  if (rem > 0.5 || (rem === 0.5 && r % 2 === 1)) r += 1;
  if (r === 1024) {
    r = 0;
    exp += 1;
  }
  if (exp + 15 >= 0x1f) return sign | 0x7c00;
  return sign | ((exp + 15) << 10) | r;
}

// --- bfloat16

/**
 * Decodes bfloat16 bits (the top half of a float32).
 *
 * @example
 * ```ts
 * import { bfloat16BitsToNumber } from './convert.ts';
 * bfloat16BitsToNumber(0x3f80); // 1
 * ```
 * @internal
 */
export function bfloat16BitsToNumber(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0] ?? NaN;
}

/**
 * Encodes a number as bfloat16 bits, rounding the float32 to nearest even.
 *
 * @example
 * ```ts
 * import { numberToBfloat16Bits } from './convert.ts';
 * numberToBfloat16Bits(1); // 0x3f80
 * ```
 * @internal
 */
export function numberToBfloat16Bits(v: number): number {
  f32[0] = v;
  const bits = u32[0] ?? 0;
  if (Number.isNaN(v)) return 0x7fc0;
  const lsb = (bits >>> 16) & 1;
  return ((bits + 0x7fff + lsb) >>> 16) & 0xffff;
}

// --- arrays

/**
 * Float32 copy of float16 or bfloat16 bit patterns.
 *
 * @example
 * ```ts
 * import { halfToFloat32 } from './convert.ts';
 * halfToFloat32(new Uint16Array([0x3c00, 0xc000]), 'float16'); // Float32Array [1, -2]
 * ```
 * @internal
 */
export function halfToFloat32(bits: Uint16Array, kind: 'float16' | 'bfloat16'): Float32Array {
  const out = new Float32Array(bits.length);
  const decode = kind === 'float16' ? float16BitsToNumber : bfloat16BitsToNumber;
  for (let i = 0; i < bits.length; i++) out[i] = decode(bits[i] ?? 0);
  return out;
}
