// conv2d kernels for convolutions with few input channels per output channel: depthwise
// (groups = in channels, each output channel reads one input plane) and small dense inputs (an
// image's 3 colour channels). The direct4 kernel (conv2d.ts) shares one input read between four
// output channels, which these have too few of: a depthwise direct4 computes three padding
// channels for every real one. Here a thread computes four horizontally adjacent outputs of one
// channel instead: the input columns their windows share are read once, every tap is unrolled
// into literal code (no loop counters), and the output is already NCHW, so no unpacking pass and
// no second output allocation (each fresh 10 MB buffer costs ~30 ms of page faults here).

import type { Step } from '../../Backend.ts';
import type { GpuRuntime } from '../runtime.ts';
import { allSteps, flatten, mapStep } from '../output.ts';
import type { ConvShape } from './conv2d.ts';
import { epilogueKey, epilogueLines, type KernelEpilogue } from './epilogue.ts';

// --- model

/**
 * Most taps (input channels per group × kernel height × width) the row kernel unrolls. Every tap
 * is a line of generated code, and gpu.js's compile time grows faster than the code: a 64×64
 * kernel took 13 s to compile, 96×96 55 s (834 MB), 260×260 more than 5 minutes. Larger kernels
 * go to the looping kernels (conv2d.ts), whose code size does not depend on the kernel size.
 * @internal
 */
export const MAX_ROW_TAPS = 256;

/** Outputs per thread: 4 adjacent columns (`Array(4)`) or 1 (scalar). @internal */
export type RowWidth = 1 | 4;

// --- constructors

/**
 * Whether {@link convRow} applies: depthwise (`groups === c`, `o` a multiple of `c`) or dense
 * with at most `maxDenseChannels` input channels.
 *
 * @example
 * ```ts
 * const s = { n: 1, c: 16, hp: 9, wp: 9, o: 16, kh: 3, kw: 3, oh: 7, ow: 7, stride: [1, 1], dilation: [1, 1], groups: 16 } as const;
 * rowConvApplies(s); // true: depthwise
 * ```
 * @internal
 */
export function rowConvApplies(s: ConvShape, maxDenseChannels = 4): boolean {
  if ((s.c / s.groups) * s.kh * s.kw > MAX_ROW_TAPS) return false;
  if (s.groups === s.c && s.o % s.c === 0) return true;
  return s.groups === 1 && s.c <= maxDenseChannels;
}

/**
 * Extra zero columns the padded input needs on the right so that the last thread's four outputs
 * (some past `ow`) read inside the row.
 * @internal
 */
export function rowConvExtraColumns(s: ConvShape, width: RowWidth): number {
  const need = (Math.ceil(s.ow / width) * width - 1) * s.stride[1] + s.dilation[1] * (s.kw - 1) + 1;
  return Math.max(0, need - s.wp);
}

/**
 * Source: output `[ceil(OW/width), OH, O]` (one image), thread z the output channel; `x` viewed as
 * `[c][hp][wp]`, `w` as `[O][cg*kh*kw]`. The input plane is z for depthwise with multiplier 1,
 * `floor(z / multiplier)` otherwise, and a literal per input channel for dense convolutions.
 * @internal
 */
