// Pooling kernel: one thread per output cell of x [N*C][H][W], looping over a window with literal
// bounds. The input arrives padded (by -Infinity for max, 0 for avg) so the loop has no branches;
// avg computes PyTorch's divisor from the window geometry.

import type { Pool2dParams, PoolOp, Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { flatten, mapStep } from '../output.ts';

// --- model

/** A pooling problem over `planes` images of `h × w`, already padded to `hp × wp`. @internal */
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
  const at = (ky: string, kx: string): string =>
    `x[this.thread.z][this.thread.y * ${sh} + ${ky}][this.thread.x * ${sw} + ${kx}]`;
  if (op === 'max') {
    // Small windows (2×2, 3×3: every CNN pool) are unrolled into literal taps: no loop counters.
    if (kh * kw <= 16) {
      const taps: string[] = [];
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) if (ky + kx > 0) taps.push(`v = ${at(`${ky}`, `${kx}`)};\n  if (v > m || v !== v) { m = v; }`);
      return `function(x) {
  let m = ${at('0', '0')};
  let v = m;
  ${taps.join('\n  ')}
  return m;
}`;
    }
    return `function(x) {
  let m = ${at('0', '0')};
  for (let ky = 0; ky < ${kh}; ky++) {
    for (let kx = 0; kx < ${kw}; kx++) {
      const v = ${at('ky', 'kx')};
      if (v > m || v !== v) { m = v; }
    }
  }
  return m;
}`;
  }
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
