// tfjs weights on disk: the manifest file and its shards next to it. A shard's real path (symlinks
// resolved) must stay inside the manifest's real folder, it must be a regular file, and the shard
// sizes are checked against the manifest before exactly that many bytes are read: a hostile
// manifest or folder cannot make canopy read `../../etc/passwd` (directly or through a symlink,
// which survives `git clone` and `tar`), `/dev/zero` without end, a FIFO forever, or a 10 GB file.

import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { decodeTfjsWeights, parseTfjsManifest, type TfjsWeights } from '../io/tfjsManifest.ts';
import { openRegularFile, readExactly, readRegularFile, reason, type RegularFile } from './regularFile.ts';

// --- utils

const fail = (what: string): E.Either<CanopyError, never> => E.left(new CanopyError('io', `tfjs manifest: ${what}`));

/** Largest manifest file read (manifests are small JSON; this bounds a hostile one's memory). */
const MAX_MANIFEST_BYTES = 64 << 20;

const outside = (dir: string, shard: string, how = ''): E.Either<CanopyError, never> =>
  fail(`shard paths must name files inside the manifest's folder ${JSON.stringify(dir)}, got ${JSON.stringify(shard)}${how}`);

const isInside = (dir: string, full: string): boolean => {
  const rel = relative(dir, full);
  return !(rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
};

/**
 * The real path of `shard` (symlinks resolved), or a Left when the path or the file it resolves
 * to is outside the manifest's real folder `realDir` (`dir` as the caller named it, for messages).
 */
async function shardPath(dir: string, realDir: string, shard: string, g: number): Promise<E.Either<CanopyError, string>> {
  if (isAbsolute(shard) || !isInside(dir, resolve(dir, shard))) return outside(dir, shard);
  let real: string;
  try {
    real = await realpath(resolve(dir, shard));
  } catch (err) {
    return fail(`shard ${JSON.stringify(shard)} of group ${g} must be readable, got ${reason(err)}`);
  }
  return isInside(realDir, real) ? E.right(real) : outside(dir, shard, ` (a link to ${JSON.stringify(real)})`);
}

// --- destructors

/**
 * Reads a tfjs weights manifest file and its shards (paths relative to the manifest's folder) and
 * decodes every weight. Every failure (missing file, bad JSON, wrong shard size, a path outside
 * the folder) is a `Left` CanopyError with code `io`.
 *
 * @example
 * ```ts skip (needs the face-api package's files)
 * import { readTfjsWeightsFile } from 'canopy-nn/node';
 * const r = await readTfjsWeightsFile('node_modules/@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json');
 * // right({ manifest: [...], tensors: Map { 'conv0/filters' => Tensor [3,3,3,16], ... } })
 * ```
 */
export async function readTfjsWeightsFile(manifestPath: string): Promise<E.Either<CanopyError, TfjsWeights>> {
  const json = await readRegularFile(manifestPath, MAX_MANIFEST_BYTES);
  if (E.isLeft(json)) return fail(`the manifest file must be a readable regular file, got ${json.left}`);
  const manifest = parseTfjsManifest(json.right);
  if (E.isLeft(manifest)) return manifest;
  const dir = dirname(resolve(manifestPath));
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch (err) {
    return fail(`the manifest's folder must be readable, got ${reason(err)}`);
  }
  const shards = new Map<string, Uint8Array>();
  const open: RegularFile[] = [];
  try {
    for (const [g, group] of manifest.right.entries()) {
      // Open every shard first: their sizes must add up to the group's before anything is read.
      let total = 0;
      const files: [string, RegularFile][] = [];
      for (const p of group.paths) {
        const full = await shardPath(dir, realDir, p, g);
        if (E.isLeft(full)) return full;
        const f = await openRegularFile(full.right, true);
        if (E.isLeft(f)) return fail(`shard ${JSON.stringify(p)} of group ${g} must be a readable regular file, got ${f.left}`);
        open.push(f.right);
        total += f.right.size;
        files.push([p, f.right]);
      }
      if (total !== group.byteLength) {
        return fail(`group ${g} shards [${group.paths.map((p) => JSON.stringify(p)).join(', ')}] must hold ${group.byteLength} bytes for ${group.weights.length} weights, got ${total} (${total < group.byteLength ? 'truncated' : 'trailing bytes'})`);
      }
      for (const [p, f] of files) {
        const bytes = await readExactly(f.fh, f.size, 0).catch((err: unknown) => reason(err));
        if (!(bytes instanceof Uint8Array)) {
          return fail(`shard ${JSON.stringify(p)} of group ${g} must be readable, got ${bytes ?? 'a file that shrank while being read'}`);
        }
        shards.set(p, bytes);
      }
    }
  } finally {
    await Promise.all(open.map((f) => f.fh.close().catch(() => undefined)));
  }
  const tensors = decodeTfjsWeights(manifest.right, shards);
  if (E.isLeft(tensors)) return tensors;
  return E.right({ manifest: manifest.right, tensors: tensors.right });
}

/**
 * Like {@link readTfjsWeightsFile} but throws the CanopyError; returns the weights by name.
 *
 * @example
 * ```ts skip (needs the face-api package's files)
 * import { loadTfjsWeightsFile } from 'canopy-nn/node';
 * const w = await loadTfjsWeightsFile('node_modules/@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json');
 * w.get('conv0/filters')?.shape; // [3, 3, 3, 16]
 * ```
 */
export async function loadTfjsWeightsFile(manifestPath: string): Promise<ReadonlyMap<string, Tensor>> {
  const r = await readTfjsWeightsFile(manifestPath);
  if (E.isLeft(r)) throw r.left;
  return r.right.tensors;
}
