// Loading face-api's shipped weights (tfjs manifests) into the canopy trees through the key maps.
// Only web APIs here: a page fetches the model folder; `canopy-nn/node` reads it from disk.
import * as E from 'fp-ts/lib/Either.js';
import type { Layer } from '../../core/Layer.ts';
import { resolveUrl, type FetchOptions } from '../../io/fetch.ts';
import { applyKeyMap, type KeyMap } from '../../io/keyMap.ts';
import { loadStateDict } from '../../io/stateDict.ts';
import { fetchTfjsWeightsAll } from '../../io/tfjsFetch.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { FaceLandmark68Tiny, faceLandmark68TinyKeyMap } from './FaceLandmark68Tiny.ts';
import { TinyFaceDetector, tinyFaceDetectorKeyMap } from './TinyFaceDetector.ts';

// --- model

/** The two nets of the face pipeline, with face-api's weights. */
export interface FaceApiModels {
  readonly detector: Layer<[Tensor], Tensor>;
  readonly landmarks: Layer<[Tensor], Tensor>;
}

/**
 * The manifest file names of the two nets in face-api's `model` folder.
 *
 * @example
 * ```ts
 * import { faceApiManifests } from 'canopy-nn';
 * faceApiManifests.detector; // 'tiny_face_detector_model-weights_manifest.json'
 * ```
 */
export const faceApiManifests = {
  detector: 'tiny_face_detector_model-weights_manifest.json',
  landmarks: 'face_landmark_68_tiny_model-weights_manifest.json',
} as const;

// --- constructors

/**
 * The two nets with face-api's weights given by tfjs weight name (as decoded from their
 * manifests). Throws the CanopyError of a missing, extra or misshapen weight.
 *
 * @example
 * ```ts skip (needs the face-api weights)
 * import { faceApiModelsFromWeights, fetchTfjsWeights } from 'canopy-nn';
 * const detector = await fetchTfjsWeights('/model/tiny_face_detector_model-weights_manifest.json');
 * const landmarks = await fetchTfjsWeights('/model/face_landmark_68_tiny_model-weights_manifest.json');
 * const models = faceApiModelsFromWeights(detector.tensors, landmarks.tensors);
 * ```
 */
export function faceApiModelsFromWeights(
  detector: ReadonlyMap<string, Tensor>,
  landmarks: ReadonlyMap<string, Tensor>,
): FaceApiModels {
  const load = <L extends Layer<[Tensor], Tensor>>(model: L, weights: ReadonlyMap<string, Tensor>, keyMap: KeyMap): L => {
    const d = applyKeyMap(weights, keyMap);
    if (E.isLeft(d)) throw d.left;
    return loadStateDict(model, d.right);
  };
  return {
    detector: load(TinyFaceDetector(), detector, tinyFaceDetectorKeyMap),
    landmarks: load(FaceLandmark68Tiny(), landmarks, faceLandmark68TinyKeyMap),
  };
}

/**
 * The two nets with face-api's weights fetched from the model folder at `baseUrl` (relative to
 * the page), with one progress count over both nets' shards (about 0.4 MB).
 *
 * @example
 * ```ts skip (needs a server holding face-api's model folder)
 * import { fetchFaceApiModels } from 'canopy-nn';
 * const models = await fetchFaceApiModels('/model/', {
 *   onProgress: ({ loaded, total }) => console.log(`weights ${loaded} / ${total} bytes`),
 * });
 * ```
 */
export async function fetchFaceApiModels(baseUrl: string | URL, options: FetchOptions = {}): Promise<FaceApiModels> {
  const s = String(baseUrl);
  const dir = resolveUrl(s.endsWith('/') ? s : `${s}/`, options.baseUrl);
  const [d, l] = await fetchTfjsWeightsAll([faceApiManifests.detector, faceApiManifests.landmarks], { ...options, baseUrl: dir });
  return faceApiModelsFromWeights(d!.tensors, l!.tensors);
}
