// Issue 11, item 12: the gpu.js row convolution unrolls at most MAX_ROW_TAPS taps, so a big
// kernel compiles in bounded time (a 64×64 one-channel kernel took 13 s, 96×96 55 s).
import { afterAll, describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { referenceBackend as ref } from '../../src/backend/reference/index.ts';
import { MAX_ROW_TAPS, rowConvApplies, rowConvSource } from '../../src/backend/gpujs/kernels/convRow.ts';
import { expectClose, tensorOf } from '../backend/gpujs/helpers.ts';

const be = createGpujsBackend({ mode: 'webasm' });
afterAll(() => be.destroy());

describe('row convolution unrolling is bounded', () => {
  it('kernels past MAX_ROW_TAPS taps do not take the unrolled kernel; those within do', () => {
    const shape = (k: number, c = 1, groups = 1) => ({ n: 1, c, hp: k + 4, wp: k + 4, o: c, kh: k, kw: k, oh: 5, ow: 5, stride: [1, 1] as const, dilation: [1, 1] as const, groups });
    expect(rowConvApplies(shape(16))).toBe(true); // 256 taps
    expect(rowConvApplies(shape(17))).toBe(false);
    expect(rowConvApplies(shape(64, 8, 8))).toBe(false); // depthwise 64×64
    expect(rowConvSource(shape(16), 4).split('\n').length).toBeLessThan(4 * MAX_ROW_TAPS * 2);
  });

  it.each([[1, 64], [2, 96]])('a %i-channel depthwise conv with a square kernel of side %i runs in a few seconds and matches the reference', async (c, k) => {
    const x = tensorOf([1, c, k + 6, k + 5], 1);
    const w = tensorOf([c, 1, k, k], 2);
    const p = { stride: [1, 1] as [number, number], padding: [0, 0, 0, 0] as [number, number, number, number], dilation: [1, 1] as [number, number], groups: c };
    const t0 = performance.now();
    const y = await be.conv2d(x, w, p);
    expect(performance.now() - t0).toBeLessThan(8000);
    expectClose(y, ref.conv2d(x, w, p), 1e-4);
  });
});
