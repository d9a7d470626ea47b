// The fixtures are reproducible: generate.py --check regenerates them into a temp dir and compares
// bytes. Needs Debian's python3-torch at /usr/bin/python3; skipped where it is missing (CI).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../fixtures/generate.py', import.meta.url));
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasTorch)('PyTorch fixtures', () => {
  it('regenerate byte for byte', () => {
    const r = spawnSync(python, [script, '--check'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^fixtures reproduce byte for byte \(\d+ files\)$/);
    expect(r.status).toBe(0);
  });
});
