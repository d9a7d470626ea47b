// The trees themselves: parameter counts, keys = key-map targets, the TensorFlow "SAME" padding
// (extra pixel bottom/right, and what the top/left mistake would cost), and the converted weights
// surviving a safetensors round trip.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { referenceBackend } from '../../../src/backend/reference/index.ts';
import { run } from '../../../src/context/run.ts';
import { encodeSafetensors, loadSafetensors } from '../../../src/io/safetensors.ts';
import { loadStateDict, stateDict } from '../../../src/io/stateDict.ts';
import { countParams } from '../../../src/layers/params.ts';
import { MaxPool2d } from '../../../src/layers/sampling/pooling.ts';
import { Chain } from '../../../src/layers/structural/Chain.ts';
import { FaceLandmark68Tiny, faceLandmark68TinyKeyMap } from '../../../src/models/faceapi/FaceLandmark68Tiny.ts';
import { SamePad, samePadding } from '../../../src/models/faceapi/SamePad.ts';
import { TinyFaceDetector, tinyFaceDetectorKeyMap } from '../../../src/models/faceapi/TinyFaceDetector.ts';
import { detectorOutput } from '../../../src/models/faceapi/detectFaces.ts';
import { printTree } from '../../../src/print/tree.ts';
import { makeTensor, type Tensor } from '../../../src/tensor/Tensor.ts';
import { withChildren } from '../../../src/core/Layer.ts';
import { defineLayer } from '../../../src/layers/define.ts';
import { backendOf } from '../../../src/layers/backendOf.ts';
import { pad } from '../../../src/ops/pad.ts';
import { syntheticCases, syntheticImage } from '../../fixtures/faceapi/synthetic.ts';
import { faceApiModels, golden, nchw } from './helpers.ts';

describe('face-api trees', () => {
  it('have face-api\'s parameter counts and exactly the key maps\' targets as keys', () => {
    const d = TinyFaceDetector();
    const l = FaceLandmark68Tiny();
    expect(countParams(d).total).toBe(193_321);
    expect(countParams(l).total).toBe(77_224);
    expect([...stateDict(d).keys()].sort()).toEqual(tinyFaceDetectorKeyMap.map((e) => e.to).sort());
    expect([...stateDict(l).keys()].sort()).toEqual(faceLandmark68TinyKeyMap.map((e) => e.to).sort());
    expect(printTree(d)).toContain('SamePad(kernelSize=(2, 2), mode=replicate)');
  });

  it('loaded weights survive safetensors and loadStateDict bit for bit', async () => {
    const { detector } = await faceApiModels();
    const back = loadStateDict(TinyFaceDetector(), loadSafetensors(encodeSafetensors(stateDict(detector))).tensors);
    for (const [k, t] of stateDict(detector)) expect(stateDict(back).get(k)!.data).toEqual(t.data);
  });
});

describe('TensorFlow "SAME" padding', () => {
  it('puts the odd pixel after (bottom/right)', () => {
    expect(samePadding(207, 2, 2)).toEqual([0, 1]);
    expect(samePadding(414, 2, 2)).toEqual([0, 0]);
    expect(samePadding(13, 2, 1)).toEqual([0, 1]);
    expect(samePadding(112, 3, 2)).toEqual([0, 1]);
    expect(samePadding(7, 3, 2)).toEqual([1, 1]);
    expect(samePadding(5, 5, 1)).toEqual([2, 2]);
  });

  it('SamePad(replicate) + MaxPool2d equals a max over the in-bounds cells of each TF window', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1000 }),
      async (h, w, s, seed) => {
        const x = makeTensor(Float32Array.from({ length: h * w }, (_, i) => Math.sin(i * 12.9898 + seed) * 10), [1, 1, h, w]);
        const out = (await run(Chain(SamePad({ kernelSize: 2, stride: s, mode: 'replicate' }), MaxPool2d({ kernelSize: 2, stride: s })), [x], { backend: referenceBackend })).output;
        const [oh, ow] = [Math.ceil(h / s), Math.ceil(w / s)];
        const [top] = samePadding(h, 2, s);
        const [left] = samePadding(w, 2, s);
        expect(out.shape).toEqual([1, 1, oh, ow]);
        for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
          let m = -Infinity;
          for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
            const [y, xx] = [i * s + a - top, j * s + b - left];
            if (y >= 0 && y < h && xx >= 0 && xx < w) m = Math.max(m, x.data[y * w + xx]!);
          }
          expect(out.data[i * ow + j]).toBe(m);
        }
      },
    ), { numRuns: 30 });
  });

  it('catches the top/left mistake: upstream\'s outputs move far beyond the tolerance', async () => {
    const { detector } = await faceApiModels();
    // The same tree with every pool's odd pixel padded before (top/left) instead of after.
    const flipped = withChildren(detector, detector.children.map((c) => (c.kind.name === 'SamePad' ? PadBefore(...(Object.values(c.attrs).slice(0, 2) as [readonly [number, number], readonly [number, number]])) : c)));
    const d = syntheticCases.detector;
    const ref = nchw(golden.get('detector_synthetic')!);
    const out = await detectorOutput(flipped as typeof detector, syntheticImage(d.width, d.height, d.seed), d.inputSize, referenceBackend);
    const maxRef = Math.max(...ref.data.map(Math.abs));
    const maxDiff = Math.max(...out.data.map((v, i) => Math.abs(v - ref.data[i]!)));
    expect(maxDiff / maxRef).toBeGreaterThan(1e-2);
  });
});

/** TensorFlow's "SAME" amounts, all before: the mistake the oracle must catch. */
const PadBefore = defineLayer({
  name: 'PadBefore',
  init: (kernelSize: readonly [number, number], stride: readonly [number, number]) => ({ attrs: { kernelSize, stride } }),
  forward: ([x]: [Tensor], { attrs: { kernelSize: [kh, kw], stride: [sh, sw] } }, env) => {
    const [t, b] = samePadding(x.shape[2]!, kh, sh);
    const [l, r] = samePadding(x.shape[3]!, kw, sw);
    return pad(backendOf(env), x, [l + r, 0, t + b, 0], { mode: 'replicate' });
  },
});
