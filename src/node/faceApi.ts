// face-api's shipped weights read from disk (by default from where `npm install
// @vladmandic/face-api` puts them) into the canopy trees.
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { CanopyError } from '../errors.ts';
import { applyKeyMap, type KeyMap } from '../io/keyMap.ts';
import type { StateDict } from '../io/stateDict.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { faceApiManifests, faceApiModelsFromWeights, type FaceApiModels } from '../models/faceapi/weights.ts';
import { loadTfjsWeightsFile, readTfjsWeightsFile } from './tfjsFile.ts';

// --- model

/**
 * Where `npm install @vladmandic/face-api` puts the weights (relative to the working directory).
 *
 * @example
 * ```ts
 * import { faceApiModelDir } from 'canopy-nn/node';
 * faceApiModelDir; // 'node_modules/@vladmandic/face-api/model'
 * ```
 */
export const faceApiModelDir = 'node_modules/@vladmandic/face-api/model';

// --- destructors

/**
 * A canopy state dict from one face-api manifest file and its key map (a `Left` on any file or
 * mapping problem).
 *
 * @example
 * ```ts
 * import { tinyFaceDetectorKeyMap } from 'canopy-nn';
 * import { readFaceApiStateDict } from 'canopy-nn/node';
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
 * the folder `dir` (default {@link faceApiModelDir}). Throws the CanopyError of a missing or
 * broken file.
 *
 * @example
 * ```ts
 * import { loadFaceApiModels } from 'canopy-nn/node';
 * const { detector, landmarks } = await loadFaceApiModels();
 * ```
 */
export async function loadFaceApiModels(dir: string = faceApiModelDir): Promise<FaceApiModels> {
  const read = (file: string): Promise<ReadonlyMap<string, Tensor>> => loadTfjsWeightsFile(join(dir, file));
  return faceApiModelsFromWeights(await read(faceApiManifests.detector), await read(faceApiManifests.landmarks));
}
