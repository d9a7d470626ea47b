// Pre- and post-processing against their specifications: the resize against tfjs-cpu's own
// resizeBilinear, padding and crops, box decoding by hand, NMS properties, landmark mapping.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { decodeDetections, iou, nonMaxSuppression } from '../../../src/models/faceapi/detections.ts';
import { cropBox } from '../../../src/models/faceapi/detectFaces.ts';
import { cropImage, imagesToTensor, netInputOps, netInputTensor, padToSquare, resizeBilinear, rgbFromRgba, toNetInput } from '../../../src/models/faceapi/image.ts';
import { landmarksFromOutput } from '../../../src/models/faceapi/landmarks.ts';
import { referenceBackend } from '../../../src/backend/reference/index.ts';
import { createGpujsBackend } from '../../../src/backend/gpujs/index.ts';
import { disposeTensor, isOnDevice, readTensor } from '../../../src/tensor/device.ts';
import { makeTensor, type Tensor } from '../../../src/tensor/Tensor.ts';

// Equal shapes, values within float32 rounding of 0–255 pixels (the op form weights in float32,
// the JS pass in float64).
function expectNear(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  got.data.forEach((v, i) => expect(Math.abs(v - want.data[i]!)).toBeLessThanOrEqual(1e-4));
}
import { syntheticImage } from '../../fixtures/faceapi/synthetic.ts';

describe('image preprocessing', () => {
  it('resizeBilinear equals tfjs-cpu resizeBilinear(alignCorners=false, halfPixelCenters=false)', async () => {
    await tf.setBackend('cpu');
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (h, w, oh, ow) => {
      const img = syntheticImage(w, h, h * 31 + w);
      const ref = tf.image.resizeBilinear(tf.tensor3d(Float32Array.from(img.data), [h, w, 3]), [oh, ow], false, false).dataSync();
      expect(resizeBilinear(img, oh, ow).data).toEqual(ref);
    }), { numRuns: 40 });
  });

  it('toNetInput (padding folded into the resize) equals pad then resize as separate passes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (h, w, size, center) => {
      const img = syntheticImage(w, h, h * 17 + w);
      const sq = padToSquare(img, center);
      const composed = sq.width === size ? sq : resizeBilinear(sq, size, size);
      expect([...toNetInput(img, size, center).data]).toEqual([...composed.data]);
    }), { numRuns: 60 });
  });

  it('netInputTensor as ops (its specification) equals its host pass (pad, resize, lay out) within float32 rounding, crops included', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), async (h, w, size, center) => {
      const imgs = [syntheticImage(w, h, h * 17 + w), syntheticImage(w + 1, h, h + w)];
      const want = imagesToTensor(imgs.map((img) => toNetInput(img, size, center)));
      expectNear(await netInputOps(referenceBackend, imgs, size, center), want);
      expect(netInputTensor(imgs, size, center)).toEqual(want); // the host pass
      const big = syntheticImage(w + 3, h + 2, w * h);
      const boxes = [{ x: 1, y: 2, width: w, height: h }, { x: 0, y: 0, width: w + 3, height: h + 2 }, { x: 2, y: 1, width: 1, height: h + 1 }];
      const crops = imagesToTensor(boxes.map((box) => toNetInput(cropImage(big, box), size, center)));
      expectNear(await netInputOps(referenceBackend, [big], size, center, boxes), crops);
      expect(netInputTensor([big], size, center, boxes)).toEqual(crops);
    }), { numRuns: 40 });
    expect(() => netInputTensor([syntheticImage(3, 3, 1)], 4, true, [{ x: 1, y: 0, width: 3, height: 1 }])).toThrow('netInputTensor: the box must be integers inside the 3×3 image, got x 1, y 0, width 3, height 1');
  });

  it('the detector input is the host pass on a resident backend too (uploaded by its first kernel); netInputTensor\'s ops run on the device', async () => {
    const device = createGpujsBackend({ mode: 'cpu', resident: true });
    const img = syntheticImage(7, 5, 3);
    const boxes0 = [{ x: 1, y: 1, width: 3, height: 4 }, { x: 0, y: 2, width: 7, height: 3 }];
    const pass = netInputTensor([img], 6, false);
    expect(isOnDevice(pass)).toBe(false);
    expect(device.deviceStats().kernelCalls).toBe(0);
    expectNear(pass, imagesToTensor([toNetInput(img, 6, false)]));
    // the ops, the specification of that pass, on the device
    const got = await netInputOps(device, [img], 6, false);
    expect(isOnDevice(got)).toBe(true);
    const crops = await netInputOps(device, [img], 4, true, boxes0);
    expect(device.deviceStats().readbacks).toBe(0); // upload, slice, gathers, weights, concat, permute: all on the device
    expectNear(makeTensor(await readTensor(got), got.shape), imagesToTensor([toNetInput(img, 6, false)]));
    const boxes = [{ x: 1, y: 1, width: 3, height: 4 }, { x: 0, y: 2, width: 7, height: 3 }];
    expectNear(makeTensor(await readTensor(crops), crops.shape), imagesToTensor(boxes.map((box) => toNetInput(cropImage(img, box), 4, true))));
    disposeTensor(got);
    disposeTensor(crops);
    device.destroy();
  });

  it('padToSquare pads after, or centred with round(diff / 2) after', () => {
    const img = { width: 1, height: 4, data: new Uint8Array(12).fill(7) };
    const row = (p: { data: ArrayLike<number> }) => Array.from({ length: 4 }, (_, x) => p.data[x * 3]);
    expect(row(padToSquare(img, false))).toEqual([7, 0, 0, 0]);
    expect(row(padToSquare(img, true))).toEqual([0, 7, 0, 0]); // diff 3: 2 after, 1 before
    expect(padToSquare(img, true).height).toBe(4);
  });

  it('crops, converts RGBA and lays out NCHW', () => {
    const img = rgbFromRgba(2, 2, [1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 10, 11, 12, 0]);
    expect([...cropImage(img, { x: 1, y: 1, width: 1, height: 1 }).data]).toEqual([10, 11, 12]);
    expect([...imagesToTensor([img]).data]).toEqual([1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
    expect(() => cropImage(img, { x: 1, y: 0, width: 2, height: 1 })).toThrow('cropImage: the box must be integers inside the 2×2 image, got x 1, y 0, width 2, height 1');
    expect(cropBox({ x: -3.5, y: 1.7, width: 10, height: 100 }, 5, 50)).toEqual({ x: 0, y: 1, width: 5, height: 48 });
  });
});