export function rowConvSource(s: ConvShape, width: RowWidth, e?: KernelEpilogue): string {
  const depthwise = s.groups === s.c && s.groups > 1;
  const cg = s.c / s.groups;
  const mult = s.o / s.groups;
  const [sy, sx] = s.stride;
  const [dy, dx] = s.dilation;
  const lines: string[] = [];
  const sums = width === 4 ? ['s0', 's1', 's2', 's3'] : ['s0'];
  for (let ci = 0; ci < cg; ci++) {
    const plane = !depthwise ? `${ci}` : mult === 1 ? 'this.thread.z' : `Math.floor(this.thread.z / ${mult})`;
    for (let ky = 0; ky < s.kh; ky++) {
      const row = `this.thread.y * ${sy} + ${ky * dy}`;
      // Column of output j, tap kx: thread.x * width * sx + (j * sx + kx * dx); shared offsets load once.
      const offsets = new Map<number, string>();
      for (let j = 0; j < width; j++) {
        for (let kx = 0; kx < s.kw; kx++) {
          const off = j * sx + kx * dx;
          if (!offsets.has(off)) {
            const name = `v${ci}_${ky}_${off}`;
            offsets.set(off, name);
            lines.push(`const ${name} = x[${plane}][${row}][this.thread.x * ${width * sx} + ${off}];`);
          }
        }
      }
      for (let j = 0; j < width; j++) {
        for (let kx = 0; kx < s.kw; kx++) {
          lines.push(`${sums[j]} += ${offsets.get(j * sx + kx * dx)} * w[this.thread.z][${(ci * s.kh + ky) * s.kw + kx}];`);
        }
      }
    }
  }
  // The epilogue's bias is per output channel, thread z (kernels/epilogue.ts).
  if (e !== undefined) lines.push(...epilogueLines(e, sums, () => 'bias[this.thread.z]'));
  const ret = width === 4 ? 'return [s0, s1, s2, s3];' : 'return s0;';
  return `function(x, w${e?.bias === undefined ? '' : ', bias'}) {
  ${sums.map((n) => `let ${n} = 0;`).join(' ')}
  ${lines.join('\n  ')}
  ${ret}
}`;
}

// --- combinators

/**
 * conv2d with the row kernel: `x` padded `[n, c, hp, wp]` including
 * {@link rowConvExtraColumns} on the right, `w` `[o, cg, kh, kw]`; returns `[n, o, oh, ow]`, with
 * the epilogue `e` computed in the kernel when given (only for float32 engines, see epilogue.ts).
 * One call per image keeps the image index out of every read.
 *
 * @example
 * ```ts
 * const s = { n: 1, c: 1, hp: 1, wp: 4, o: 1, kh: 1, kw: 1, oh: 1, ow: 1, stride: [1, 1], dilation: [1, 1], groups: 1 };
 * convRow(rt, s, new Float32Array([2, 0, 0, 0]), new Float32Array([3]), 4); // Float32Array [6]
 * ```
 * @internal
 */
export function convRow(rt: GpuRuntime, s: ConvShape, x: Float32Array, w: Float32Array, width: RowWidth, e?: KernelEpilogue): Step<Float32Array> {
  const ow4 = Math.ceil(s.ow / width);
  const key = `convRow${width}|${[s.c, s.hp, s.wp, s.o, s.kh, s.kw, s.oh, s.ow, ...s.stride, ...s.dilation, s.groups].join(',')}${epilogueKey(e)}`;
  const kernel = rt.kernel(key, () => rowConvSource(s, width, e), () => ({
    output: [ow4, s.oh, s.o],
    returnType: width === 4 ? 'Array(4)' : 'Number',
    flat: true,
  }));
  const planeSize = s.c * s.hp * s.wp;
  const wv = rt.view(w, [(s.c / s.groups) * s.kh * s.kw, s.o]);
  const perImage: Step<unknown>[] = [];
  for (let img = 0; img < s.n; img++) {
    const xv = rt.view(x.subarray(img * planeSize, (img + 1) * planeSize), [s.wp, s.hp, s.c]);
    perImage.push((e?.bias === undefined ? kernel(xv, wv) : kernel(xv, wv, e.bias)) as Step<unknown>);
  }
  const cells = ow4 * width * s.oh * s.o;
  const size = s.o * s.oh * s.ow;
  return mapStep(allSteps(perImage), (parts) => {
    const images = parts.map((part) => compactRows(flatten(part, cells), s.o * s.oh, ow4 * width, s.ow));
    if (images.length === 1) return images[0]!;
    const out = new Float32Array(s.n * size);
    images.forEach((img, i) => out.set(img, i * size));
    return out;
  });
}

// --- utils

// Rows of `from` values shortened to `to` in place (the buffer is the kernel's fresh copy, and each
// row moves to a lower offset, so forward order never overwrites unread data); a view of the result.
function compactRows(data: Float32Array, rows: number, from: number, to: number): Float32Array {
  if (from === to) return data.length === rows * to ? data : data.subarray(0, rows * to);
  for (let r = 1; r < rows; r++) data.copyWithin(r * to, r * from, r * from + to);
  return data.subarray(0, rows * to);
}
