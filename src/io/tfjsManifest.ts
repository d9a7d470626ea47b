// tfjs weights manifests (`*-weights_manifest.json`, or the `weightsManifest` of a `model.json`)
// and their binary shards, read without trusting a byte: parsing and decoding return Either.
//
// Layout (tfjs-core `io_utils.decodeWeights`): a manifest is a list of groups; a group's shards
// (`paths`) are concatenated and its weights are read one after another from that byte stream, each
// `size × bytes(dtype)` long, where a `quantization` replaces the stored dtype: `uint8`/`uint16`
// values are dequantised as `q * scale + min` (rounded for int32 weights), `float16` is widened.
// Stricter than tfjs: the shards must hold exactly the group's bytes (tfjs ignores trailing
// bytes), names must be unique, and `string`/`complex64` weights are refused.

import * as E from 'fp-ts/lib/Either.js';
import { parseJson, shapeBytes, showJson } from './showJson.ts';
import { CanopyError } from '../errors.ts';
import { concatBytes } from './fetch.ts';
import { fromTypedArray } from '../tensor/create.ts';
import { makeTensor, type Tensor } from '../tensor/Tensor.ts';

// --- model

/** Stored dtypes of tfjs weights that canopy decodes (`bool` becomes int32 0/1). */
export type TfjsDType = 'float32' | 'int32' | 'bool';

/** Quantised storage dtypes. */
export type TfjsQuantizationDType = 'uint8' | 'uint16' | 'float16';

/** A weight's quantisation: `value = q * scale + min` for uint8/uint16; float16 has neither. */
export interface TfjsQuantization {
  readonly dtype: TfjsQuantizationDType;
  readonly scale?: number;
  readonly min?: number;
}

/** One weight of a group, in stream order. */
export interface TfjsWeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: TfjsDType;
  readonly quantization?: TfjsQuantization;
  /** Bytes the weight takes in the shards (derived, validated to be a safe integer). */
  readonly byteLength: number;
}

/** A group: its shard paths (relative to the manifest) and weights. */
export interface TfjsWeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly TfjsWeightSpec[];
  /** Sum of the weights' byte lengths: what the shards must hold together. */
  readonly byteLength: number;
}

/** A validated manifest. */
export type TfjsManifest = readonly TfjsWeightGroup[];

/** A manifest and its decoded weights by name (what the tfjs loaders return). */
export interface TfjsWeights {
  readonly manifest: TfjsManifest;
  readonly tensors: ReadonlyMap<string, Tensor>;
}

/** The bytes of each shard, by its manifest path: a Map, or a function (undefined = missing). */
export type TfjsShards = ReadonlyMap<string, Uint8Array> | ((path: string) => Uint8Array | undefined);

// --- utils

const fail = (what: string): E.Either<CanopyError, never> => E.left(new CanopyError('io', `tfjs manifest: ${what}`));

