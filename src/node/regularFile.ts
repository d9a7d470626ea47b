// Opening weight files safely: a path must name a regular file (a FIFO would block forever, a
// device such as /dev/zero reads without end), opened without blocking, and read by its size as
// stat gave it, never "until the end".

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';

// --- model

/** An open regular file and its size when it was opened. @internal */
export interface RegularFile {
  readonly fh: FileHandle;
  readonly size: number;
}

// --- constructors

/**
 * Opens `path` for reading; a `Left` with the reason (an errno code, or what the path is instead
 * of a regular file) unless it is a regular file. `noFollow` refuses a symlink as the last
 * component (for paths already resolved with `realpath`).
 * @internal
 */
export async function openRegularFile(path: string, noFollow = false): Promise<E.Either<string, RegularFile>> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  let fh: FileHandle;
  try {
    fh = await open(path, flags);
  } catch (err) {
    return E.left(reason(err));
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      return E.left(`not a regular file (${kindOf(st)})`);
    }
    return E.right({ fh, size: st.size });
  } catch (err) {
    await fh.close().catch(() => undefined);
    return E.left(reason(err));
  }
}

// --- destructors

/**
 * Reads exactly `length` bytes at `position`; `undefined` when the file ends first.
 * @internal
 */
export async function readExactly(fh: FileHandle, length: number, position: number): Promise<Uint8Array | undefined> {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) return undefined;
    got += bytesRead;
  }
  return buf;
}

/**
 * The whole content of the regular file at `path`, at most `maxBytes`; a `Left` with the reason.
 * @internal
 */
export async function readRegularFile(path: string, maxBytes: number, noFollow = false): Promise<E.Either<string, Uint8Array>> {
  const f = await openRegularFile(path, noFollow);
  if (E.isLeft(f)) return f;
  try {
    if (f.right.size > maxBytes) return E.left(`${f.right.size} bytes, more than the ${maxBytes} allowed`);
    const bytes = await readExactly(f.right.fh, f.right.size, 0);
    return bytes === undefined ? E.left('the file shrank while being read') : E.right(bytes);
  } catch (err) {
    return E.left(reason(err));
  } finally {
    await f.right.fh.close().catch(() => undefined);
  }
}

// --- utils

/** Why a file operation failed: its errno code (`ENOENT`), else its message. @internal */
export function reason(err: unknown): string {
  return err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