describe('box decoding and NMS', () => {
  it('decodes one cell and anchor by face-api\'s formulas, with the padding correction', () => {
    const raw = new Float32Array(2 * 5 * 4);
    const set = (ch: number, row: number, col: number, v: number) => { raw[(ch * 2 + row) * 2 + col] = v; };
    // anchor 1, cell (row 1, col 0): tx 0 → σ 0.5, ty 2, tw log 2, th 0, score 3
    [0, 2, Math.log(2), 0, 3].forEach((v, k) => set(5 + k, 1, 0, v));
    const d = decodeDetections(makeTensor(raw, [1, 10, 2, 2]), { anchors: [[1, 1], [1.5, 2]], scoreThreshold: 0.9, reshaped: { width: 64, height: 32 } });
    expect(d.length).toBe(1);
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    expect(d[0]!.score).toBe(s(3));
    const w = ((2 * 1.5) / 2) * 1;
    const h = ((1 * 2) / 2) * 2;
    expect(d[0]!.box.width).toBeCloseTo(w, 6);
    expect(d[0]!.box.height).toBeCloseTo(h, 6);
    expect(d[0]!.box.x).toBeCloseTo(((0 + 0.5) / 2) * 1 - w / 2, 6);
    expect(d[0]!.box.y).toBeCloseTo(((1 + s(2)) / 2) * 2 - h / 2, 6);
    expect(() => decodeDetections(makeTensor(raw, [1, 10, 2, 2]), { anchors: [[1, 1]], scoreThreshold: 0.5, reshaped: { width: 1, height: 1 } }))
      .toThrow('decodeDetections: raw output must be [1, 5, G, G], got [1,10,2,2]');
  });

  it('NMS keeps non-overlapping boxes best first, and every dropped box overlaps a better kept one', () => {
    const box = fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }), width: fc.integer({ min: 1, max: 10 }), height: fc.integer({ min: 1, max: 10 }) });
    fc.assert(fc.property(fc.array(fc.tuple(box, fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 12 }), (items) => {
      const boxes = items.map(([b]) => b);
      const scores = items.map(([, s]) => s);
      const kept = nonMaxSuppression(boxes, scores, 0.4);
      for (let i = 1; i < kept.length; i++) expect(scores[kept[i - 1]!]!).toBeGreaterThanOrEqual(scores[kept[i]!]!);
      for (const a of kept) for (const b of kept) if (a !== b) expect(iou(boxes[a]!, boxes[b]!)).toBeLessThanOrEqual(0.4);
      boxes.forEach((b, i) => {
        if (!kept.includes(i)) expect(kept.some((k) => scores[k]! >= scores[i]! && iou(boxes[k]!, b) > 0.4)).toBe(true);
      });
    }), { numRuns: 100 });
  });
});

describe('landmark post-processing', () => {
  it('undoes the centred padding of a portrait crop and shifts by the box', () => {
    const out = new Float32Array(136);
    out[0] = 0.25; // x of the crop's left edge: padX = (112 - 56) / 2 = 28 → (28 - 28) / 56 = 0
    out[1] = 1; // y at the bottom edge
    const [p] = landmarksFromOutput(out, { width: 10, height: 20 }, [100.5, 7]);
    expect(p).toEqual([100.5, 27]);
    expect(() => landmarksFromOutput(new Float32Array(3), { width: 1, height: 1 }, [0, 0])).toThrow('landmarksFromOutput: output must hold 136 values (68 points), got 3');
  });
});
