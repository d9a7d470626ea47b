// Merging LoRAs into their target's weights for inference (one matmul or conv instead of 1 + 2k),
// and unmerging them back. A merged LoraAdapter keeps its LoRAs (so it can be unmerged, saved,
// and its scales read) and evaluates its target alone. Merging is exact up to float rounding:
// unmerge(merge(m)) equals m within a tolerance, not bit for bit.
//
// Linear: W' = W + scale · up · down. Conv2d: exact only when one of the two LoRA convs is a 1×1
// that does not move pixels (stride 1, no padding) and the other has the target's geometry; any
// other LoRA is refused with the reason.
import type { AnyLayer } from '../core/Layer.ts';
import { isKind, makeLayer, withChildren, withParams } from '../core/Layer.ts';
import { valueEquals } from '../core/equals.ts';
import { CanopyError } from '../errors.ts';
import { Conv2d } from '../layers/conv/Conv2d.ts';
import { Linear } from '../layers/linear/Linear.ts';
import { makeTensor, showShape, type Tensor } from '../tensor/Tensor.ts';
import { isLora, loraInfo } from './Lora.ts';
import { isLoraAdapter, isMerged, mapLoraAdapters } from './LoraAdapter.ts';

// --- destructors

/**
 * The change `lora` makes to `target`'s weight when merged: `scale · up ∘ down` as one weight
 * of the target's shape. Throws when the LoRA cannot be merged exactly into that target.
 *
 * @example
 * ```ts
 * import { Linear, LinearLora, loraDelta } from 'canopy-nn';
 * Array.from(loraDelta(LinearLora('a', { inFeatures: 3, outFeatures: 2, rank: 1 }), Linear({ inFeatures: 3, outFeatures: 2 })).data); // [0, 0, 0, 0, 0, 0] (a fresh LoRA's up is 0)
 * ```
 */
export function loraDelta(lora: AnyLayer, target: AnyLayer): Tensor {
  const { down, up, scale: s, name } = loraInfo(lora);
  const dw = down.params['weight']!;
  const uw = up.params['weight']!;
  const tw = target.params['weight'];
  const fail = (why: string): never => {
    throw new CanopyError('structure', `merge: LoRA "${name}" must be mergeable into its ${target.kind.name} target, got ${why}`);
  };
  if (tw === undefined) return fail(`a target without a weight`);
  const [O, R] = uw.shape as [number, number];
  const I = dw.shape[1]!;
  if (isKind(target, Linear.kind) && isKind(up, Linear.kind)) {
    if (tw.shape[0] !== O || tw.shape[1] !== I) fail(`a LoRA ${I}→${O} on a weight ${showShape(tw.shape)}`);
    return contract(uw.data, dw.data, O, R, I, 1, 1, s, tw.shape);
  }
  if (isKind(target, Conv2d.kind) && isKind(up, Conv2d.kind)) {
    const t = target.attrs;
    const one = [1, 1];
    if (!valueEquals(t['dilation'], one) || t['groups'] !== 1 || t['paddingMode'] !== 'zeros') {
      fail('a target with dilation, groups or a padding mode other than zeros');
    }
    const pointwise = (l: AnyLayer): boolean =>
      valueEquals(l.attrs['kernelSize'], one) && valueEquals(l.attrs['stride'], one) && valueEquals(l.attrs['padding'], [0, 0]);
    const sameGeometry = (l: AnyLayer): boolean =>
      ['kernelSize', 'stride', 'padding', 'dilation'].every((k) => valueEquals(l.attrs[k], t[k])) && l.attrs['groups'] === 1;
    const [kh, kw] = t['kernelSize'] as [number, number];
    if (pointwise(down) && sameGeometry(up) && valueEquals(t['stride'], one)) {
      // ΔW[o, i, h, w] = s Σ_r up[o, r, h, w] · down[r, i]
      const out = new Float32Array(O * I * kh * kw);
      for (let o = 0; o < O; o++)
        for (let r = 0; r < R; r++)
          for (let i = 0; i < I; i++) {
            const d = dw.data[r * I + i]! * s;
            for (let k = 0; k < kh * kw; k++) out[((o * I + i) * kh * kw) + k]! += uw.data[(o * R + r) * kh * kw + k]! * d;
          }
      return makeTensor(out, tw.shape, 'float32');
    }
    if (pointwise(up) && sameGeometry(down)) {
      // ΔW[o, i, h, w] = s Σ_r up[o, r] · down[r, i, h, w]
      return contract(uw.data, dw.data, O, R, I, kh, kw, s, tw.shape);
    }
    return fail(
      `kernels ${JSON.stringify(down.attrs['kernelSize'])} → ${JSON.stringify(up.attrs['kernelSize'])} (strides ${JSON.stringify(down.attrs['stride'])}, ${JSON.stringify(up.attrs['stride'])}) on a ${JSON.stringify(t['kernelSize'])} stride ${JSON.stringify(t['stride'])} conv: one side must be a 1×1 stride-1 conv and the other the target's geometry`,
    );
  }
  return fail(`a ${up.kind.name} LoRA`);
}

