// The published package runs in plain Node ESM: every bare import in src/ and laws/ must resolve
// with Node's own resolver (vitest and tsx are more lenient: `fp-ts/Either`, a directory import,
// works under them and fails in Node).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('package', () => {
  it('every bare import of src/ and laws/ resolves in plain Node ESM', () => {
    const specifiers = new Set<string>();
    for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'laws'))]) {
      // import/export ... from '...' at the start of a line (not in comments or examples)
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"\n]*?from '([^.'][^']*)'/gm)) specifiers.add(m[1]!);
    }
    expect(specifiers.size).toBeGreaterThan(0);
    const script = `for (const s of ${JSON.stringify([...specifiers])}) await import(s);`;
    expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
