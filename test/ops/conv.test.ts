import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as o from '../../src/ops/index.ts';
import { fromArray, randn, toNested, type Tensor } from '../../src/tensor/index.ts';
import { at, build, errorOf, expectClose, r, unchanged } from './helpers.ts';

/** Naive conv2d: explicit zero padding, then the textbook sum. */
function naiveConv(x: Tensor, w: Tensor, s: [number, number], d: [number, number], p: [number, number, number, number], g: number): Tensor {
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  const [O = 0, Cg = 0, KH = 0, KW = 0] = w.shape;
  const padded = build([N, C, H + p[0] + p[1], W + p[2] + p[3]], ([n = 0, c = 0, y = 0, xx = 0]) => {
    const [iy, ix] = [y - p[0], xx - p[2]];
    return iy < 0 || iy >= H || ix < 0 || ix >= W ? 0 : at(x, [n, c, iy, ix]);
  });
  const OH = Math.floor((H + p[0] + p[1] - d[0] * (KH - 1) - 1) / s[0]) + 1;
  const OW = Math.floor((W + p[2] + p[3] - d[1] * (KW - 1) - 1) / s[1]) + 1;
  return build([N, O, OH, OW], ([n = 0, oc = 0, oy = 0, ox = 0]) => {
    const grp = Math.floor(oc / (O / g));
    let acc = 0;
    for (let c = 0; c < Cg; c++)
      for (let ky = 0; ky < KH; ky++)
        for (let kx = 0; kx < KW; kx++) acc += at(padded, [n, grp * Cg + c, oy * s[0] + ky * d[0], ox * s[1] + kx * d[1]]) * at(w, [oc, c, ky, kx]);
    return acc;
  });
}

const dot = (a: Tensor, b: Tensor) => Array.from(a.data).reduce((s, v, i) => s + v * (b.data[i] ?? 0), 0);

const convCase = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  g: fc.integer({ min: 1, max: 3 }),
  cg: fc.integer({ min: 1, max: 2 }),
  og: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 6 }),
  w: fc.integer({ min: 1, max: 6 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  p: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
  seed: fc.nat(1000),
});

describe('conv2d', () => {
  it('matches the naive convolution (stride, dilation, groups, asymmetric padding)', async () => {
    await fc.assert(
      fc.asyncProperty(convCase, async (c) => {
        const { h, w, kh, kw, s, d, p } = c;
        fc.pre(h + p[0] + p[1] >= d[0] * (kh - 1) + 1 && w + p[2] + p[3] >= d[1] * (kw - 1) + 1);
        const x = randn([c.n, c.cg * c.g, h, w], c.seed);
        const wt = randn([c.og * c.g, c.cg, kh, kw], c.seed + 1);
        const bias = randn([c.og * c.g], c.seed + 2);
        const y = await unchanged([x, wt, bias], () => o.conv2d(r, x, wt, { stride: s, dilation: d, padding: p, groups: c.g, bias }));
        const want = await o.add(r, naiveConv(x, wt, s, d, p, c.g), await o.reshape(r, bias, [-1, 1, 1]));
        expectClose(y, want, 1e-4, 1e-4);
      }),
      { numRuns: 40 },
    );
  });
  it("1x1 conv equals matmul over channels; 'same' keeps the size", async () => {
    const x = randn([2, 5, 3, 4], 1);
    const w = randn([3, 5, 1, 1], 2);
    const y = await o.conv2d(r, x, w);
    const xm = await o.reshape(r, await o.permute(r, x, [0, 2, 3, 1]), [-1, 5]);
    const viaMatmul = await o.permute(r, await o.reshape(r, await o.matmul(r, xm, await o.transpose(r, await o.reshape(r, w, [3, 5]))), [2, 3, 4, 3]), [0, 3, 1, 2]);
    expectClose(y, viaMatmul, 1e-5, 1e-5);
    for (const k of [2, 3, 4]) {
      const same = await o.conv2d(r, x, randn([2, 5, k, k], k), { padding: 'same', dilation: 2 });
      expect(same.shape).toEqual([2, 2, 3, 4]);
    }
    // depthwise and unbatched input
    expect((await o.conv2d(r, randn([4, 5, 5], 0), randn([4, 1, 3, 3], 0), { groups: 4 })).shape).toEqual([4, 3, 3]);
  });
  it('reports bad inputs', async () => {
    const x = randn([1, 4, 5, 5], 0);
    expect(await errorOf(() => o.conv2d(r, x, randn([2, 3, 3, 3], 0)))).toBe('conv2d: input channels must equal weight channels × groups (3 × 1 = 3), got input [1,4,5,5] and weight [2,3,3,3]');
    expect(await errorOf(() => o.conv2d(r, randn([4, 5], 0), randn([2, 4, 3, 3], 0)))).toBe('conv2d: input must be rank 3 or 4, got [4,5]');
    expect(await errorOf(() => o.conv2d(r, x, randn([2, 4, 7, 7], 0)))).toBe('conv2d: padded input must be at least the dilated kernel, got input [1,4,5,5], weight [2,4,7,7], padding [0,0,0,0], dilation [1,1]');
    expect(await errorOf(() => o.conv2d(r, x, randn([2, 4, 3, 3], 0), { stride: 0 }))).toBe('conv2d: stride must be a positive integer, got 0');
    expect(await errorOf(() => o.conv2d(r, x, randn([3, 2, 3, 3], 0), { groups: 2 }))).toBe('conv2d: output channels must be divisible by groups 2, got weight [3,2,3,3]');
    expect(await errorOf(() => o.conv2d(r, x, randn([2, 4, 3, 3], 0), { padding: 'same', stride: 2 }))).toBe("conv2d: padding 'same' needs stride 1, got stride [2,2] (pass explicit [top, bottom, left, right] padding instead)");
    expect(await errorOf(() => o.conv2d(r, x, randn([2, 4, 3, 3], 0), { bias: randn([3], 0) }))).toBe('conv2d: bias must be [2], got [3]');
  });
  it('propagates NaN only where the window sees it', async () => {
    const x = fromArray([[[[NaN, 1, 1, 1]]]]);
    expect(toNested(await o.conv2d(r, x, fromArray([[[[1, 1]]]])))).toEqual([[[[NaN, 2, 2]]]]);
  });
});

