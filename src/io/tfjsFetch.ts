// tfjs weights over the network (or any `fetch`): the manifest, then its shards, resolved next to
// it. A shard URL must stay inside the manifest's folder on the same origin, and no shard may be
// longer than its group's bytes, so a hostile manifest can neither send canopy elsewhere nor make
// it hold more than the manifest declares.

import * as E from 'fp-ts/lib/Either.js';
import { CanopyError } from '../errors.ts';
import { fetchAtMost, resolveUrl, sharedProgress, type FetchOptions } from './fetch.ts';
import { decodeTfjsWeights, parseTfjsManifest, type TfjsManifest, type TfjsWeights } from './tfjsManifest.ts';

// --- destructors

/**
 * Fetches a tfjs weights manifest and its shards (URLs relative to the manifest's) and decodes
 * every weight; `onProgress` counts the shards' bytes against the manifest's total. Throws
 * CanopyError('io') for an unreachable file, a broken manifest, a shard outside the manifest's
 * folder or of the wrong size.
 *
 * @example
 * ```ts skip (needs a server holding face-api's model folder)
 * import { fetchTfjsWeights } from 'canopy-nn';
 * const { tensors } = await fetchTfjsWeights('/model/tiny_face_detector_model-weights_manifest.json', {
 *   onProgress: ({ loaded, total }) => console.log(`${loaded} / ${total}`),
 * });
 * tensors.get('conv0/filters')?.shape; // [3, 3, 3, 16]
 * ```
 */
export async function fetchTfjsWeights(manifestUrl: string | URL, options: FetchOptions = {}): Promise<TfjsWeights> {
  const [weights] = await fetchTfjsWeightsAll([manifestUrl], options);
  return weights!;
}

/**
 * Several manifests fetched as one download: their manifests first, then every shard, with one
 * progress count over all of them.
 * @internal
 */
export async function fetchTfjsWeightsAll(manifestUrls: readonly (string | URL)[], options: FetchOptions = {}): Promise<TfjsWeights[]> {
  const urls = manifestUrls.map((u) => resolveUrl(u, options.baseUrl));
  const manifests: TfjsManifest[] = [];
  for (const url of urls) {
    // A manifest is a few KB; 64 MB bounds a hostile one without getting in a real one's way.
    const m = parseTfjsManifest(await fetchAtMost(url, { ...options, onProgress: undefined }, 64 << 20));
    if (E.isLeft(m)) throw withUrl(m.left, url);
    manifests.push(m.right);
  }
  const total = manifests.flat().reduce((s, g) => s + g.byteLength, 0);
  const progress = sharedProgress(options, total);
  const out: TfjsWeights[] = [];
  for (const [i, manifest] of manifests.entries()) {
    const url = urls[i]!;
    const shards = new Map<string, Uint8Array>();
    for (const group of manifest) {
      let left = group.byteLength;
      for (const p of group.paths) {
        // A shard longer than what its group still needs is already wrong: stop reading it there.
        const bytes = await fetchAtMost(shardUrl(url, p), progress, left);
        left -= bytes.length;
        shards.set(p, bytes);
      }
    }
    const tensors = decodeTfjsWeights(manifest, shards);
    if (E.isLeft(tensors)) throw withUrl(tensors.left, url);
    out.push({ manifest, tensors: tensors.right });
  }
  return out;
}

// --- utils

function shardUrl(manifestUrl: string, shard: string): string {
  const dir = new URL('.', manifestUrl);
  const full = new URL(shard, dir);
  if (full.origin !== dir.origin || !full.pathname.startsWith(dir.pathname) || full.pathname === dir.pathname || /^[a-z][a-z\d+.-]*:/i.test(shard)) {
    throw new CanopyError('io', `tfjs manifest: shard paths must name files inside the manifest's folder ${JSON.stringify(dir.href)}, got ${JSON.stringify(shard)}`);
  }
  return full.href;
}

function withUrl(err: CanopyError, url: string): CanopyError {
  return new CanopyError(err.code, `${err.message} (in ${url})`, { cause: err });
}
