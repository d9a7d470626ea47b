// Reference contractions: matmul, conv2d, convTranspose2d, pool2d. Direct loops, float64
// accumulators, one rounding to float32 per output: the most accurate oracle that is still obvious.

import type { Conv2dParams, ConvTranspose2dParams, Pool2dParams, PoolOp } from '../Backend.ts';
import type { Tensor } from '../../tensor/Tensor.ts';
import { check, checkFloat, showShape, wrap } from './util.ts';

function dims4(x: Tensor, primitive: string, what: string): [number, number, number, number] {
  check(x.shape.length === 4, primitive, () => `${what} must be rank 4, got ${showShape(x.shape)}`);
  const [a = 0, b = 0, c = 0, d = 0] = x.shape;
  return [a, b, c, d];
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloat(a, 'matmul');
  checkFloat(b, 'matmul');
  check(a.shape.length === 3 && b.shape.length === 3 && a.shape[0] === b.shape[0] && a.shape[2] === b.shape[1], 'matmul', () =>
    `needs [B,M,K] x [B,K,N], got ${showShape(a.shape)} and ${showShape(b.shape)}`);
  const [B = 0, M = 0, K = 0] = a.shape;
  const N = b.shape[2] ?? 0;
  const out = new Float32Array(B * M * N);
  for (let bi = 0; bi < B; bi++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (a.data[(bi * M + i) * K + k] ?? 0) * (b.data[(bi * K + k) * N + j] ?? 0);
        out[(bi * M + i) * N + j] = s;
      }
    }
  }
  return wrap(out, [B, M, N]);
}

export function conv2d(x: Tensor, w: Tensor, p: Conv2dParams): Tensor {
  checkFloat(x, 'conv2d');
  checkFloat(w, 'conv2d');
  const [N, C, H, W] = dims4(x, 'conv2d', 'input');
  const [O, Cg, KH, KW] = dims4(w, 'conv2d', 'weight');
  const g = p.groups;
  check(C === Cg * g && O % g === 0, 'conv2d', () => `channels must split into ${g} groups, got input ${showShape(x.shape)} and weight ${showShape(w.shape)}`);
  const [sh, sw] = p.stride;
  const [dh, dw] = p.dilation;
  const [pt, pb, pl, pr] = p.padding;
  const OH = Math.floor((H + pt + pb - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + pl + pr - dw * (KW - 1) - 1) / sw) + 1;
  check(OH > 0 && OW > 0, 'conv2d', () => `output would be empty (${OH}x${OW})`);
  const Og = O / g;
  const out = new Float32Array(N * O * OH * OW);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      const grp = Math.floor(o / Og);
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          let s = 0;
          for (let c = 0; c < Cg; c++) {
            const ic = grp * Cg + c;
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - pt + ky * dh;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pl + kx * dw;
                if (ix < 0 || ix >= W) continue;
                s += (x.data[((n * C + ic) * H + iy) * W + ix] ?? 0) * (w.data[((o * Cg + c) * KH + ky) * KW + kx] ?? 0);
              }
            }
          }
          out[((n * O + o) * OH + oy) * OW + ox] = s;
        }
    }
  return wrap(out, [N, O, OH, OW]);
}

export function convTranspose2d(x: Tensor, w: Tensor, p: ConvTranspose2dParams): Tensor {
  checkFloat(x, 'convTranspose2d');
  checkFloat(w, 'convTranspose2d');
  const [N, C, H, W] = dims4(x, 'convTranspose2d', 'input');
  const [Cw, Og, KH, KW] = dims4(w, 'convTranspose2d', 'weight');
  const g = p.groups;
  check(C === Cw && C % g === 0, 'convTranspose2d', () => `weight must be [C, O/groups, kh, kw] with C divisible by ${g}, got input ${showShape(x.shape)} and weight ${showShape(w.shape)}`);
  const [sh, sw] = p.stride;
  const [dh, dw] = p.dilation;
  const [ph, pw] = p.padding;
  const [oph, opw] = p.outputPadding;
  const OH = (H - 1) * sh - 2 * ph + dh * (KH - 1) + oph + 1;
  const OW = (W - 1) * sw - 2 * pw + dw * (KW - 1) + opw + 1;
  check(OH > 0 && OW > 0, 'convTranspose2d', () => `output would be empty (${OH}x${OW})`);
  const O = Og * g;
  const Cg = C / g;
  const acc = new Float64Array(N * O * OH * OW);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const grp = Math.floor(c / Cg);
      for (let iy = 0; iy < H; iy++)
        for (let ix = 0; ix < W; ix++) {
          const v = x.data[((n * C + c) * H + iy) * W + ix] ?? 0;
          for (let ol = 0; ol < Og; ol++) {
            const o = grp * Og + ol;
            for (let ky = 0; ky < KH; ky++) {
              const oy = iy * sh - ph + ky * dh;
              if (oy < 0 || oy >= OH) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ox = ix * sw - pw + kx * dw;
                if (ox < 0 || ox >= OW) continue;
                const k = ((n * O + o) * OH + oy) * OW + ox;
                acc[k] = (acc[k] ?? 0) + v * (w.data[((c * Og + ol) * KH + ky) * KW + kx] ?? 0);
              }
            }
          }
        }
    }
  return wrap(Float32Array.from(acc), [N, O, OH, OW]);
}

export function pool2d(op: PoolOp, x: Tensor, p: Pool2dParams): Tensor {
  checkFloat(x, 'pool2d');
  const [N, C, H, W] = dims4(x, 'pool2d', 'input');
  const [KH, KW] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [OH, OW] = p.outShape;
  const out = new Float32Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        // PyTorch: the window is clipped to the padded input for the divisor, then to the input.
        let y0 = oy * sh - ph;
        let x0 = ox * sw - pw;
        let y1 = Math.min(y0 + KH, H + ph);
        let x1 = Math.min(x0 + KW, W + pw);
        const padded = (y1 - y0) * (x1 - x0);
        y0 = Math.max(y0, 0);
        x0 = Math.max(x0, 0);
        y1 = Math.min(y1, H);
        x1 = Math.min(x1, W);
        let acc = op === 'max' ? -Infinity : 0;
        for (let iy = y0; iy < y1; iy++)
          for (let ix = x0; ix < x1; ix++) {
            const v = x.data[(nc * H + iy) * W + ix] ?? 0;
            if (op === 'avg') acc += v;
            else if (Number.isNaN(v) || v > acc) acc = Number.isNaN(acc) ? acc : v;
          }
        const divisor = p.countIncludePad ? padded : (y1 - y0) * (x1 - x0);
        out[(nc * OH + oy) * OW + ox] = op === 'max' ? acc : acc / divisor;
      }
  return wrap(out, [N, C, OH, OW]);
}
