// Loading face-api's shipped weights (tfjs manifests) into the canopy trees through the key maps.
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Layer } from '../../core/Layer.ts';
import type { CanopyError } from '../../errors.ts';
import { applyKeyMap, type KeyMap } from '../../io/keyMap.ts';
import { loadStateDict, type StateDict } from '../../io/stateDict.ts';
import { readTfjsWeightsFile } from '../../io/tfjsFile.ts';
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
 * Where `npm install @vladmandic/face-api` puts the weights (relative to the working directory).
 *
 * @example
 * ```ts
 * import { faceApiModelDir } from 'canopy';
 * faceApiModelDir; // 'node_modules/@vladmandic/face-api/model'
 * ```
 */
export const faceApiModelDir = 'node_modules/@vladmandic/face-api/model';

// --- destructors

/**
 * A canopy state dict from one face-api manifest and its key map (a `Left` on any file or
 * mapping problem).
 *
 * @example
 * ```ts
 * import { readFaceApiStateDict, tinyFaceDetectorKeyMap } from 'canopy';
 * const d = await readFaceApiStateDict('node_modules/@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json', tinyFaceDetectorKeyMap);
 * // right(Map { 'Conv2d_1.weight' => Tensor [16,3,3,3], ... })
 * ```
 */
export async function readFaceApiStateDict(manifestPath: string, keyMap: KeyMap): Promise<E.Either<CanopyError, StateDict>> {
  const w = await readTfjsWeightsFile(manifestPath);
  return E.isLeft(w) ? w : applyKeyMap(w.right.tensors, keyMap);
}

/**
 * The tiny face detector and the tiny 68-point landmark net with face-api's weights read from
 * `dir` (default {@link faceApiModelDir}). Throws the CanopyError of a missing or broken file.
 *
 * @example
 * ```ts
 * import { loadFaceApiModels } from 'canopy';
 * const { detector, landmarks } = await loadFaceApiModels();
 * ```
 */
export async function loadFaceApiModels(dir: string = faceApiModelDir): Promise<FaceApiModels> {
  const load = async <L extends Layer<[Tensor], Tensor>>(model: L, file: string, keyMap: KeyMap): Promise<L> => {
    const d = await readFaceApiStateDict(join(dir, file), keyMap);
    if (E.isLeft(d)) throw d.left;
    return loadStateDict(model, d.right);
  };
  return {
    detector: await load(TinyFaceDetector(), 'tiny_face_detector_model-weights_manifest.json', tinyFaceDetectorKeyMap),
    landmarks: await load(FaceLandmark68Tiny(), 'face_landmark_68_tiny_model-weights_manifest.json', faceLandmark68TinyKeyMap),
  };
}