// --- combinators

/**
 * Merges the LoRAs of every LoraAdapter of `model` (or only of those `where` accepts) into their
 * targets' weights. Already merged adapters are left as they are.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LinearLora, LoraAdapter, mergeLoras, unmergeLoras, isMerged } from 'canopy-nn';
 * const m = Chain(LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('a', { inFeatures: 2, outFeatures: 2 })));
 * isMerged(mergeLoras(m).children[0]!); // true
 * ```
 */
export function mergeLoras(model: AnyLayer, where: (adapter: AnyLayer) => boolean = () => true): AnyLayer {
  return mapLoraAdapters(model, (a) => (isMerged(a) || !where(a) ? a : applyDeltas(a, 1, true)));
}

/**
 * Subtracts merged LoRAs from their targets' weights again.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LinearLora, LoraAdapter, mergeLoras, unmergeLoras, isMerged } from 'canopy-nn';
 * const m = Chain(LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('a', { inFeatures: 2, outFeatures: 2 })));
 * isMerged(unmergeLoras(mergeLoras(m)).children[0]!); // false
 * ```
 */
export function unmergeLoras(model: AnyLayer, where: (adapter: AnyLayer) => boolean = () => true): AnyLayer {
  return mapLoraAdapters(model, (a) => (!isMerged(a) || !where(a) ? a : applyDeltas(a, -1, false)));
}

// --- utils

function applyDeltas(adapter: AnyLayer, sign: 1 | -1, merged: boolean): AnyLayer {
  // Stacked adapters (LoraAdapter(LoraAdapter(Linear, a), b)): the outer LoRAs go into the weight
  // of the innermost target, which both adapters wrap; the inner adapter stays as it is.
  const target = mapBase(adapter.children[0]!, (base) => {
    const w = base.params['weight'];
    if (w === undefined || !(isKind(base, Linear.kind) || isKind(base, Conv2d.kind))) {
      throw new CanopyError('structure', `merge: a LoraAdapter's target must be a Linear or Conv2d to merge into, got a ${base.kind.name}`);
    }
    const data = Float32Array.from(w.data as Float32Array);
    for (const l of adapter.children.slice(1)) {
      if (!isLora(l)) continue;
      const d = loraDelta(l, base).data;
      for (let i = 0; i < data.length; i++) data[i]! += sign * d[i]!;
    }
    return withParams(base, { ...base.params, weight: makeTensor(data, w.shape, 'float32') });
  });
  return makeLayer(adapter.kind, { ...adapter.attrs, merged }, [target, ...adapter.children.slice(1)], { contexts: adapter.contexts, params: adapter.params });
}

/** `node` with the layer its stack of LoraAdapters wraps replaced by `f(base)`. */
function mapBase(node: AnyLayer, f: (base: AnyLayer) => AnyLayer): AnyLayer {
  return isLoraAdapter(node) ? withChildren(node, [mapBase(node.children[0]!, f), ...node.children.slice(1)]) : f(node);
}

function contract(a: ArrayLike<number>, b: ArrayLike<number>, O: number, R: number, I: number, kh: number, kw: number, s: number, shape: readonly number[]): Tensor {
  // out[o, i, k] = s Σ_r a[o, r] · b[r, i, k]
  const K = kh * kw;
  const out = new Float32Array(O * I * K);
  for (let o = 0; o < O; o++)
    for (let r = 0; r < R; r++) {
      const x = a[o * R + r]! * s;
      if (x === 0) continue;
      for (let j = 0; j < I * K; j++) out[o * I * K + j]! += x * b[r * I * K + j]!;
    }
  return makeTensor(out, shape, 'float32');
}
