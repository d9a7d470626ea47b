// The main entry is browser-safe: bundled by esbuild for the browser, its import graph holds no
// Node built-in (`node:fs`, `node:module`, ...), none of canopy-nn/node's files, and not fast-check
// (only canopy-nn/laws needs it). gpu.js resolves to its browser build through its `browser` field.
import { build } from 'esbuild';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the main entry in a browser bundle', () => {
  it('bundles for platform=browser with no node: import, no Node-only file and no fast-check', async () => {
    const result = await build({
      entryPoints: [join(root, 'src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    }).catch((e: { errors?: { text: string }[] }) => {
      throw new Error(`esbuild for the browser failed:\n${(e.errors ?? []).map((x) => x.text).join('\n')}`);
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)));
    expect(inputs.filter((p) => p.startsWith('node:') || p.startsWith('src/node/') || p.includes('node_modules/fast-check/'))).toEqual([]);
    expect(inputs.some((p) => p.includes('node_modules/gpu.js/dist/gpu-browser'))).toBe(true);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bfrom\s*["']node:|\bimport\(\s*["']node:|require\(\s*["']node:/);
  });
});
