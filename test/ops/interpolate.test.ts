import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, full, makeTensor, randn, tensorEquals, toNested } from '../../src/tensor/index.ts';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

describe('interpolate', () => {
  const x = fromArray([[[[1, 2], [3, 4]]]]);
  it('matches PyTorch on known cases', async () => {
    expect(toNested(await o.interpolate(r, x, { size: 4, mode: 'bilinear' }))).toEqual([[[
      [1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4],
    ]]]);
    expect(toNested(await o.interpolate(r, x, { size: 3 }))).toEqual([[[[1, 1, 2], [1, 1, 2], [3, 3, 4]]]]);
    expect(toNested(await o.interpolate(r, x, { size: [1, 3], mode: 'bilinear', alignCorners: true }))).toEqual([[[[1, 1.5, 2]]]]);
  });
  it('nearest with an integer factor repeats pixels', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), async (h, w, f) => {
        const t = randn([1, 2, h, w], h + w);
        const y = await unchanged([t], () => o.interpolate(r, t, { scaleFactor: f }));
        expect(tensorEquals(y, build([1, 2, h * f, w * f], ([n = 0, c = 0, i = 0, j = 0]) => at(t, [n, c, Math.floor(i / f), Math.floor(j / f)])))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
  it('bilinear keeps constants and reproduces linear ramps with alignCorners', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), async (h, w, oh, ow) => {
        const c = await o.interpolate(r, full([1, 1, h, w], 2.5), { size: [oh, ow], mode: 'bilinear' });
        expectClose(c, full([1, 1, oh, ow], 2.5), 1e-6, 1e-6);
        const ramp = build([1, 1, h, w], ([, , i = 0, j = 0]) => 3 * i + j);
        const y = await o.interpolate(r, ramp, { size: [oh, ow], mode: 'bilinear', alignCorners: true });
        const sy = oh > 1 ? (h - 1) / (oh - 1) : 0;
        const sx = ow > 1 ? (w - 1) / (ow - 1) : 0;
        expectClose(y, build([1, 1, oh, ow], ([, , i = 0, j = 0]) => 3 * i * sy + j * sx), 1e-5, 1e-5);
      }),
      { numRuns: 30 },
    );
  });
  it("halfPixelCenters false equals tfjs-cpu's resizeBilinear(alignCorners=false, halfPixelCenters=false)", async () => {
    await tf.setBackend('cpu');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), async (h, w, oh, ow) => {
        const t = randn([2, h, w, 3], h * 13 + w);
        const want = tf.image.resizeBilinear(tf.tensor4d(t.data as Float32Array, [2, h, w, 3]), [oh, ow], false, false);
        const nchw = await o.permute(r, t, [0, 3, 1, 2]);
        const got = await unchanged([nchw], () => o.interpolate(r, nchw, { size: [oh, ow], mode: 'bilinear', halfPixelCenters: false }));
        expectClose(await o.permute(r, got, [0, 2, 3, 1]), makeTensor(Float32Array.from(want.dataSync() as Float32Array), want.shape), 1e-5, 1e-5);
        want.dispose();
      }),
      { numRuns: 40 },
    );
  });
  it('padding equals resizing the zero-padded input (every mode), with no padded copy', async () => {
    const modes = [{ mode: 'nearest' }, { mode: 'bilinear' }, { mode: 'bilinear', alignCorners: true }, { mode: 'bilinear', halfPixelCenters: false }] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...modes),
        async (h, w, [pt = 0, pb = 0, pl = 0, pr = 0], oh, ow, m) => {
          const t = randn([1, 2, h, w], h + 7 * w);
          const padded = await o.pad(r, t, [pl, pr, pt, pb]);
          const want = await o.interpolate(r, padded, { size: [oh, ow], ...m });
          const got = await unchanged([t], () => o.interpolate(r, t, { size: [oh, ow], ...m, padding: [pt, pb, pl, pr] }));
          expectClose(got, want, 0, 0);
        },
      ),
      { numRuns: 60 },
    );
  });
  it('reports bad options', async () => {
    expect(await errorOf(() => o.interpolate(r, x, { size: 2, mode: 'bilinear', alignCorners: true, halfPixelCenters: false }))).toBe("interpolate: halfPixelCenters only applies to mode 'bilinear' without alignCorners, got mode 'bilinear' with alignCorners true");
    expect(await errorOf(() => o.interpolate(r, x, { size: 2, padding: [1, 0, -1, 0] }))).toBe('interpolate: padding must be 4 non-negative integers [top, bottom, left, right], got 1,0,-1,0');
    expect(await errorOf(() => o.interpolate(r, x, {}))).toBe('interpolate: exactly one of size and scaleFactor must be given, got neither');
    expect(await errorOf(() => o.interpolate(r, x, { size: 2, alignCorners: true }))).toBe("interpolate: alignCorners only applies to mode 'bilinear', got mode 'nearest' with alignCorners true");
    expect(await errorOf(() => o.interpolate(r, x, { size: 0 }))).toBe('interpolate: size must be a positive integer, got 0');
    expect(await errorOf(() => o.interpolate(r, fromArray([1, 2]), { size: 2 }))).toBe('interpolate: input must be [N, C, H, W] (PyTorch reads a 3-D input as [N, C, L]; unsqueeze a [C, H, W] image to [1, C, H, W]), got [2]');
  });
});

describe('pixel (un)shuffle', () => {
  it('are inverses and move the documented elements', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), async (c, h, w, f) => {
        const t = randn([2, c, h * f, w * f], c + h + w);
        const u = await unchanged([t], () => o.pixelUnshuffle(r, t, f));
        expect(u.shape).toEqual([2, c * f * f, h, w]);
        expect(tensorEquals(u, build(u.shape, ([n = 0, k = 0, i = 0, j = 0]) => at(t, [n, Math.floor(k / (f * f)), i * f + Math.floor((k % (f * f)) / f), j * f + (k % f)])))).toBe(true);
        expect(tensorEquals(await o.pixelShuffle(r, u, f), t)).toBe(true);
      }),
      { numRuns: 20 },
    );
    expect(await errorOf(() => o.pixelUnshuffle(r, randn([1, 1, 3, 4], 0), 2))).toBe('pixelUnshuffle: height and width must be divisible by 2, got [1,1,3,4]');
  });
});