describe('convTranspose2d', () => {
  it('is the adjoint of conv2d: <conv(x), y> = <x, convT(y)>', async () => {
    await fc.assert(
      fc.asyncProperty(convCase, async (c) => {
        const { h, w, kh, kw, s, d } = c;
        const p: [number, number] = [Math.min(c.p[0], kh - 1), Math.min(c.p[2], kw - 1)];
        fc.pre(h + 2 * p[0] >= d[0] * (kh - 1) + 1 && w + 2 * p[1] >= d[1] * (kw - 1) + 1);
        const x = randn([c.n, c.cg * c.g, h, w], c.seed);
        const wt = randn([c.og * c.g, c.cg, kh, kw], c.seed + 1);
        const y0 = await o.conv2d(r, x, wt, { stride: s, dilation: d, padding: p, groups: c.g });
        const yv = randn(y0.shape, c.seed + 2);
        // output padding recovers the rows the strided conv dropped
        const op: [number, number] = [(h + 2 * p[0] - d[0] * (kh - 1) - 1) % s[0], (w + 2 * p[1] - d[1] * (kw - 1) - 1) % s[1]];
        fc.pre(op[0] < Math.max(s[0], d[0]) && op[1] < Math.max(s[1], d[1]));
        const xt = await unchanged([yv, wt], () => o.convTranspose2d(r, yv, wt, { stride: s, dilation: d, padding: p, outputPadding: op, groups: c.g }));
        expect(xt.shape).toEqual(x.shape);
        const lhs = dot(y0, yv);
        const rhs = dot(x, xt);
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * (1 + Math.abs(lhs)));
      }),
      { numRuns: 40 },
    );
  });
  it('computes a known example with bias and reports bad inputs', async () => {
    const y = await o.convTranspose2d(r, fromArray([[[[1, 2]]]]), fromArray([[[[1, 10]]]]), { stride: 2, bias: fromArray([0.5]) });
    expect(toNested(y)).toEqual([[[[1.5, 10.5, 2.5, 20.5]]]]);
    expect(await errorOf(() => o.convTranspose2d(r, randn([1, 3, 2, 2], 0), randn([2, 1, 2, 2], 0)))).toBe('convTranspose2d: input channels must equal weight dim 0 ([C, O/groups, kh, kw]), got input [1,3,2,2] and weight [2,1,2,2]');
    expect(await errorOf(() => o.convTranspose2d(r, randn([1, 2, 2, 2], 0), randn([2, 1, 2, 2], 0), { outputPadding: 1 }))).toBe('convTranspose2d: outputPadding must be smaller than stride or dilation, got outputPadding [1,1], stride [1,1], dilation [1,1]');
  });
});
