// Issue 11, "done when": a fuzz of the two weight-file loaders. Random manifests (names, shapes,
// dtypes, quantisation, shard lists pointing at real shards, missing files, paths out of the
// folder, symlinks in and out, a directory, /dev/zero) and random safetensors bytes on disk.
// Every read must end with a value or an error value (never a throw, never a hang) and memory
// must stay bounded (no read beyond the files' sizes).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CanopyError } from '../../src/errors.ts';
import { encodeSafetensors } from '../../src/io/safetensors.ts';
import { readSafetensorsFile } from '../../src/node/safetensorsFile.ts';
import { readTfjsWeightsFile } from '../../src/node/tfjsFile.ts';
import { fromArray } from '../../src/tensor/create.ts';

const root = mkdtempSync(join(tmpdir(), 'canopy-fuzz-'));
const dir = join(root, 'model');
mkdirSync(dir);
writeFileSync(join(root, 'secret.bin'), new Uint8Array(64).fill(9));
for (const n of [0, 4, 8, 16, 64]) writeFileSync(join(dir, `s${n}.bin`), new Uint8Array(n).fill(n));
symlinkSync('../secret.bin', join(dir, 'out.bin'));
symlinkSync('s8.bin', join(dir, 'in.bin'));
symlinkSync('/dev/zero', join(dir, 'zero.bin'));
mkdirSync(join(dir, 'sub.bin'));
execFileSync('mkfifo', [join(dir, 'fifo.bin')]);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pathArb = fc.constantFrom('s0.bin', 's4.bin', 's8.bin', 's16.bin', 's64.bin', 'out.bin', 'in.bin', 'zero.bin', 'sub.bin', 'fifo.bin', 'none.bin', '../secret.bin', '/dev/zero', '/etc/passwd', './s8.bin', 'sub.bin/../s4.bin', '', '.');
const weightArb = fc.record(
  {
    name: fc.oneof(fc.constantFrom('w', '__proto__', 'constructor'), fc.string({ maxLength: 4 })),
    shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 3 }), fc.constantFrom([1e9, 1e9], [2 ** 31], 'x' as unknown as number[])),
    dtype: fc.constantFrom('float32', 'int32', 'uint8', 'bool', 'float16', 'complex64', 7 as unknown as string),
    quantization: fc.record({ dtype: fc.constantFrom('uint8', 'uint16', 'float16', 'int4'), scale: fc.double(), min: fc.double() }, { requiredKeys: [] }),
  },
  { requiredKeys: ['name', 'shape', 'dtype'] },
);
const manifestArb = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.record({ paths: fc.array(pathArb, { maxLength: 3 }), weights: fc.array(weightArb, { maxLength: 3 }) }), { maxLength: 3 }).map((g) => JSON.stringify(g)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('[', '{}', 'null', '[[[[[[', `${'['.repeat(5000)}${']'.repeat(5000)}`) },
);

const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

describe('fuzz: weight loaders give a value or an error value, with bounded memory', () => {
  it('tfjs manifests and shards on disk', async () => {
    const before = rssMb();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(manifestArb, async (text) => {
        const p = join(dir, `m${i++}.json`);
        writeFileSync(p, text);
        const r = await readTfjsWeightsFile(p);
        if (E.isLeft(r)) {
          expect(r.left).toBeInstanceOf(CanopyError);
          expect(r.left.code).toBe('io');
        } else {
          for (const t of r.right.tensors.values()) expect(t.size).toBeLessThanOrEqual(64);
        }
      }),
      { numRuns: 200 },
    );
    expect(rssMb() - before).toBeLessThan(300);
  });

  it('safetensors files: mutated bytes and special paths', async () => {
    const good = encodeSafetensors({ w: fromArray([[1, 2], [3, 4]]), b: fromArray([5]) }, { metadata: { a: 'b' } });
    const before = rssMb();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }).map((edits) => {
            const bytes = good.slice();
            for (const [at, v] of edits) bytes[at] = v;
            return bytes;
          }),
          fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
          fc.uint8Array({ maxLength: 40 }),
        ),
        fc.constantFrom('file', 'file', 'file', 'zero', 'fifo', 'sub', 'out'),
        async (bytes, where) => {
          const p = where === 'file' ? join(dir, `f${i++}.safetensors`) : join(dir, `${where}.bin`);
          if (where === 'file') writeFileSync(p, bytes);
          const r = await readSafetensorsFile(p);
          if (E.isLeft(r)) expect(r.left.code).toBe('io');
          else for (const t of r.right.tensors.values()) expect(t.size).toBeLessThanOrEqual(16);
        },
      ),
      { numRuns: 200 },
    );
    expect(rssMb() - before).toBeLessThan(300);
  });
});
