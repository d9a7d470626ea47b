// Loading face-api's weights in a page: the manifests and shards fetched from a URL, decoded by
// canopy's tfjs reader, mapped onto canopy's trees by the key maps.
import * as E from 'fp-ts/lib/Either.js';
import {
  applyKeyMap, decodeTfjsWeights, faceLandmark68TinyKeyMap, FaceLandmark68Tiny, loadStateDict, parseTfjsManifest, tinyFaceDetectorKeyMap,
  TinyFaceDetector, type FaceApiModels, type KeyMap, type Layer, type Tensor,
} from '../../src/index.ts';

// One face-api manifest and its shards, fetched and decoded by canopy's tfjs reader.
async function fetchModel<L extends Layer<[Tensor], Tensor>>(model: L, base: string, manifestFile: string, keyMap: KeyMap): Promise<L> {
  const manifest = parseTfjsManifest(await (await fetch(new URL(manifestFile, base))).text());
  if (E.isLeft(manifest)) throw manifest.left;
  const shards = new Map<string, Uint8Array>();
  for (const group of manifest.right) {
    for (const p of group.paths) shards.set(p, new Uint8Array(await (await fetch(new URL(p, base))).arrayBuffer()));
  }
  const tensors = decodeTfjsWeights(manifest.right, shards);
  if (E.isLeft(tensors)) throw tensors.left;
  const dict = applyKeyMap(tensors.right, keyMap);
  if (E.isLeft(dict)) throw dict.left;
  return loadStateDict(model, dict.right);
}

/** face-api's two nets with the weights fetched from `base` (a URL ending in `/`). */
export async function fetchFaceApiModels(base: string): Promise<FaceApiModels> {
  return {
    detector: await fetchModel(TinyFaceDetector(), base, 'tiny_face_detector_model-weights_manifest.json', tinyFaceDetectorKeyMap),
    landmarks: await fetchModel(FaceLandmark68Tiny(), base, 'face_landmark_68_tiny_model-weights_manifest.json', faceLandmark68TinyKeyMap),
  };
}

