// safetensors from and to bytes: the whole file in memory. For paths and lazy reading see
// `canopy-nn/node` (`src/node/safetensorsFile.ts`). Parsing returns Either (a file is data: it may be broken or hostile);
// `loadSafetensors` is the throwing convenience. Writing throws only on a caller's mistake.

import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import { concatBytes, fetchBytes, type BytesSource, type FetchOptions } from './fetch.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import {
  decodeTensorBytes,
  defaultStorageDType,
  encodeTensorBytes,
  isSafetensorsDType,
  type SafetensorsDType,
} from './safetensorsDtypes.ts';
import { encodeHeader, parseHeader, readHeaderLength, type SafetensorsEntry, type SafetensorsHeader } from './safetensorsHeader.ts';

// --- model

/** What a safetensors file holds, in canopy's terms. */
export interface SafetensorsContents {
  /** Tensors by name: float dtypes as float32, integer and bool dtypes as int32. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** The dtype each tensor had in the file (pass it back as `dtypes` to write the same storage). */
  readonly dtypes: ReadonlyMap<string, SafetensorsDType>;
  /** The `__metadata__` string map. */
  readonly metadata: ReadonlyMap<string, string>;
}

/** Options of {@link decodeSafetensors} and the file readers. */
export interface DecodeSafetensorsOptions {
  /** Decode only these tensors (default: all). A name missing from the file is an error. */
  readonly names?: readonly string[];
}

/** A name → value table, as a Map or a plain object. */
export type NamedTable<V> = ReadonlyMap<string, V> | Readonly<Record<string, V>>;

/** Options of {@link encodeSafetensors} and the file writer. */
export interface EncodeSafetensorsOptions {
  /** `__metadata__` to write (default: none). */
  readonly metadata?: NamedTable<string>;
  /** Storage dtype per tensor name (default: F32 for float32 tensors, I32 for int32). */
  readonly dtypes?: NamedTable<SafetensorsDType>;
}

// --- destructors

/**
 * Reads and validates the header of an in-memory safetensors file, decoding no tensor.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, fromArray, parseSafetensorsHeader } from 'canopy-nn';
 * const bytes = encodeSafetensors(new Map([['w', fromArray([1, 2])]]));
 * const header = parseSafetensorsHeader(bytes);
 * header._tag === 'Right' && header.right.entries.get('w')?.shape; // [2]
 * ```
 */
export function parseSafetensorsHeader(bytes: Uint8Array): E.Either<CanopyError, SafetensorsHeader> {
  const n = readHeaderLength(bytes.subarray(0, 8), bytes.length);
  if (E.isLeft(n)) return n;
  const dataStart = 8 + n.right;
  return parseHeader(bytes.subarray(8, dataStart), dataStart, bytes.length - dataStart);
}

/**
 * Decodes a safetensors file held in memory. Every failure that depends on the bytes (bad header,
 * offsets, dtypes, an I64 beyond int32) is a `Left` CanopyError with code `io`.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors, fromArray } from 'canopy-nn';
 * import * as E from 'fp-ts/lib/Either.js';
 * const bytes = encodeSafetensors(new Map([['w', fromArray([1, 2])]]), { metadata: { format: 'pt' } });
 * const r = decodeSafetensors(bytes);
 * E.isRight(r) && r.right.tensors.get('w')?.shape; // [2]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): E.Either<CanopyError, SafetensorsContents> {
  const header = parseSafetensorsHeader(bytes);
  if (E.isLeft(header)) return header;
  const h = header.right;
  const chosen = selectEntries(h, options.names);
  if (E.isLeft(chosen)) return chosen;
  return decodeEntries(chosen.right, h.metadata, (e) => bytes.subarray(h.dataStart + e.begin, h.dataStart + e.end));
}

/**
 * Like {@link decodeSafetensors} but throws the CanopyError.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, fromArray, loadSafetensors } from 'canopy-nn';
 * loadSafetensors(encodeSafetensors({ w: fromArray([1]) })).tensors.get('w')?.data; // Float32Array [1]
 * ```
 */
export function loadSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsContents {
  return orThrow(decodeSafetensors(bytes, options));
}

/**
 * Fetches a safetensors file (a URL, a `Response`, a Blob or bytes, see `fetchBytes`) and decodes
 * it, reporting download progress. Throws CanopyError('io') for an unreachable or broken file.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, fetchSafetensors, fromArray } from 'canopy-nn';
 * const bytes = encodeSafetensors({ w: fromArray([1, 2]) }); // or a URL, a Response, a dropped File
 * const { tensors } = await fetchSafetensors(bytes, { onProgress: ({ loaded, total }) => [loaded, total] });
 * tensors.get('w')?.data; // Float32Array [1, 2]
 * ```
 */
