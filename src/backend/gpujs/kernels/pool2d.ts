// Pooling kernel: one thread per output cell of x [N*C][H][W], looping over a window with literal
// bounds. Max reads the UNPADDED input with each row and column index clamped into it: a clamped
// cell repeats the edge cell, which lies in the same window (every window of the primitive holds
// a real cell), so the max is the max over the window's real cells, as -Infinity padding gives,
// without the padded copy. Avg arrives padded by 0 (the loop has no branches) and computes
// PyTorch's divisor from the window geometry.

import type { Pool2dParams, PoolOp, Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { flatten, mapStep } from '../output.ts';

// --- model

/** A pooling problem over `planes` images of `h × w`, given padded to `hp × wp` (max: unpadded, `hp = h`, `wp = w`). @internal */
export interface PoolShape {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly hp: number;
  readonly wp: number;
  readonly p: Pool2dParams;
}

// --- constructors

/** Kernel source; output `[OW, OH, planes]`. @internal */
export function poolSource(op: PoolOp, s: PoolShape): string {
  const [kh, kw] = s.p.kernel;
  const [sh, sw] = s.p.stride;
  const [ph, pw] = s.p.padding;
  if (op === 'max') {
    const [oh, ow] = s.p.outShape;
    // Tap `k` along an axis, clamped only on the sides some window passes: below 0 (the padding
    // before) and past n - 1 (the padding after, or ceil mode's last windows).
    const idx = (axis: 'y' | 'x', k: number | 'ky' | 'kx'): string => {
      const [st, p, n, out, kn] = axis === 'y' ? [sh, ph, s.h, oh, kh] : [sw, pw, s.w, ow, kw];
      const kMin = typeof k === 'number' ? k : 0;
      const kMax = typeof k === 'number' ? k : kn - 1;
      const i = `this.thread.${axis} * ${st} + ${k}${p > 0 ? ` - ${p}` : ''}`;
      const low = kMin < p ? `Math.max(${i}, 0)` : i;
      return (out - 1) * st + kMax - p > n - 1 ? `Math.min(${low}, ${n - 1})` : low;
    };
    // Small windows (2×2, 3×3: every CNN pool) are unrolled into literal taps: no loop counters.
    if (kh * kw <= 16) {
      const rows = Array.from({ length: kh }, (_, ky) => `const r${ky} = ${idx('y', ky)};`);
      const cols = Array.from({ length: kw }, (_, kx) => `const c${kx} = ${idx('x', kx)};`);
      const taps: string[] = [];
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) if (ky + kx > 0) taps.push(`v = x[this.thread.z][r${ky}][c${kx}];\n  if (v > m || v !== v) { m = v; }`);
      return `function(x) {
  ${[...rows, ...cols].join('\n  ')}
  let m = x[this.thread.z][r0][c0];
  let v = m;
  ${taps.join('\n  ')}
  return m;
}`;
    }
    const at = `x[this.thread.z][${idx('y', 'ky')}][${idx('x', 'kx')}]`;
    return `function(x) {
  let m = -Infinity;
  for (let ky = 0; ky < ${kh}; ky++) {
    for (let kx = 0; kx < ${kw}; kx++) {
      const v = ${at};
      if (v > m || v !== v) { m = v; }
    }
  }
  return m;
}`;
  }
  const at = (ky: string, kx: string): string => `x[this.thread.z][this.thread.y * ${sh} + ${ky}][this.thread.x * ${sw} + ${kx}]`;
  // PyTorch: the window clipped to the padded input, then (without countIncludePad) to the input.
  const divisor = s.p.countIncludePad
    ? `const hs = this.thread.y * ${sh} - ${ph};
  const ws = this.thread.x * ${sw} - ${pw};
  const he = Math.min(hs + ${kh}, ${s.h + ph});
  const we = Math.min(ws + ${kw}, ${s.w + pw});
  const d = (he - hs) * (we - ws);`
    : `const hs = this.thread.y * ${sh} - ${ph};
  const ws = this.thread.x * ${sw} - ${pw};
  const d = (Math.min(hs + ${kh}, ${s.h}) - Math.max(hs, 0)) * (Math.min(ws + ${kw}, ${s.w}) - Math.max(ws, 0));`;
  return `function(x) {
  let t = 0;
  for (let ky = 0; ky < ${kh}; ky++) {
    for (let kx = 0; kx < ${kw}; kx++) {
      t += ${at('ky', 'kx')};
    }
  }
  ${divisor}
  return t / d;
}`;
}

// --- combinators

/** Pools padded flat `x` (`[planes, hp, wp]`); returns `[planes, OH, OW]`. @internal */
export function poolKernel(rt: GpuRuntime, op: PoolOp, s: PoolShape, x: Float32Array): Step<Float32Array> {
  const [oh, ow] = s.p.outShape;
  const key = `pool|${op}|${s.planes}|${s.h}|${s.w}|${s.hp}|${s.wp}|${JSON.stringify(s.p)}`;
  const kernel = rt.kernel(key, () => poolSource(op, s), () => ({ output: [ow, oh, s.planes], flat: true }));
  return mapStep(kernel(rt.view(x, [s.wp, s.hp, s.planes])) as Step<unknown>, (r) => flatten(r, s.planes * oh * ow));
}
