// tfjs weights on disk: the manifest file and its shards next to it. Each shard's size is checked
// against the manifest (with `stat`) before it is read, and a shard path must stay inside the
// manifest's folder: a hostile manifest cannot make canopy read `../../etc/passwd` or a 10 GB file.

import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { decodeTfjsWeights, parseTfjsManifest, type TfjsWeights } from '../io/tfjsManifest.ts';

// --- utils

const fail = (what: string): E.Either<CanopyError, never> => E.left(new CanopyError('io', `tfjs manifest: ${what}`));

/** The absolute path of `shard` next to the manifest, or a Left when it would leave that folder. */
function shardPath(dir: string, shard: string): E.Either<CanopyError, string> {
  const full = resolve(dir, shard);
  const rel = relative(dir, full);
  if (isAbsolute(shard) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    return fail(`shard paths must name files inside the manifest's folder ${JSON.stringify(dir)}, got ${JSON.stringify(shard)}`);
  }
  return E.right(full);
}

// --- destructors

/**
 * Reads a tfjs weights manifest file and its shards (paths relative to the manifest's folder) and
 * decodes every weight. Every failure (missing file, bad JSON, wrong shard size, a path outside
 * the folder) is a `Left` CanopyError with code `io`.
 *
 * @example
 * ```ts skip (needs the face-api package's files)
 * import { readTfjsWeightsFile } from 'canopy/node';
 * const r = await readTfjsWeightsFile('node_modules/@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json');
 * // right({ manifest: [...], tensors: Map { 'conv0/filters' => Tensor [3,3,3,16], ... } })
 * ```
 */
export async function readTfjsWeightsFile(manifestPath: string): Promise<E.Either<CanopyError, TfjsWeights>> {
  let json: Uint8Array;
  try {
    json = await readFile(manifestPath);
  } catch (err) {
    return fail(`the manifest file must be readable, got ${(err as Error).message}`);
  }
  const manifest = parseTfjsManifest(json);
  if (E.isLeft(manifest)) return manifest;
  const dir = dirname(resolve(manifestPath));
  const shards = new Map<string, Uint8Array>();
  for (const [g, group] of manifest.right.entries()) {
    // Stat every shard first: their sizes must add up to the group's before anything is read.
    let total = 0;
    const files: [string, string][] = [];
    for (const p of group.paths) {
      const full = shardPath(dir, p);
      if (E.isLeft(full)) return full;
      try {
        total += (await stat(full.right)).size;
      } catch (err) {
        return fail(`shard ${JSON.stringify(p)} of group ${g} must be readable, got ${(err as Error).message}`);
      }
      files.push([p, full.right]);
    }
    if (total !== group.byteLength) {
      return fail(`group ${g} shards [${group.paths.map((p) => JSON.stringify(p)).join(', ')}] must hold ${group.byteLength} bytes for ${group.weights.length} weights, got ${total} (${total < group.byteLength ? 'truncated' : 'trailing bytes'})`);
    }
    for (const [p, full] of files) {
      try {
        shards.set(p, await readFile(full));
      } catch (err) {
        return fail(`shard ${JSON.stringify(p)} of group ${g} must be readable, got ${(err as Error).message}`);
      }
    }
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
 * import { loadTfjsWeightsFile } from 'canopy/node';
 * const w = await loadTfjsWeightsFile('node_modules/@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json');
 * w.get('conv0/filters')?.shape; // [3, 3, 3, 16]
 * ```
 */
export async function loadTfjsWeightsFile(manifestPath: string): Promise<ReadonlyMap<string, Tensor>> {
  const r = await readTfjsWeightsFile(manifestPath);
  if (E.isLeft(r)) throw r.left;
  return r.right.tensors;
}
