// A fusion epilogue (bias, then leaky ReLU or ReLU; src/backend/fused.ts) as lines of a generated
// kernel, applied to the kernel's float32 sums before they are returned, instead of as a JavaScript
// pass over the output afterwards. Only in the WebAssembly engines, whose kernels compute in
// float32: each step is one float32 operation there, so the results are the bits of
// `applyEpilogueInPlace` (the sum of two float32 values rounded once, a float32 product rounded
// once). gpu.js's cpu mode accumulates in float64 and rounds only the returned value, so there an
// in-kernel bias would round once where the composition rounds twice: it keeps the JavaScript pass.

import type { EpilogueActivation } from '../../fused.ts';
import type { GpuRuntime } from '../runtime.ts';

// --- model

/** An epilogue as a kernel receives it: the bias per output row or channel, then an activation. @internal */
export interface KernelEpilogue {
  readonly bias?: Float32Array;
  readonly activation?: EpilogueActivation;
}

/**
 * What the generated source depends on: whether there is a bias (however the kernel receives it:
 * host values, or a device tensor) and the activation. @internal
 */
export interface EpilogueForm {
  readonly bias?: unknown;
  readonly activation?: EpilogueActivation;
}

// --- predicates

/** Whether `rt` runs epilogues inside its kernels (float32 engines, see above). @internal */
export function fusesInKernel(rt: GpuRuntime): boolean {
  return rt.mode === 'webasm' || rt.mode === 'async';
}

// --- constructors

/**
 * Kernel lines applying `e` to the sums `sums`, the bias of sum i read by `biasRead(i)`.
 * `s <= 0` keeps NaN (a false comparison) and maps -0 as `max`/`prelu` do.
 *
 * @example
 * ```ts
 * epilogueLines({ activation: { op: 'relu' } }, ['s0'], () => ''); // ['if (s0 <= 0) { s0 = 0; }']
 * ```
 * @internal
 */
export function epilogueLines(e: EpilogueForm, sums: readonly string[], biasRead: (i: number) => string): string[] {
  const lines: string[] = [];
  if (e.bias !== undefined) sums.forEach((s, i) => lines.push(`${s} = ${s} + ${biasRead(i)};`));
  const act = e.activation;
  if (act !== undefined) {
    const neg = act.op === 'relu' ? '0' : `${s32(act.slope)}`;
    for (const s of sums) lines.push(act.op === 'relu' ? `if (${s} <= 0) { ${s} = 0; }` : `if (${s} <= 0) { ${s} = ${s} * ${neg}; }`);
  }
  return lines;
}

/** Cache-key part naming `e` (bias or not, activation and slope). @internal */
export function epilogueKey(e: EpilogueForm | undefined): string {
  if (e === undefined) return '';
  const act = e.activation === undefined ? '' : e.activation.op === 'relu' ? 'relu' : `prelu${Math.fround(e.activation.slope)}`;
  return `|e${e.bias === undefined ? '' : 'b'}${act}`;
}

// --- utils

// A float32 slope as a float literal: always with a decimal point (gpu.js types `1` as an
// integer), the sign of -0 kept (v * -0 and v * 0 differ in sign), parenthesised when negative.
function s32(v: number): string {
  const f = Math.fround(v);
  let lit = Object.is(f, -0) ? '-0' : `${f}`;
  if (!lit.includes('.')) lit = lit.includes('e') ? lit.replace('e', '.0e') : `${lit}.0`;
  return lit.startsWith('-') ? `(${lit})` : lit;
}
