// The dtypes of the safetensors format and their conversion to and from canopy tensors.
// Storage dtypes are many; compute dtypes are two: floats become float32, integers and bools int32.

import { CanopyError } from '../errors.ts';
import { halfToFloat32, numberToBfloat16Bits, numberToFloat16Bits } from '../tensor/convert.ts';
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

// A Map, not an object literal: a hostile dtype such as "constructor" or "__proto__" must not find
// an inherited property.
const byteSizes: ReadonlyMap<string, number> = new Map<SafetensorsDType, number>([
  ['F32', 4], ['F16', 2], ['BF16', 2], ['F64', 8], ['I64', 8], ['I32', 4], ['U8', 1], ['BOOL', 1],
]);

// --- destructors

/**
 * True when `s` names a dtype canopy can read.
 *
 * @example
 * ```ts
 * import { isSafetensorsDType } from './safetensorsDtypes.ts'; // internal
 * isSafetensorsDType('BF16'); // true
 * isSafetensorsDType('constructor'); // false
 * ```
 */
export function isSafetensorsDType(s: unknown): s is SafetensorsDType {
  return typeof s === 'string' && byteSizes.has(s);
}

/**
 * Bytes per element of a safetensors dtype.
 *
 * @example
 * ```ts
 * import { dtypeByteSize } from './safetensorsDtypes.ts'; // internal
 * dtypeByteSize('BF16'); // 2
 * ```
 */
export function dtypeByteSize(dtype: SafetensorsDType): number {
  return byteSizes.get(dtype) ?? 0;
}

/**
 * The storage dtype canopy writes by default for a tensor: F32 for float32, I32 for int32.
 *
 * @example
 * ```ts
 * import { defaultStorageDType } from './safetensorsDtypes.ts'; // internal
 * import { fromArray } from '../tensor/create.ts';
 * defaultStorageDType(fromArray([1], 'int32')); // 'I32'
 * ```
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
 *
 * @example
 * ```ts
 * import { decodeTensorBytes } from './safetensorsDtypes.ts'; // internal
 * decodeTensorBytes(new Uint8Array([0, 0, 128, 63]), 'F32', [1], 'w').data; // Float32Array [1]
 * ```
 */
export function decodeTensorBytes(bytes: Uint8Array, dtype: SafetensorsDType, shape: readonly number[], name: string): Tensor {
  // A fresh, aligned copy: file offsets need not be multiples of the element size. Through
  // Uint8Array's own slice: a Node Buffer's `slice` is a view into a shared pool, not a copy.
  const buf = Uint8Array.prototype.slice.call(bytes).buffer;
  const view = new DataView(buf);
  const n = bytes.length / dtypeByteSize(dtype);
  switch (dtype) {
    case 'F32': {
      if (littleEndianHost) return makeTensor(new Float32Array(buf), shape, 'float32');
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return makeTensor(out, shape, 'float32');
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return makeTensor(out, shape, 'float32');
    }
    case 'F16':
    case 'BF16': {
      const bits = new Uint16Array(n);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true);
      return makeTensor(halfToFloat32(bits, dtype === 'F16' ? 'float16' : 'bfloat16'), shape, 'float32');
    }
    case 'I32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
      return makeTensor(out, shape, 'int32');
    }
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = view.getInt32(i * 8, true);
        const hi = view.getInt32(i * 8 + 4, true);
        // In int32 range exactly when the high word is the sign extension of the low word.
        if (hi !== lo >> 31) {
          const v = view.getBigInt64(i * 8, true);
          throw new CanopyError('io', `safetensors: I64 tensor '${name}' must fit int32 to load as int32, got ${v} at flat index ${i}`);
        }
        out[i] = lo;
      }
      return makeTensor(out, shape, 'int32');
    }
    case 'U8':
      return makeTensor(Int32Array.from(bytes), shape, 'int32');
    case 'BOOL': {
      // torch reads any non-zero byte as True; canopy normalises to 1
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      return makeTensor(out, shape, 'int32');
    }
  }
}

// --- encode

/**
 * Encodes a tensor as little-endian bytes of `dtype`. Float32 tensors store as F32, F16, BF16 or
 * F64 (F16/BF16 round to nearest even); int32 tensors as I32, I64, U8 (values in 0..255) or
 * BOOL (non-zero → 1). Any other pairing throws a CanopyError `dtype`: it is a caller's mistake.
 *
 * @example
 * ```ts
 * import { encodeTensorBytes } from './safetensorsDtypes.ts'; // internal
 * import { fromArray } from '../tensor/create.ts';
 * encodeTensorBytes(fromArray([1]), 'F32', 'w'); // Uint8Array [0, 0, 128, 63]
 * ```
 */
export function encodeTensorBytes(t: Tensor, dtype: SafetensorsDType, name: string): Uint8Array {
  const floatKind = dtype === 'F32' || dtype === 'F16' || dtype === 'BF16' || dtype === 'F64';
  if (floatKind !== (t.dtype === 'float32')) {
    throw new CanopyError('dtype', `safetensors: tensor '${name}' of dtype ${t.dtype} cannot be stored as ${dtype}, got ${t.dtype} → ${dtype} (float32 stores as F32/F16/BF16/F64, int32 as I32/I64/U8/BOOL)`);
  }
  const n = t.size;
  const out = new Uint8Array(n * dtypeByteSize(dtype));
  const view = new DataView(out.buffer);
  const d = t.data;
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, d[i] ?? 0, true);
      break;
    case 'F64':
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, d[i] ?? 0, true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) view.setUint16(i * 2, numberToFloat16Bits(d[i] ?? 0), true);
      break;
    case 'BF16':
      for (let i = 0; i < n; i++) view.setUint16(i * 2, numberToBfloat16Bits(d[i] ?? 0), true);
      break;
    case 'I32':
      for (let i = 0; i < n; i++) view.setInt32(i * 4, d[i] ?? 0, true);
      break;
    case 'I64':
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, BigInt(d[i] ?? 0), true);
      break;
    case 'U8':
      for (let i = 0; i < n; i++) {
        const v = d[i] ?? 0;
        if (v < 0 || v > 255) {
          throw new CanopyError('argument', `safetensors: tensor '${name}' stored as U8 needs values in 0..255, got ${v} at flat index ${i}`);
        }
        out[i] = v;
      }
      break;
    case 'BOOL':
      for (let i = 0; i < n; i++) out[i] = d[i] === 0 ? 0 : 1;
      break;
  }
  return out;
}