const byteSize: Readonly<Record<TfjsDType | TfjsQuantizationDType, number>> = {
  float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2,
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const own = (r: Record<string, unknown>, k: string): unknown => (Object.hasOwn(r, k) ? r[k] : undefined);

// --- destructors

/**
 * Parses and validates a tfjs weights manifest: a JSON array of groups, or a `model.json` object
 * holding one under `weightsManifest`. Every problem is a `Left` CanopyError with code `io`.
 *
 * @example
 * ```ts
 * import { parseTfjsManifest } from 'canopy-nn';
 * import * as E from 'fp-ts/lib/Either.js';
 * const m = parseTfjsManifest('[{"paths":["w.bin"],"weights":[{"name":"b","shape":[2],"dtype":"float32"}]}]');
 * E.isRight(m) && m.right[0]!.byteLength; // 8
 * ```
 */
export function parseTfjsManifest(json: string | Uint8Array): E.Either<CanopyError, TfjsManifest> {
  const r = parseJson(json);
  if (E.isLeft(r)) return fail(`must be ${r.left}`);
  const parsed = r.right;
  const groups = isRecord(parsed) ? own(parsed, 'weightsManifest') : parsed;
  if (!Array.isArray(groups)) {
    return fail(`must be an array of weight groups (or a model.json with "weightsManifest"), got ${showJson(parsed)}`);
  }
  const seen = new Set<string>();
  const out: TfjsWeightGroup[] = [];
  for (const [g, group] of groups.entries()) {
    const parsedGroup = parseGroup(group, g, seen);
    if (E.isLeft(parsedGroup)) return parsedGroup;
    out.push(parsedGroup.right);
  }
  return E.right(Object.freeze(out));
}

function parseGroup(group: unknown, g: number, seen: Set<string>): E.Either<CanopyError, TfjsWeightGroup> {
  if (!isRecord(group)) return fail(`group ${g} must be an object {paths, weights}, got ${showJson(group)}`);
  const paths = own(group, 'paths');
  const weights = own(group, 'weights');
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
    return fail(`group ${g} must have "paths", a non-empty array of file names, got ${showJson(paths)}`);
  }
  if (!Array.isArray(weights)) return fail(`group ${g} must have "weights", an array, got ${showJson(weights)}`);
  const specs: TfjsWeightSpec[] = [];
  let total = 0;
  for (const w of weights) {
    const spec = parseSpec(w, g);
    if (E.isLeft(spec)) return spec;
    if (seen.has(spec.right.name)) return fail(`weight names must be unique, got ${showJson(spec.right.name)} twice`);
    seen.add(spec.right.name);
    specs.push(spec.right);
    total += spec.right.byteLength;
    if (!Number.isSafeInteger(total)) return fail(`group ${g} must have a byte size that is a safe integer, got more than 2^53`);
  }
  return E.right(Object.freeze({ paths: Object.freeze([...paths as string[]]), weights: Object.freeze(specs), byteLength: total }));
}

function parseSpec(w: unknown, g: number): E.Either<CanopyError, TfjsWeightSpec> {
  if (!isRecord(w)) return fail(`group ${g}: a weight must be an object {name, shape, dtype}, got ${showJson(w)}`);
  const name = own(w, 'name');
  if (typeof name !== 'string') return fail(`group ${g}: a weight must have a string "name", got ${showJson(name)}`);
  const at = `weight ${showJson(name)}`;
  const shape = own(w, 'shape');
  const dtype = own(w, 'dtype');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return fail(`${at} must have a shape of non-negative integers, got ${showJson(shape)}`);
  }
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    return fail(`${at} must have dtype float32, int32 or bool, got ${showJson(dtype)}`);
  }
  const q = own(w, 'quantization');
  let quantization: TfjsQuantization | undefined;
  if (q !== undefined) {
    const parsed = parseQuantization(q, at, dtype);
    if (E.isLeft(parsed)) return parsed;
    quantization = parsed.right;
  }
  const bytes = shapeBytes(shape as number[], byteSize[quantization?.dtype ?? dtype]);
  if (bytes === undefined) return fail(`${at} must have a shape whose byte size is a safe integer, got ${showJson(shape)}`);
  const spec: TfjsWeightSpec = { name, shape: Object.freeze([...shape as number[]]), dtype, byteLength: bytes };
  return E.right(Object.freeze(quantization === undefined ? spec : { ...spec, quantization }));
}

function parseQuantization(q: unknown, at: string, dtype: TfjsDType): E.Either<CanopyError, TfjsQuantization> {
  if (!isRecord(q)) return fail(`${at} must have a quantization object {dtype, scale, min}, got ${showJson(q)}`);
  const qd = own(q, 'dtype');
  if (qd !== 'uint8' && qd !== 'uint16' && qd !== 'float16') {
    return fail(`${at} must have a quantization dtype uint8, uint16 or float16, got ${showJson(qd)}`);
  }
  if (dtype === 'bool') return fail(`${at} of dtype bool must not be quantized, got quantization ${qd}`);
  if (qd === 'float16') {
    if (dtype !== 'float32') return fail(`${at} quantized as float16 must have dtype float32, got ${dtype}`);
    return E.right(Object.freeze({ dtype: qd }));
  }
  const scale = own(q, 'scale');
  const min = own(q, 'min');
  if (typeof scale !== 'number' || !Number.isFinite(scale) || typeof min !== 'number' || !Number.isFinite(min)) {
    return fail(`${at} quantized as ${qd} must have finite numbers "scale" and "min", got scale ${showJson(scale)} and min ${showJson(min)}`);
  }
  return E.right(Object.freeze({ dtype: qd, scale, min }));
}

