// Seeded random tensors, identical across runs and machines.
//
// Counter-based: element i of a tensor drawn with seed s is a pure function of (s, i), computed
// with 32-bit integer hashing (Math.imul), so results do not depend on the platform, on the
// order of draws, or on other tensors drawn before. Uniforms take the top 24 bits of the hash
// (exact in float32); normals use Box-Muller on pairs (2k, 2k+1) with float64 Math.log / Math.cos /
// Math.sin, which V8 implements in software (fdlibm ports), so they agree across machines too.

import { CanopyError } from '../errors.ts';
import { checkShape } from './create.ts';
import { makeTensor, sizeOf, type Tensor } from './Tensor.ts';

// --- hashing

/** lowbias32 integer finaliser (Chris Wellons): a good 32-bit avalanche in three multiplies. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function seedKey(seed: number): number {
  if (!Number.isSafeInteger(seed)) {
    throw new CanopyError('argument', `random: seed must be a safe integer, got ${seed}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  return mix(lo ^ mix(hi + 0x9e3779b9));
}

/** The i-th 32-bit random word of the stream `seed` (counter-based: any i, any order). @internal */
export function randomBits(seed: number, i: number): number {
  return word(seedKey(seed), i);
}

/**
 * Derives an independent seed from `seed` and a salt (a layer index, a name hash...): use it to
 * give every parameter of a model its own stream from one model seed.
 *
 * @example
 * ```ts
 * import { deriveSeed } from 'canopy-nn';
 * deriveSeed(0, 1) !== deriveSeed(0, 2); // true
 * ```
 */
export function deriveSeed(seed: number, salt: number): number {
  return mix(seedKey(seed) ^ mix(salt >>> 0 ^ 0x85ebca6b));
}

// --- tensors

/**
 * Uniform samples in `[low, high)` (float32, default `[0, 1)`), a pure function of `seed`.
 *
 * @example
 * ```ts
 * import { uniform } from 'canopy-nn';
 * const t = uniform([3], 7, -1, 1);
 * t.data.every((v) => v >= -1 && v < 1); // true
 * ```
 */
export function uniform(shape: readonly number[], seed: number, low = 0, high = 1): Tensor {
  checkShape(shape, 'uniform');
  if (!(high >= low) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new CanopyError('argument', `uniform: low <= high must be finite, got low ${low}, high ${high}`);
  }
  const n = sizeOf(shape);
  const data = new Float32Array(n);
  const key = seedKey(seed);
  for (let i = 0; i < n; i++) {
    const u = (word(key, i) >>> 8) / 16777216; // 24 bits: [0, 1)
    const v = Math.fround(low + (high - low) * u);
    data[i] = v < high ? v : low; // float32 rounding may reach `high`: keep the interval half-open
  }
  return makeTensor(data, shape, 'float32');
}

/**
 * Standard normal samples (Box-Muller), scaled by `std` and shifted by `mean`.
 *
 * @example
 * ```ts
 * import { randn } from 'canopy-nn';
 * const a = randn([1000], 3);
 * const b = randn([1000], 3);
 * a.data[999] === b.data[999]; // true
 * ```
 */
export function randn(shape: readonly number[], seed: number, mean = 0, std = 1): Tensor {
  checkShape(shape, 'randn');
  const n = sizeOf(shape);
  const data = new Float32Array(n);
  const key = seedKey(seed);
  for (let i = 0; i < n; i += 2) {
    const u1 = ((word(key, i) >>> 8) + 1) / 16777216; // (0, 1]: log(u1) is finite
    const u2 = (word(key, i + 1) >>> 8) / 16777216;
    const r = Math.sqrt(-2 * Math.log(u1));
    data[i] = mean + std * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) data[i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
  }
  return makeTensor(data, shape, 'float32');
}

function word(key: number, i: number): number {
  return mix((mix(i ^ key) + i * 0x632be5ab) >>> 0);
}