export async function fetchSafetensors(source: BytesSource, options: FetchOptions & DecodeSafetensorsOptions = {}): Promise<SafetensorsContents> {
  return loadSafetensors(await fetchBytes(source, options), options);
}

// --- constructors

/**
 * Encodes tensors (and metadata) as a safetensors file. Tensors are laid out in sorted name order
 * and the header is padded to 8 bytes, so equal inputs give equal bytes. Throws a CanopyError for
 * a caller's mistake: a storage dtype that does not fit the tensor, or the reserved name
 * `__metadata__`.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, fromArray } from 'canopy-nn';
 * const bytes = encodeSafetensors({ w: fromArray([1, 2]) }, { dtypes: { w: 'F16' }, metadata: { step: '3' } });
 * bytes.length % 8; // 4 (header padded to 8, then 2 × 2 bytes)
 * ```
 */
export function encodeSafetensors(tensors: NamedTable<Tensor>, options: EncodeSafetensorsOptions = {}): Uint8Array {
  const dtypes = toMap(options.dtypes);
  const metadata = toMap(options.metadata);
  for (const [k, v] of metadata) {
    if (typeof v !== 'string') throw new CanopyError('argument', `safetensors: metadata values must be strings, got ${typeof v} for key ${JSON.stringify(k)}`);
  }
  const named = [...toMap(tensors)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const entries: SafetensorsEntry[] = [];
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of named) {
    if (name === '__metadata__') throw new CanopyError('argument', 'safetensors: a tensor name must not be the reserved "__metadata__", got "__metadata__"');
    const dtype = dtypes.get(name) ?? defaultStorageDType(t);
    if (!isSafetensorsDType(dtype)) throw new CanopyError('dtype', `safetensors: storage dtype of '${name}' must be one of F32 F16 BF16 F64 I64 I32 U8 BOOL, got ${String(dtype)}`);
    const blob = encodeTensorBytes(t, dtype, name);
    entries.push({ name, dtype, shape: t.shape, begin: offset, end: offset + blob.length });
    blobs.push(blob);
    offset += blob.length;
  }
  return concatBytes([encodeHeader(entries, metadata), ...blobs]);
}

// --- utils

/** Throws the Left of an Either, returns its Right. @internal */
export function orThrow<A>(e: E.Either<CanopyError, A>): A {
  if (E.isLeft(e)) throw e.left;
  return e.right;
}

/** The entries for `names` (all when undefined), or an error naming the first missing one. @internal */
export function selectEntries(h: SafetensorsHeader, names: readonly string[] | undefined): E.Either<CanopyError, SafetensorsEntry[]> {
  if (names === undefined) return E.right([...h.entries.values()]);
  const out: SafetensorsEntry[] = [];
  for (const n of names) {
    const e = h.entries.get(n);
    if (e === undefined) {
      const some = [...h.entries.keys()].slice(0, 8).map((k) => JSON.stringify(k)).join(', ');
      return E.left(new CanopyError('io', `safetensors: requested tensor ${JSON.stringify(n)} must be in the file, got ${h.entries.size} tensors: ${some}${h.entries.size > 8 ? ', …' : ''}`));
    }
    out.push(e);
  }
  return E.right(out);
}

/** Decodes entries whose bytes `bytesOf` returns, catching data-dependent failures. @internal */
export function decodeEntries(
  entries: readonly SafetensorsEntry[],
  metadata: ReadonlyMap<string, string>,
  bytesOf: (e: SafetensorsEntry) => Uint8Array,
): E.Either<CanopyError, SafetensorsContents> {
  const tensors = new Map<string, Tensor>();
  const dtypes = new Map<string, SafetensorsDType>();
  for (const e of entries) {
    const t = decodeEntry(e, bytesOf(e));
    if (E.isLeft(t)) return t;
    tensors.set(e.name, t.right);
    dtypes.set(e.name, e.dtype);
  }
  return E.right({ tensors, dtypes, metadata });
}

/** Decodes one entry's bytes; an I64 beyond int32 becomes a Left. @internal */
export function decodeEntry(e: SafetensorsEntry, bytes: Uint8Array): E.Either<CanopyError, Tensor> {
  try {
    return E.right(decodeTensorBytes(bytes, e.dtype, e.shape, e.name));
  } catch (err) {
    if (err instanceof CanopyError) return E.left(err);
    throw err;
  }
}

function toMap<V>(t: NamedTable<V> | undefined): ReadonlyMap<string, V> {
  if (t === undefined) return new Map();
  if (t instanceof Map) return t;
  return new Map(Object.entries(t as Readonly<Record<string, V>>));
}
