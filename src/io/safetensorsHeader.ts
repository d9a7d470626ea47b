// The safetensors header: reading and validating it without trusting a byte of the file, and
// writing it. Layout: 8-byte little-endian header length n, n bytes of UTF-8 JSON, then the data.
//
// Validation follows the reference implementation (huggingface/safetensors `validate`): every
// entry has a known dtype, a shape of non-negative integers and data_offsets [begin, end] whose
// length is exactly size × element size; the entries tile the data section from 0 to its end,
// with no gap, overlap or trailing byte. `__metadata__`, when present, maps strings to strings.
// Names and metadata keys are stored in Maps, so `__proto__` or `constructor` are ordinary names.

import * as E from 'fp-ts/lib/Either.js';
import { parseJson, shapeBytes, showJson } from './showJson.ts';
import { CanopyError } from '../errors.ts';
import { dtypeByteSize, isSafetensorsDType, type SafetensorsDType } from './safetensorsDtypes.ts';

// --- model

/** Where one tensor lives in a safetensors file. */
export interface SafetensorsEntry {
  readonly name: string;
  /** Storage dtype, as written in the file. */
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  readonly begin: number;
  readonly end: number;
}

/** A validated header. */
export interface SafetensorsHeader {
  /** Entries by name, in data order (ascending offsets). */
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: ReadonlyMap<string, string>;
  /** Byte offset of the data section in the file: 8 + header length. */
  readonly dataStart: number;
  /** Length of the data section in bytes. */
  readonly dataLength: number;
}

/**
 * Largest header canopy accepts, as the reference implementation (100 MB). A claim above it, or
 * beyond the end of the file, is rejected before anything is allocated.
 */
export const maxHeaderBytes = 100_000_000;

// --- destructors

const fail = (what: string): E.Either<CanopyError, never> => E.left(new CanopyError('io', `safetensors: ${what}`));

// Names in messages: quoted, and cut short so a hostile 1 MB name cannot flood a log.
const showName = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * Reads the 8-byte header length and checks it against the file's length and {@link maxHeaderBytes}.
 * Returns the header length n; the JSON is bytes `[8, 8 + n)`.
 */
export function readHeaderLength(first8: Uint8Array, fileLength: number): E.Either<CanopyError, number> {
  if (fileLength < 8 || first8.length < 8) {
    return fail(`a file must start with an 8-byte header length, got ${Math.min(fileLength, first8.length)} bytes`);
  }
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(maxHeaderBytes)) {
    return fail(`header length must be at most ${maxHeaderBytes} bytes, got ${n}`);
  }
  if (n > BigInt(fileLength - 8)) {
    return fail(`header length must fit in the file (${fileLength - 8} bytes after the length), got ${n}`);
  }
  return E.right(Number(n));
}

/**
 * Parses and validates the JSON header against a data section of `dataLength` bytes.
 */
export function parseHeader(json: Uint8Array, dataStart: number, dataLength: number): E.Either<CanopyError, SafetensorsHeader> {
  const r = parseJson(json);
  if (E.isLeft(r)) return fail(`header must be ${r.left}`);
  const parsed = r.right;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(`header must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : showJson(parsed)}`);
  }
  const metadata = new Map<string, string>();
  const entries: SafetensorsEntry[] = [];
  // Object.entries lists own properties only; JSON.parse makes "__proto__" an own property.
  for (const [name, info] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      const m = parseMetadata(info, metadata);
      if (E.isLeft(m)) return m;
      continue;
    }
    const entry = parseEntry(name, info);
    if (E.isLeft(entry)) return entry;
    entries.push(entry.right);
  }
  const tiled = checkTiling(entries, dataLength);
  if (E.isLeft(tiled)) return tiled;
  return E.right({
    entries: new Map(tiled.right.map((e) => [e.name, e])),
    metadata,
    dataStart,
    dataLength,
  });
}

function parseMetadata(info: unknown, into: Map<string, string>): E.Either<CanopyError, void> {
  if (info === null) return E.right(undefined); // the reference writer emits null for "no metadata"
  if (typeof info !== 'object' || Array.isArray(info)) {
    return fail(`__metadata__ must be an object of strings, got ${showJson(info)}`);
  }
  for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
    if (typeof v !== 'string') return fail(`__metadata__ values must be strings, got ${showJson(v)} for key ${showName(k)}`);
    into.set(k, v);
  }
  return E.right(undefined);
}

function parseEntry(name: string, info: unknown): E.Either<CanopyError, SafetensorsEntry> {
  const at = `tensor ${showName(name)}`;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    return fail(`${at} must be an object {dtype, shape, data_offsets}, got ${showJson(info)}`);
  }
  const rec = info as Record<string, unknown>;
  const dtype = Object.hasOwn(rec, 'dtype') ? rec['dtype'] : undefined;
  const shape = Object.hasOwn(rec, 'shape') ? rec['shape'] : undefined;
  const offsets = Object.hasOwn(rec, 'data_offsets') ? rec['data_offsets'] : undefined;
  if (!isSafetensorsDType(dtype)) {
    return fail(`${at} must have a dtype among F32 F16 BF16 F64 I64 I32 U8 BOOL, got ${showJson(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return fail(`${at} must have a shape of non-negative integers, got ${showJson(shape)}`);
  }
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]
  ) {
    return fail(`${at} must have data_offsets [begin, end] with 0 <= begin <= end, got ${showJson(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const bytes = shapeBytes(shape as number[], dtypeByteSize(dtype));
  if (bytes === undefined) return fail(`${at} must have a shape whose byte size is a safe integer, got ${showJson(shape)}`);
  if (bytes !== end - begin) {
    return fail(`${at} of dtype ${dtype} and shape [${shape.join(',')}] needs ${bytes} bytes, got data_offsets [${begin},${end}] (${end - begin} bytes)`);
  }
  return E.right({ name, dtype, shape: Object.freeze([...(shape as number[])]), begin, end });
}

function checkTiling(entries: SafetensorsEntry[], dataLength: number): E.Either<CanopyError, SafetensorsEntry[]> {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: SafetensorsEntry | undefined;
  for (const e of sorted) {
    if (e.end > dataLength) {
      return fail(`tensor ${showName(e.name)} must lie inside the data section of ${dataLength} bytes, got data_offsets [${e.begin},${e.end}] (file truncated or offsets out of range)`);
    }
    if (e.begin < pos) {
      return fail(`tensors must not overlap, got ${showName(prev?.name ?? '')} [${prev?.begin},${prev?.end}] and ${showName(e.name)} [${e.begin},${e.end}]`);
    }
    if (e.begin > pos) {
      return fail(`tensors must tile the data section without gaps, got bytes [${pos},${e.begin}) unused before ${showName(e.name)}`);
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLength) {
    return fail(`tensors must cover the data section of ${dataLength} bytes, got ${dataLength - pos} trailing bytes after offset ${pos}`);
  }
  return E.right(sorted);
}

// --- constructors

/**
 * Builds the header bytes (length prefix + JSON padded with spaces to a multiple of 8) for
 * entries given in data order, and a metadata map (omitted when empty).
 */
export function encodeHeader(entries: readonly SafetensorsEntry[], metadata: ReadonlyMap<string, string>): Uint8Array {
  // Built as text, not as an object: a name such as "__proto__" must become a plain key.
  const parts: string[] = [];
  if (metadata.size > 0) {
    const kv = [...metadata].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    parts.push(`"__metadata__":{${kv.join(',')}}`);
  }
  for (const e of entries) {
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${e.begin},${e.end}]}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}
