// Shared by the face-api tests: the golden files, the models (loaded once), tolerance checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadSafetensors } from '../../../src/io/safetensors.ts';
import type { FaceApiModels } from '../../../src/models/faceapi/weights.ts';
import { loadFaceApiModels } from '../../../src/node/faceApi.ts';
import type { Tensor } from '../../../src/tensor/Tensor.ts';
import { permuteTensor } from '../../../src/tensor/strided.ts';

export const fixtureDir = join(import.meta.dirname, '../../fixtures/faceapi');

/** Upstream's golden tensors (see test/fixtures/faceapi/generate.ts). */
// Copied out of the Buffer: decodeTensorBytes' `bytes.slice()` is a view, not a copy, on a Node
// Buffer (reported to the lead), so a plain Uint8Array is passed.
export const golden = loadSafetensors(new Uint8Array(readFileSync(join(fixtureDir, 'raw.safetensors')))).tensors;

/** Upstream's faces on demo/sample1.jpg. */
export const goldenFaces = (JSON.parse(readFileSync(join(fixtureDir, 'sample1.json'), 'utf8')) as {
  faces: { score: number; box: [number, number, number, number]; landmarks: [number, number][] }[];
}).faces;

let models: Promise<FaceApiModels> | undefined;
/** face-api's weights in canopy's trees, loaded once per test file. */
export const faceApiModels = (): Promise<FaceApiModels> => (models ??= loadFaceApiModels());

/** Upstream NHWC output as canopy's NCHW. */
export const nchw = (t: Tensor): Tensor => permuteTensor(t, [0, 3, 1, 2]);

/** Largest |a - b| relative to max |ref|; asserts it is below `tol`. */
export function expectClose(actual: Tensor | ArrayLike<number>, ref: Tensor | ArrayLike<number>, tol: number): number {
  const a = 'data' in actual ? actual.data : actual;
  const r = 'data' in ref ? ref.data : ref;
  expect(a.length).toBe(r.length);
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < r.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(r[i]!));
    maxDiff = Math.max(maxDiff, Math.abs(a[i]! - r[i]!));
  }
  const rel = maxDiff / maxRef;
  expect(rel, `max |diff| ${maxDiff} vs max |ref| ${maxRef}`).toBeLessThan(tol);
  return rel;
}
