// The whole face pipeline, as face-api's
// `detectAllFaces(tensor, new TinyFaceDetectorOptions()).withFaceLandmarks(true)` on a tensor input:
// square net input → detector → decode → NMS → boxes in image pixels; each box floored and clipped,
// cropped, centred in a square at 112 → landmark net → 68 points in image pixels.
import type { Backend } from '../../backend/Backend.ts';
import { getDefaultBackend } from '../../backend/select.ts';
import { run } from '../../context/run.ts';
import { CanopyError } from '../../errors.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { disposeTensor, readTensor } from '../../tensor/device.ts';
import { decodeDetections, nonMaxSuppression } from './detections.ts';
import { netInputTensor, type Box, type RgbImage } from './image.ts';
import { landmarksFromOutput, type Point } from './landmarks.ts';
import { tinyFaceDetectorAnchors } from './TinyFaceDetector.ts';
import type { FaceApiModels } from './weights.ts';

// --- model

/** Options of {@link detectFaces}: face-api's defaults. */
export interface DetectFacesOptions {
  /** Side of the square detector input, a multiple of 32. Default `416`. */
  readonly inputSize?: number;
  /** Keep detections scoring above it. Default `0.5`. */
  readonly scoreThreshold?: number;
  /** Non-max suppression IoU threshold. Default `0.4` (face-api's `IOU_THRESHOLD`). */
  readonly iouThreshold?: number;
  /** Compute the 68 landmarks of each face. Default `true`. */
  readonly withLandmarks?: boolean;
  /** Kernel backend of both runs. Default: canopy's default backend. */
  readonly backend?: Backend;
  /** Called after each stage with its wall time in milliseconds (for timing reports). */
  readonly onStage?: (stage: FaceStage, ms: number) => void;
}

/**
 * The stages of {@link detectFaces}, in order, as reported to `onStage`: `input` is the detector's
 * preprocessing (pad + resize), `detector` its forward pass.
 */
export type FaceStage = 'input' | 'detector' | 'boxes' | 'landmarks';

/** One face: box and landmarks in the input image's pixels. */
export interface DetectedFace {
  readonly box: Box;
  readonly score: number;
  /** 68 points, face-api's order; empty without landmarks. */
  readonly landmarks: readonly Point[];
}

// --- utils

/** The detection box floored and clipped to the image, as face-api's `clipAtImageBorders`. @internal */
export function cropBox(box: Box, width: number, height: number): Box {
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const w = Math.min(box.x + box.width - x, width - x);
  const h = Math.min(box.y + box.height - y, height - y);
  return { x: Math.floor(x), y: Math.floor(y), width: Math.floor(w), height: Math.floor(h) };
}

// --- destructors

/**
 * The raw detector output `[1, 25, S/32, S/32]` for an image, with face-api's preprocessing
 * (zeros at the bottom/right to a square, bilinear resize to `inputSize`).
 *
 * @example
 * ```ts
 * import { detectorOutput } from 'canopy-nn';
 * import { loadFaceApiModels } from 'canopy-nn/node';
 * const { detector } = await loadFaceApiModels();
 * (await detectorOutput(detector, { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3) }, 64)).shape; // [1, 25, 2, 2]
 * ```
 */
export async function detectorOutput(detector: FaceApiModels['detector'], image: RgbImage, inputSize = 416, backend?: Backend): Promise<Tensor> {
  const b = backend ?? getDefaultBackend();
  return (await run(detector, [netInputTensor([image], inputSize, false)], { backend: b })).output;
}

/**
 * Faces in an image, with face-api's tiny detector and (by default) tiny 68-point landmarks.
 *
 * @example
 * ```ts
 * import { detectFaces } from 'canopy-nn';
 * import { loadFaceApiModels } from 'canopy-nn/node';
 * const models = await loadFaceApiModels();
 * const faces = await detectFaces(models, { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) }, { inputSize: 64 });
 * faces.length; // 0: a black square has no face
 * ```
 */
export async function detectFaces(models: FaceApiModels, image: RgbImage, options: DetectFacesOptions = {}): Promise<DetectedFace[]> {
  const { inputSize = 416, scoreThreshold = 0.5, iouThreshold = 0.4, withLandmarks = true, backend, onStage } = options;
  let t = performance.now();
  const stage = (s: FaceStage): void => {
    const now = performance.now();
    onStage?.(s, now - t);
    t = now;
  };
  if (!Number.isInteger(inputSize) || inputSize <= 0 || inputSize % 32 !== 0) {
    throw new CanopyError('argument', `detectFaces: inputSize must be a positive multiple of 32, got ${inputSize}`);
  }
  if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
    throw new CanopyError('argument', `detectFaces: scoreThreshold must be between 0 and 1, got ${scoreThreshold}`);
  }
  const b = backend ?? getDefaultBackend();
  const input = netInputTensor([image], inputSize, false);
  stage('input');
  const raw = (await run(models.detector, [input], { backend: b })).output;
  // A GPU backend leaves the output on the device: one explicit read, then the post-processing
  // reads `raw.data` on the host.
  await readTensor(raw);
  disposeTensor(raw);
  stage('detector');
  const scale = inputSize / Math.max(image.width, image.height);
  const reshaped = { width: Math.round(image.width * scale), height: Math.round(image.height * scale) };
  const candidates = decodeDetections(raw, { anchors: tinyFaceDetectorAnchors, scoreThreshold, reshaped });
  const kept = nonMaxSuppression(
    candidates.map((d) => ({ x: d.box.x * inputSize, y: d.box.y * inputSize, width: d.box.width * inputSize, height: d.box.height * inputSize })),
    candidates.map((d) => d.score),
    iouThreshold,
  );
  const faces = kept.map((i) => {
    const { box, score } = candidates[i]!;
    return { score, box: { x: box.x * image.width, y: box.y * image.height, width: box.width * image.width, height: box.height * image.height } };
  });
  stage('boxes');
  if (!withLandmarks) return faces.map((f) => ({ ...f, landmarks: [] }));
  // face-api drops faces whose clipped crop is empty.
  const withCrops = faces.map((f) => ({ ...f, crop: cropBox(f.box, image.width, image.height) })).filter((f) => f.crop.width > 0 && f.crop.height > 0);
  if (withCrops.length === 0) return [];
  const x = netInputTensor([image], 112, true, withCrops.map((f) => f.crop));
  const out = (await run(models.landmarks, [x], { backend: b })).output;
  await readTensor(out);
  disposeTensor(out);
  stage('landmarks');
  return withCrops.map((f, n) => ({
    box: f.box,
    score: f.score,
    landmarks: landmarksFromOutput(out.data.subarray(n * 136, (n + 1) * 136), f.crop, [f.box.x, f.box.y]),
  }));
}
