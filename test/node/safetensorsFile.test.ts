import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/io/safetensors.ts';
import {
  loadSafetensorsFile,
  openSafetensors,
  readSafetensorsFile,
  withSafetensors,
  writeSafetensorsFile,
} from '../../src/node/safetensorsFile.ts';
import { fromArray } from '../../src/tensor/create.ts';
import { leftOf, rightOf } from '../io/helpers.ts';
import { runChild } from '../reliability/child.ts';

const dir = mkdtempSync(join(tmpdir(), 'canopy-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safetensors files', () => {
  it('writes a file that reads back, and whose bytes equal encodeSafetensors', async () => {
    const path = join(dir, 'a.safetensors');
    const tensors = { w: fromArray([[1, 2], [3, 4]]), idx: fromArray([3, 1], 'int32') };
    await writeSafetensorsFile(path, tensors, { metadata: { format: 'pt' }, dtypes: { idx: 'I64' } });
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeSafetensors(tensors, { metadata: { format: 'pt' }, dtypes: { idx: 'I64' } }));
    const r = await loadSafetensorsFile(path);
    expect([...r.tensors.get('w')!.data]).toEqual([1, 2, 3, 4]);
    expect(r.dtypes.get('idx')).toBe('I64');
    expect(r.metadata.get('format')).toBe('pt');
  });

  it('reads lazily: only the tensors asked for are read and decoded', async () => {
    // 'bad' holds an I64 beyond int32: decoding it fails, so a read that succeeds never touched it.
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 40n, true);
    const ok = encodeSafetensors({ bad: fromArray([0], 'int32'), good: fromArray([7]) }, { dtypes: { bad: 'I64' } });
    const h = Number(new DataView(ok.buffer).getBigUint64(0, true));
    ok.set(big, 8 + h); // 'bad' sorts first: its bytes start the data section
    const path = join(dir, 'lazy.safetensors');
    writeFileSync(path, ok);
    expect(leftOf(await readSafetensorsFile(path)).message).toMatch(/I64 tensor 'bad' must fit int32/);
    const r = rightOf(await readSafetensorsFile(path, { names: ['good'] }));
    expect([...r.tensors.get('good')!.data]).toEqual([7]);
    const reader = rightOf(await openSafetensors(path));
    expect(reader.names).toEqual(['bad', 'good']);
    expect(reader.header.entries.get('bad')?.dtype).toBe('I64');
    expect(E.isRight(await reader.read('good'))).toBe(true);
    expect(leftOf(await reader.read('nope')).message).toMatch(/requested tensor "nope" must be in the file/);
    await reader.close();
    await reader.close();
    expect(leftOf(await reader.read('good')).message).toMatch(/must be open to read "good", got a closed reader/);
  });

  it('reports a missing file, a hostile header and a file truncated after opening as Left', async () => {
    expect(leftOf(await readSafetensorsFile(join(dir, 'none.safetensors'))).message).toMatch(/must be a readable regular file, got ENOENT$/);
    const hostile = join(dir, 'hostile.safetensors');
    const b = new Uint8Array(1024);
    new DataView(b.buffer).setBigUint64(0, 100_000_000n, true);
    writeFileSync(hostile, b);
    expect(leftOf(await readSafetensorsFile(hostile)).message).toBe(
      'safetensors: header length must fit in the file (1016 bytes after the length), got 100000000',
    );
    const path = join(dir, 'shrinks.safetensors');
    await writeSafetensorsFile(path, { a: fromArray([1, 2, 3, 4]) });
    const reader = rightOf(await openSafetensors(path));
    truncateSync(path, readFileSync(path).length - 4);
    expect(leftOf(await reader.read('a')).message).toMatch(/must not shrink while being read/);
    await reader.close();
    await expect(loadSafetensorsFile(hostile)).rejects.toThrow(/header length must fit/);
  });

  it('withSafetensors closes the file even when the callback throws', async () => {
    const path = join(dir, 'w.safetensors');
    await writeSafetensorsFile(path, { a: fromArray([1]) });
    let seen: { close(): Promise<void>; read(n: string): Promise<E.Either<unknown, unknown>> } | undefined;
    await expect(withSafetensors(path, async (r) => {
      seen = r;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(E.isLeft(await seen!.read('a'))).toBe(true);
  });
});

// Issue 11, item 3: a FIFO or a device is refused without blocking (child process, time limit).
describe('safetensors files: devices and FIFOs', () => {
  it('refuses /dev/zero, a FIFO and a directory with the reason', () => {
    const fdir = mkdtempSync(join(tmpdir(), 'canopy-st-dev-'));
    const r = runChild(
      `import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readSafetensorsFile } from './src/node/safetensorsFile.ts';
const dir = ${JSON.stringify(fdir)};
execFileSync('mkfifo', [join(dir, 'f.safetensors')]);
const out = [];
for (const p of ['/dev/zero', join(dir, 'f.safetensors'), dir]) {
  const r = await readSafetensorsFile(p);
  out.push(r._tag === 'Left' ? r.left.message : 'right');
}
console.log(JSON.stringify(out));`,
      20_000,
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([
      'safetensors: "/dev/zero" must be a readable regular file, got not a regular file (a character device)',
      `safetensors: ${JSON.stringify(join(fdir, 'f.safetensors'))} must be a readable regular file, got not a regular file (a FIFO)`,
      `safetensors: ${JSON.stringify(fdir)} must be a readable regular file, got not a regular file (a directory)`,
    ]);
  });
});
