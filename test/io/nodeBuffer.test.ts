// Regression: a Node Buffer (what readFileSync returns) is a view into a shared pool, and its
// `slice` does not copy; tensors decoded from it had the pool's length, not the tensor's.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, fromArray, loadSafetensors, toNested } from 'canopy-nn';

describe('safetensors from a Node Buffer', () => {
  it('decodes tensors of the right length and values', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'canopy-')), 'small.safetensors');
    writeFileSync(path, encodeSafetensors({ a: fromArray([1, 2, 3]), b: fromArray([[4], [5]]) }, { dtypes: { b: 'F16' } }));
    const buffer = readFileSync(path); // a pooled Buffer for small files
    const { tensors } = loadSafetensors(buffer);
    expect(toNested(tensors.get('a')!)).toEqual([1, 2, 3]);
    expect(toNested(tensors.get('b')!)).toEqual([[4], [5]]);
  });
});