/**
 * Decodes every weight of a validated manifest from its shards, dequantising as tfjs does. A
 * missing shard, or shards that hold fewer or more bytes than their group's weights, is a `Left`.
 *
 * @example
 * ```ts
 * import { decodeTfjsWeights, parseTfjsManifest } from 'canopy-nn';
 * import * as E from 'fp-ts/lib/Either.js';
 * const m = parseTfjsManifest('[{"paths":["a"],"weights":[{"name":"w","shape":[2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}}]}]');
 * const w = E.isRight(m) ? decodeTfjsWeights(m.right, new Map([['a', new Uint8Array([0, 4])]])) : m;
 * E.isRight(w) && w.right.get('w')?.data; // Float32Array [-1, 1]
 * ```
 */
export function decodeTfjsWeights(manifest: TfjsManifest, shards: TfjsShards): E.Either<CanopyError, Map<string, Tensor>> {
  const get = typeof shards === 'function' ? shards : (p: string) => shards.get(p);
  const out = new Map<string, Tensor>();
  for (const [g, group] of manifest.entries()) {
    const parts: Uint8Array[] = [];
    for (const p of group.paths) {
      const bytes = get(p);
      if (bytes === undefined) return fail(`shard ${showJson(p)} of group ${g} must be given, got none`);
      parts.push(bytes);
    }
    const stream = concatBytes(parts);
    if (stream.length !== group.byteLength) {
      const what = stream.length < group.byteLength ? 'truncated' : 'trailing bytes';
      return fail(`group ${g} shards [${group.paths.map((p) => showJson(p)).join(', ')}] must hold ${group.byteLength} bytes for ${group.weights.length} weights, got ${stream.length} (${what})`);
    }
    let offset = 0;
    for (const spec of group.weights) {
      try {
        out.set(spec.name, decodeTfjsWeight(spec, stream.subarray(offset, offset + spec.byteLength)));
      } catch (e) {
        if (e instanceof CanopyError) return E.left(e); // a value out of int32 range: data-dependent
        throw e;
      }
      offset += spec.byteLength;
    }
  }
  return E.right(out);
}

/**
 * One weight's tensor from exactly its bytes (validated by {@link decodeTfjsWeights}). Values are
 * computed in float64 then stored as float32, as tfjs does.
 */
function decodeTfjsWeight(spec: TfjsWeightSpec, bytes: Uint8Array): Tensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  const n = spec.byteLength / byteSize[q?.dtype ?? spec.dtype];
  if (q?.dtype === 'float16') {
    const half = new Uint16Array(n);
    for (let i = 0; i < n; i++) half[i] = view.getUint16(2 * i, true);
    return fromTypedArray(half, spec.shape, 'float16');
  }
  const read: (i: number) => number = q === undefined
    ? spec.dtype === 'float32' ? (i) => view.getFloat32(4 * i, true)
      : spec.dtype === 'int32' ? (i) => view.getInt32(4 * i, true)
        : (i) => (view.getUint8(i) === 0 ? 0 : 1)
    : q.dtype === 'uint8'
      ? (i) => view.getUint8(i) * q.scale! + q.min!
      : (i) => view.getUint16(2 * i, true) * q.scale! + q.min!;
  if (spec.dtype === 'float32') {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = read(i);
    return makeTensor(data, spec.shape, 'float32');
  }
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(read(i));
    // a quantised int32 weight can dequantise past int32 (scale and min are free): refused, as
    // storing it in the Int32Array would wrap it to a wrong value silently
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new CanopyError('io', `tfjs manifest: weight ${showJson(spec.name)} of dtype int32 must dequantise into [-2147483648, 2147483647], got ${v} at index ${i}`);
    }
    data[i] = v;
  }
  return makeTensor(data, spec.shape, 'int32');
}
