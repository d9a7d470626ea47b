// safetensors on disk: writing a file, reading one, and reading lazily through a file handle, so
// that loading three tensors of a 2 GB checkpoint reads the header and those three tensors only.

import { writeFile, type FileHandle } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { openRegularFile, readExactly, reason } from './regularFile.ts';
import {
  decodeEntries,
  decodeEntry,
  encodeSafetensors,
  orThrow,
  selectEntries,
  type DecodeSafetensorsOptions,
  type EncodeSafetensorsOptions,
  type NamedTable,
  type SafetensorsContents,
} from '../io/safetensors.ts';
import { parseHeader, readHeaderLength, type SafetensorsEntry, type SafetensorsHeader } from '../io/safetensorsHeader.ts';

// --- model

/** An open safetensors file whose header has been validated; tensors are read on demand. */
export interface SafetensorsReader {
  /** The validated header (names, dtypes, shapes, offsets, metadata). */
  readonly header: SafetensorsHeader;
  /** Tensor names in data order. */
  readonly names: readonly string[];
  /** The `__metadata__` string map. */
  readonly metadata: ReadonlyMap<string, string>;
  /** Reads and decodes one tensor (only its bytes are read). */
  read(name: string): Promise<E.Either<CanopyError, Tensor>>;
  /** Reads several tensors (all when `names` is undefined). */
  readAll(options?: DecodeSafetensorsOptions): Promise<E.Either<CanopyError, SafetensorsContents>>;
  /** Closes the file handle; later reads give a Left. Closing twice is harmless. */
  close(): Promise<void>;
}

// --- constructors

/**
 * Opens a safetensors file and validates its header, reading nothing else. Close the reader when
 * done (or use {@link withSafetensors}).
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { fromArray } from 'canopy-nn';
 * import { openSafetensors, writeSafetensorsFile } from 'canopy-nn/node';
 * import * as E from 'fp-ts/lib/Either.js';
 * const path = join(mkdtempSync(join(tmpdir(), 'canopy-')), 'model.safetensors');
 * await writeSafetensorsFile(path, { 'Linear.weight': fromArray([[1, 2], [3, 4]]), 'Linear.bias': fromArray([0, 1]) });
 * const r = await openSafetensors(path);
 * E.isRight(r) && r.right.names; // ['Linear.bias', 'Linear.weight']
 * if (E.isRight(r)) {
 *   const w = await r.right.read('Linear.weight'); // reads those 16 bytes only
 *   await r.right.close();
 * }
 * ```
 */
export async function openSafetensors(path: string): Promise<E.Either<CanopyError, SafetensorsReader>> {
  const file = await openRegularFile(path);
  if (E.isLeft(file)) return E.left(ioError(path, 'must be a readable regular file', file.left));
  const fh = file.right.fh;
  try {
    const header = await readHeader(fh, path);
    if (E.isLeft(header)) {
      await fh.close();
      return header;
    }
    return E.right(makeReader(fh, path, header.right));
  } catch (err) {
    await fh.close().catch(() => undefined);
    return E.left(ioError(path, 'must be readable', err));
  }
}

/**
 * Opens `path`, runs `use` on the reader, and closes the file whatever happens.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { fromArray } from 'canopy-nn';
 * import { withSafetensors, writeSafetensorsFile } from 'canopy-nn/node';
 * import * as E from 'fp-ts/lib/Either.js';
 * const path = join(mkdtempSync(join(tmpdir(), 'canopy-')), 'model.safetensors');
 * await writeSafetensorsFile(path, { 'Linear.weight': fromArray([[1, 2], [3, 4]]), 'Linear.bias': fromArray([0, 1]) });
 * const names = await withSafetensors(path, async (r) => r.names);
 * E.isRight(names) && names.right; // ['Linear.bias', 'Linear.weight']
 * ```
 */
export async function withSafetensors<A>(
  path: string,
  use: (reader: SafetensorsReader) => Promise<A>,
): Promise<E.Either<CanopyError, A>> {
  const r = await openSafetensors(path);
  if (E.isLeft(r)) return r;
  try {
    return E.right(await use(r.right));
  } finally {
    await r.right.close();
  }
}

// --- destructors

/**
 * Reads a safetensors file from `path`: the header, then only the tensors asked for (all by
 * default). Data-dependent failures are a `Left` CanopyError.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { fromArray } from 'canopy-nn';
 * import { readSafetensorsFile, writeSafetensorsFile } from 'canopy-nn/node';
 * import * as E from 'fp-ts/lib/Either.js';
 * const path = join(mkdtempSync(join(tmpdir(), 'canopy-')), 'model.safetensors');
 * await writeSafetensorsFile(path, { 'Linear.weight': fromArray([[1, 2], [3, 4]]), 'Linear.bias': fromArray([0, 1]) });
 * const r = await readSafetensorsFile(path, { names: ['Linear.weight'] });
 * E.isRight(r) && [...r.right.tensors.keys()]; // ['Linear.weight']
 * ```
 */
