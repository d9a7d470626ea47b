// canopy's face-api nets against upstream face-api on tfjs-cpu (golden files made by
// test/fixtures/faceapi/generate.ts): raw outputs within 1e-4 × max|ref| on the reference backend
// (small synthetic inputs) and on the default backend (the full-size photo), and the whole
// pipeline on demo/sample1.jpg: 3 faces, scores, boxes, 68 landmarks within 1e-3 px.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { getDefaultBackend } from '../../../src/backend/select.ts';
import { referenceBackend } from '../../../src/backend/reference/index.ts';
import { run } from '../../../src/context/run.ts';
import { detectFaces, detectorOutput } from '../../../src/models/faceapi/detectFaces.ts';
import { imagesToTensor, rgbFromRgba, toNetInput } from '../../../src/models/faceapi/image.ts';
import { landmarksFromOutput } from '../../../src/models/faceapi/landmarks.ts';
import { syntheticCases, syntheticImage } from '../../fixtures/faceapi/synthetic.ts';
import { expectClose, faceApiModels, golden, goldenFaces, nchw } from './helpers.ts';

const tol = 1e-4;

describe('TinyFaceDetector vs upstream face-api', () => {
  const d = syntheticCases.detector;
  const img = syntheticImage(d.width, d.height, d.seed);

  it('raw output on a synthetic 96×60 image at input size 128, reference backend', async () => {
    const { detector } = await faceApiModels();
    const out = await detectorOutput(detector, img, d.inputSize, referenceBackend);
    expect(out.shape).toEqual([1, 25, 4, 4]);
    expectClose(out, nchw(golden.get('detector_synthetic')!), tol);
  });

  it('raw output on the same image, default backend', async () => {
    const { detector } = await faceApiModels();
    expectClose(await detectorOutput(detector, img, d.inputSize, getDefaultBackend()), nchw(golden.get('detector_synthetic')!), tol);
  });
});

describe('FaceLandmark68Tiny vs upstream face-api', () => {
  const l = syntheticCases.landmarks;
  const crop = syntheticImage(l.width, l.height, l.seed);

  it('raw and post-processed output on a synthetic 45×70 crop, reference backend', async () => {
    const { landmarks } = await faceApiModels();
    const x = imagesToTensor([toNetInput(crop, 112, true)]);
    const out = (await run(landmarks, [x], { backend: referenceBackend })).output;
    expect(out.shape).toEqual([1, 136]);
    expectClose(out, golden.get('landmarks_raw_synthetic')!, tol);
    const rel = landmarksFromOutput(out.data, crop, [0, 0]).flatMap(([px, py]) => [px / l.width, py / l.height]);
    expectClose(rel, golden.get('landmarks_synthetic')!, tol);
  });
});

describe('demo/sample1.jpg end to end, default backend', () => {
  const file = jpeg.decode(readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg'), { useTArray: true });
  const image = rgbFromRgba(file.width, file.height, file.data);

  it('raw detector output at 416 within 1e-4 × max|ref|', async () => {
    const { detector } = await faceApiModels();
    expectClose(await detectorOutput(detector, image, 416, getDefaultBackend()), nchw(golden.get('detector_sample1')!), tol);
  });

  it('finds upstream\'s 3 faces (scores about 0.78, 0.78, 0.72) with its boxes and landmarks', async () => {
    const faces = await detectFaces(await faceApiModels(), image);
    expect(faces.map((f) => Number(f.score.toFixed(2)))).toEqual([0.78, 0.78, 0.72]);
    expect(faces.length).toBe(goldenFaces.length);
    faces.forEach((f, i) => {
      const ref = goldenFaces[i]!;
      expect(Math.abs(f.score - ref.score)).toBeLessThan(1e-5);
      [f.box.x, f.box.y, f.box.width, f.box.height].forEach((v, k) => expect(Math.abs(v - ref.box[k]!)).toBeLessThan(1e-3));
      expect(f.landmarks.length).toBe(68);
      f.landmarks.forEach(([x, y], k) => {
        expect(Math.abs(x - ref.landmarks[k]![0])).toBeLessThan(1e-3);
        expect(Math.abs(y - ref.landmarks[k]![1])).toBeLessThan(1e-3);
      });
    });
  });
});
