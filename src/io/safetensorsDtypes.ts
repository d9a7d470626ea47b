// The dtypes of the safetensors format and their conversion to and from canopy tensors.
// Storage dtypes are many; compute dtypes are two: floats become float32, integers and bools int32.

import { CanopyError } from '../errors.ts';
import { bfloat16BitsToNumber, float16BitsToNumber, numberToBfloat16Bits, numberToFloat16Bits } from '../tensor/convert.ts';
import { makeTensor, type Tensor } from '../tensor/Tensor.ts';

// --- model

/**
 * The safetensors dtypes canopy reads and writes.
 *
 * @example
 * ```ts
 * import { safetensorsDTypes } from 'canopy-nn';
 * safetensorsDTypes.includes('BF16'); // true
 * ```
 */
export const safetensorsDTypes = ['F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'U8', 'BOOL'] as const;

/** One of {@link safetensorsDTypes}: how a tensor is stored in the file. */
export type SafetensorsDType = (typeof safetensorsDTypes)[number];

// One row per dtype, read by both directions: its size, whether it holds floats (float32 tensors)
// or integers (int32), and how one little-endian element is read and written. A Map, not an
// object literal: a hostile dtype such as "constructor" or "__proto__" must not find an
// inherited property.
interface Codec {
  readonly size: number;
  readonly float: boolean;
  readonly read: (v: DataView, at: number) => number;
  readonly write: (v: DataView, at: number, x: number) => void;
}
const codecs: ReadonlyMap<string, Codec> = new Map<SafetensorsDType, Codec>([
  ['F32', { size: 4, float: true, read: (v, at) => v.getFloat32(at, true), write: (v, at, x) => v.setFloat32(at, x, true) }],
  ['F16', { size: 2, float: true, read: (v, at) => float16BitsToNumber(v.getUint16(at, true)), write: (v, at, x) => v.setUint16(at, numberToFloat16Bits(x), true) }],
  ['BF16', { size: 2, float: true, read: (v, at) => bfloat16BitsToNumber(v.getUint16(at, true)), write: (v, at, x) => v.setUint16(at, numberToBfloat16Bits(x), true) }],
  ['F64', { size: 8, float: true, read: (v, at) => v.getFloat64(at, true), write: (v, at, x) => v.setFloat64(at, x, true) }],
  // In int32 range exactly when the high word is the sign extension of the low word; NaN otherwise.
  ['I64', { size: 8, float: false, read: (v, at) => (v.getInt32(at + 4, true) === v.getInt32(at, true) >> 31 ? v.getInt32(at, true) : NaN), write: (v, at, x) => v.setBigInt64(at, BigInt(x), true) }],
  ['I32', { size: 4, float: false, read: (v, at) => v.getInt32(at, true), write: (v, at, x) => v.setInt32(at, x, true) }],
  ['U8', { size: 1, float: false, read: (v, at) => v.getUint8(at), write: (v, at, x) => v.setUint8(at, x) }],
  // torch reads any non-zero byte as True; canopy normalises to 1
  ['BOOL', { size: 1, float: false, read: (v, at) => (v.getUint8(at) === 0 ? 0 : 1), write: (v, at, x) => v.setUint8(at, x === 0 ? 0 : 1) }],
]);

// --- destructors

/**
 * True when `s` names a dtype canopy can read.
 */
export function isSafetensorsDType(s: unknown): s is SafetensorsDType {
  return typeof s === 'string' && codecs.has(s);
}

/**
 * Bytes per element of a safetensors dtype.
 */
export function dtypeByteSize(dtype: SafetensorsDType): number {
  return codecs.get(dtype)?.size ?? 0;
}

/**
 * The storage dtype canopy writes by default for a tensor: F32 for float32, I32 for int32.
 */
export function defaultStorageDType(t: Tensor): SafetensorsDType {
  return t.dtype === 'int32' ? 'I32' : 'F32';
}

// --- decode

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes the little-endian bytes of one tensor into a canopy tensor: F32/F16/BF16/F64 become
 * float32, I32/I64/U8/BOOL become int32. Throws a CanopyError `io` for an I64 value outside the
 * int32 range (callers that return Either catch it; see `decodeSafetensors`).
 * `bytes.length` must equal `size × dtypeByteSize(dtype)` (the header validation checks it).
 */
export function decodeTensorBytes(bytes: Uint8Array, dtype: SafetensorsDType, shape: readonly number[], name: string): Tensor {
  // A fresh, aligned copy: file offsets need not be multiples of the element size. Through
  // Uint8Array's own slice: a Node Buffer's `slice` is a view into a shared pool, not a copy.
  const buf = Uint8Array.prototype.slice.call(bytes).buffer;
  if (dtype === 'F32' && littleEndianHost) return makeTensor(new Float32Array(buf), shape, 'float32');
  const { size, float, read } = codecs.get(dtype)!;
  const view = new DataView(buf);
  const out = float ? new Float32Array(bytes.length / size) : new Int32Array(bytes.length / size);
  for (let i = 0; i < out.length; i++) {
    const x = read(view, i * size);
    if (Number.isNaN(x) && dtype === 'I64') {
      throw new CanopyError('io', `safetensors: I64 tensor '${name}' must fit int32 to load as int32, got ${view.getBigInt64(i * 8, true)} at flat index ${i}`);
    }
    out[i] = x;
  }
  return makeTensor(out, shape, float ? 'float32' : 'int32');
}

// --- encode

/**
 * Encodes a tensor as little-endian bytes of `dtype`. Float32 tensors store as F32, F16, BF16 or
 * F64 (F16/BF16 round to nearest even); int32 tensors as I32, I64, U8 (values in 0..255) or
 * BOOL (non-zero → 1). Any other pairing throws a CanopyError `dtype`: it is a caller's mistake.
 */
export function encodeTensorBytes(t: Tensor, dtype: SafetensorsDType, name: string): Uint8Array {
  if (codecs.get(dtype)!.float !== (t.dtype === 'float32')) {
    throw new CanopyError('dtype', `safetensors: tensor '${name}' of dtype ${t.dtype} cannot be stored as ${dtype}, got ${t.dtype} → ${dtype} (float32 stores as F32/F16/BF16/F64, int32 as I32/I64/U8/BOOL)`);
  }
  const { size, write } = codecs.get(dtype)!;
  const out = new Uint8Array(t.size * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i] ?? 0;
    if (dtype === 'U8' && (v < 0 || v > 255)) {
      throw new CanopyError('argument', `safetensors: tensor '${name}' stored as U8 needs values in 0..255, got ${v} at flat index ${i}`);
    }
    write(view, i * size, v);
  }
  return out;
}
