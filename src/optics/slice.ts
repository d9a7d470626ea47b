// Refiners' `chain[start:stop:step]`: the same container with a Python slice of its children.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { withChildren } from '../core/Layer.ts';

// --- combinators

/**
 * The container with children `[start:end:step]`, Python slice rules (negative indices count
 * from the end, out-of-range bounds clamp, a negative step walks backwards). Named `sliceChain`
 * because `slice` is the tensor op.
 *
 * @example
 * ```ts
 * import { Chain, Identity, sliceChain } from 'canopy';
 * const m = Chain(Identity(), Identity(), Identity());
 * sliceChain(m, 0, -1).children.length; // 2
 * ```
 */
export function sliceChain(model: AnyLayer, start?: number, end?: number, step = 1): AnyLayer {
  if (!Number.isInteger(step) || step === 0) {
    throw new CanopyError('argument', `sliceChain: step must be a non-zero integer, got ${step}`);
  }
  const n = model.children.length;
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === undefined) return dflt;
    const x = v < 0 ? v + n : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const kids: AnyLayer[] = [];
  if (step > 0) {
    const s = clamp(start, 0, 0, n);
    const e = clamp(end, n, 0, n);
    for (let i = s; i < e; i += step) kids.push(model.children[i]!);
  } else {
    const s = clamp(start, n - 1, -1, n - 1);
    const e = clamp(end, -1, -1, n - 1);
    for (let i = s; i > e; i += step) kids.push(model.children[i]!);
  }
  return withChildren(model, kids);
}