export async function readSafetensorsFile(
  path: string,
  options: DecodeSafetensorsOptions = {},
): Promise<E.Either<CanopyError, SafetensorsContents>> {
  const r = await withSafetensors(path, (reader) => reader.readAll(options));
  return E.flatten(r);
}

/**
 * Like {@link readSafetensorsFile} but throws the CanopyError.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { fromArray } from 'canopy-nn';
 * import { loadSafetensorsFile, writeSafetensorsFile } from 'canopy-nn/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'canopy-')), 'model.safetensors');
 * await writeSafetensorsFile(path, { 'Linear.weight': fromArray([[1, 2], [3, 4]]), 'Linear.bias': fromArray([0, 1]) });
 * const { tensors } = await loadSafetensorsFile(path);
 * tensors.get('Linear.bias')?.data; // Float32Array [0, 1]
 * ```
 */
export async function loadSafetensorsFile(path: string, options: DecodeSafetensorsOptions = {}): Promise<SafetensorsContents> {
  return orThrow(await readSafetensorsFile(path, options));
}

/**
 * Writes tensors (and metadata) to `path` as safetensors (see `encodeSafetensors` for the layout
 * and the options).
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { fromArray } from 'canopy-nn';
 * import { writeSafetensorsFile } from 'canopy-nn/node';
 * await writeSafetensorsFile(join(mkdtempSync(join(tmpdir(), 'canopy-')), 'out.safetensors'), { w: fromArray([1, 2]) }, { metadata: { format: 'pt' } });
 * ```
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: NamedTable<Tensor>,
  options: EncodeSafetensorsOptions = {},
): Promise<void> {
  await writeFile(path, encodeSafetensors(tensors, options));
}

// --- utils

function ioError(path: string, what: string, err: unknown): CanopyError {
  return new CanopyError('io', `safetensors: ${JSON.stringify(path)} ${what}, got ${reason(err)}`, { cause: err });
}

async function readHeader(fh: FileHandle, path: string): Promise<E.Either<CanopyError, SafetensorsHeader>> {
  const { size } = await fh.stat();
  const first8 = (await readExactly(fh, Math.min(8, size), 0)) ?? new Uint8Array(0);
  // The length is checked against the file size before the header buffer is allocated.
  const n = readHeaderLength(first8, size);
  if (E.isLeft(n)) return n;
  const json = await readExactly(fh, n.right, 8);
  if (json === undefined) return E.left(ioError(path, 'must not shrink while being read', 'short read of the header'));
  return parseHeader(json, 8 + n.right, size - 8 - n.right);
}

function makeReader(fh: FileHandle, path: string, header: SafetensorsHeader): SafetensorsReader {
  let closed = false;
  const readBytes = async (name: string): Promise<E.Either<CanopyError, readonly [SafetensorsEntry, Uint8Array]>> => {
    if (closed) return E.left(new CanopyError('io', `safetensors: reader for ${JSON.stringify(path)} must be open to read ${JSON.stringify(name)}, got a closed reader`));
    const chosen = selectEntries(header, [name]);
    if (E.isLeft(chosen)) return chosen;
    const e = chosen.right[0]!;
    const bytes = await readExactly(fh, e.end - e.begin, header.dataStart + e.begin);
    if (bytes === undefined) return E.left(ioError(path, 'must not shrink while being read', `short read of ${JSON.stringify(name)}`));
    return E.right([e, bytes]);
  };
  return Object.freeze({
    header,
    names: Object.freeze([...header.entries.keys()]),
    metadata: header.metadata,
    read: async (name: string) => E.flatMap(await readBytes(name), ([e, bytes]) => decodeEntry(e, bytes)),
    async readAll(options: DecodeSafetensorsOptions = {}): Promise<E.Either<CanopyError, SafetensorsContents>> {
      const chosen = selectEntries(header, options.names);
      if (E.isLeft(chosen)) return chosen;
      const bytes = new Map<string, Uint8Array>();
      for (const e of chosen.right) {
        const b = await readBytes(e.name);
        if (E.isLeft(b)) return b;
        bytes.set(e.name, b.right[1]);
      }
      return decodeEntries(chosen.right, header.metadata, (e) => bytes.get(e.name)!);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await fh.close();
    },
  });
}
