// tfjs weights on disk: the real face-api files, and hostile manifests (a shard outside the folder,
// a missing or wrongly sized shard), each a Left CanopyError('io').
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTfjsWeightsFile, readTfjsWeightsFile } from '../../src/node/tfjsFile.ts';
import { leftOf, rightOf } from '../io/helpers.ts';
import { runChild } from '../reliability/child.ts';

const modelDir = 'node_modules/@vladmandic/face-api/model';

describe('tfjs weights files', () => {
  it('reads face-api\'s tiny face detector: 193,321 uint8 values dequantised', async () => {
    const r = rightOf(await readTfjsWeightsFile(join(modelDir, 'tiny_face_detector_model-weights_manifest.json')));
    expect(r.tensors.get('conv0/filters')!.shape).toEqual([3, 3, 3, 16]);
    expect(r.tensors.get('conv8/bias')!.shape).toEqual([25]);
    expect([...r.tensors.values()].reduce((s, t) => s + t.size, 0)).toBe(193_321);
    // conv0/filters: min -1.2069439495311063 is q = 0.
    const f = r.tensors.get('conv0/filters')!.data;
    expect(Math.min(...f)).toBeCloseTo(-1.2069439495311063, 6);
  });

  it('reads the 68-point tiny landmark net (77,224 values)', async () => {
    const w = await loadTfjsWeightsFile(join(modelDir, 'face_landmark_68_tiny_model-weights_manifest.json'));
    expect([...w.values()].reduce((s, t) => s + t.size, 0)).toBe(77_224);
    expect(w.get('fc/weights')!.shape).toEqual([128, 136]);
  });

  it('rejects shard paths outside the folder, missing and wrongly sized shards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-tfjs-'));
    const write = (name: string, paths: string[]): string => {
      const p = join(dir, name);
      writeFileSync(p, JSON.stringify([{ paths, weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }]));
      return p;
    };
    writeFileSync(join(dir, 'short.bin'), new Uint8Array(7));
    writeFileSync(join(dir, 'ok.bin'), new Uint8Array(8));
    const msg = async (p: string): Promise<string> => {
      const err = leftOf(await readTfjsWeightsFile(p));
      expect(err.code).toBe('io');
      return err.message;
    };
    expect(await msg(write('up.json', ['../x.bin']))).toBe(`tfjs manifest: shard paths must name files inside the manifest's folder ${JSON.stringify(dir)}, got "../x.bin"`);
    expect(await msg(write('abs.json', ['/etc/passwd']))).toMatch(/^tfjs manifest: shard paths must name files inside the manifest's folder .*, got "\/etc\/passwd"$/);
    expect(await msg(write('missing.json', ['nope.bin']))).toMatch(/^tfjs manifest: shard "nope.bin" of group 0 must be readable, got ENOENT/);
    expect(await msg(write('short.json', ['short.bin']))).toBe('tfjs manifest: group 0 shards ["short.bin"] must hold 8 bytes for 1 weights, got 7 (truncated)');
    expect(await msg(write('long.json', ['ok.bin', 'short.bin']))).toBe('tfjs manifest: group 0 shards ["ok.bin", "short.bin"] must hold 8 bytes for 1 weights, got 15 (trailing bytes)');
    expect(await msg(join(dir, 'none.json'))).toMatch(/^tfjs manifest: the manifest file must be a readable regular file, got ENOENT/);
    writeFileSync(join(dir, 'bad.json'), '[{');
    expect(await msg(join(dir, 'bad.json'))).toMatch(/^tfjs manifest: must be valid JSON/);
    expect(rightOf(await readTfjsWeightsFile(write('good.json', ['ok.bin']))).tensors.get('w')!.shape).toEqual([2]);
  });
});

// Issue 11, item 3: links out of the folder, devices and FIFOs are refused; a FIFO or /dev/zero
// cannot block or grow the read (checked in a child process with a time limit).
describe('tfjs weights files: links, devices and FIFOs', () => {
  const manifest = (dir: string, name: string, paths: string[], bytes = 8): string => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify([{ paths, weights: [{ name: 'w', shape: [bytes / 4], dtype: 'float32' }] }]));
    return p;
  };

  it('refuses a shard symlinked outside the folder, follows one inside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'canopy-tfjs-link-'));
    const dir = join(root, 'model');
    mkdirSync(dir);
    writeFileSync(join(root, 'secret.bin'), new Uint8Array(8).fill(7));
    writeFileSync(join(dir, 'real.bin'), new Uint8Array(8));
    symlinkSync('../secret.bin', join(dir, 'shard.bin'));
    symlinkSync('real.bin', join(dir, 'alias.bin'));
    const err = leftOf(await readTfjsWeightsFile(manifest(dir, 'm.json', ['shard.bin'])));
    expect(err.message).toBe(`tfjs manifest: shard paths must name files inside the manifest's folder ${JSON.stringify(dir)}, got "shard.bin" (a link to ${JSON.stringify(realpathSync(join(root, 'secret.bin')))})`);
    expect(rightOf(await readTfjsWeightsFile(manifest(dir, 'ok.json', ['alias.bin']))).tensors.get('w')!.shape).toEqual([2]);
    // A folder symlinked inside the model folder that points out of it is refused too.
    symlinkSync('..', join(dir, 'up'));
    expect(leftOf(await readTfjsWeightsFile(manifest(dir, 'up.json', ['up/secret.bin']))).message).toMatch(/must name files inside the manifest's folder .*, got "up\/secret.bin" \(a link to/);
  });

  it('refuses a shard linked to /dev/zero, a FIFO, or a directory, and a manifest that is a FIFO, without blocking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-tfjs-dev-'));
    const r = runChild(
      `import { execFileSync } from 'node:child_process';
import { symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTfjsWeightsFile } from './src/node/tfjsFile.ts';
const dir = ${JSON.stringify(dir)};
const m = (name, paths) => { const p = join(dir, name); writeFileSync(p, JSON.stringify([{ paths, weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }])); return p; };
execFileSync('mkfifo', [join(dir, 'fifo.bin')]);
execFileSync('mkfifo', [join(dir, 'fifo.json')]);
mkdirSync(join(dir, 'sub.bin'));
const out = [];
for (const p of [m('zero.json', ['/dev/zero']), m('fifo.json2', ['fifo.bin']), m('dir.json', ['sub.bin']), join(dir, 'fifo.json')]) {
  const r = await readTfjsWeightsFile(p);
  out.push(r._tag === 'Left' ? r.left.message : 'right');
}
symlinkSync('/dev/zero', join(dir, 'z.bin'));
const z = await readTfjsWeightsFile(m('z.json', ['z.bin']));
out.push(z._tag === 'Left' ? z.left.message : 'right');
console.log(JSON.stringify(out));`,
      20_000,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [zero, fifo, sub, fifoManifest, zeroLink] = JSON.parse(r.stdout.trim()) as string[];
    expect(zero).toBe(`tfjs manifest: shard paths must name files inside the manifest's folder ${JSON.stringify(dir)}, got "/dev/zero"`);
    expect(fifo).toBe('tfjs manifest: shard "fifo.bin" of group 0 must be a readable regular file, got not a regular file (a FIFO)');
    expect(sub).toBe('tfjs manifest: shard "sub.bin" of group 0 must be a readable regular file, got not a regular file (a directory)');
    expect(fifoManifest).toBe('tfjs manifest: the manifest file must be a readable regular file, got not a regular file (a FIFO)');
    expect(zeroLink).toMatch(/got "z.bin" \(a link to "\/dev\/zero"\)$/);
  });
});
