// Interop: a file canopy writes loads in Python (the fixture script's reader + torch). Runs only
// where /usr/bin/python3 can import torch (Debian's python3-torch); CI has no torch and skips it.
// The other direction (files generate.py wrote load in canopy) is tested in safetensors.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SafetensorsDType } from '../../src/io/safetensorsDtypes.ts';
import { writeSafetensorsFile } from '../../src/node/safetensorsFile.ts';
import { fromArray } from '../../src/tensor/create.ts';
import { makeTensor, type Tensor } from '../../src/tensor/Tensor.ts';

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../fixtures/generate.py', import.meta.url));
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'canopy-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonNumber = (v: number): number | string =>
  Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;

describe.skipIf(!hasTorch)('safetensors interop with PyTorch', () => {
  it('a file canopy writes, in every dtype, loads in Python with the same values', async () => {
    const floats = fromArray([[1.5, -2.25, 0], [65504, Infinity, NaN]]);
    const cases: [string, Tensor, SafetensorsDType][] = [
      ['f32', floats, 'F32'],
      ['f64', floats, 'F64'],
      ['f16', floats, 'F16'],
      ['bf16', fromArray([1.5, -2.25, 0, 3e38, Infinity, NaN]), 'BF16'],
      ['i64', fromArray([0, -1, 2147483647, -2147483648], 'int32'), 'I64'],
      ['i32', fromArray([[7, -7]], 'int32'), 'I32'],
      ['u8', fromArray([0, 128, 255], 'int32'), 'U8'],
      ['bool', fromArray([1, 0, 1], 'int32'), 'BOOL'],
      ['scalar', fromArray(3.25), 'F32'],
      ['empty', makeTensor(new Float32Array(0), [0, 3]), 'F32'],
      ['__proto__', fromArray([1]), 'F32'],
    ];
    const bf16Exact = [1.5, -2.25, 0, 3.00405527047391e38, Infinity, NaN]; // float(torch.tensor(3e38).bfloat16())
    const expected = Object.fromEntries(
      cases.map(([name, t, dtype]) => [
        name,
        { dtype, shape: t.shape, values: (name === 'bf16' ? bf16Exact : [...t.data]).map(jsonNumber) },
      ]),
    );
    const extra = { format: 'pt', 'ünï': 'cödé ✓', constructor: 'c' };
    const path = join(dir, 'canopy.safetensors');
    await writeSafetensorsFile(path, new Map(cases.map(([n, t]) => [n, t])), {
      dtypes: new Map(cases.map(([n, , d]) => [n, d])),
      metadata: { ...extra, expected: JSON.stringify(expected), expected_metadata: JSON.stringify(extra) },
    });
    const r = spawnSync(python, [script, '--verify', path], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe(`OK ${cases.length} tensors, 5 metadata keys`);
    expect(r.status).toBe(0);
  });
});
