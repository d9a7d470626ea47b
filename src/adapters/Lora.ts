// LoRA (Hu et al. 2021): a low-rank update `x ↦ scale · up(down(x))` added to a layer's output.
// As in Refiners, a Lora is a Chain of three children, `down` → `up` → `Multiply(scale)`, named
// (its `name` attribute says which LoRA set it belongs to). `up` starts at zero, so a fresh LoRA
// changes nothing; `down` starts at N(0, (1/rank)²), seeded. The scale lives in the Multiply only,
// so there is one source of truth for it.
import type { AnyLayer, Kind, Layer } from '../core/Layer.ts';
import { isKind, makeLayer, withChildren, withParams } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import { Conv2d } from '../layers/conv/Conv2d.ts';
import { defineContainer } from '../layers/define.ts';
import { Linear } from '../layers/linear/Linear.ts';
import { Multiply } from '../layers/misc/elementwise.ts';
import { Chain } from '../layers/structural/Chain.ts';
import { zeros } from '../tensor/create.ts';
import { randn } from '../tensor/random.ts';
import { showShape, type Tensor } from '../tensor/Tensor.ts';

// --- model

// A LoRA's attributes are Refiners' constructor arguments, in Refiners' order, so it prints as
// `(CHAIN) LinearLora(inFeatures=4, outFeatures=8, name=style)`; rank and scale are read from the
// children (Refiners keeps them private, so they do not print).

/** The LinearLora kind (a Chain: `Linear` down, `Linear` up, `Multiply`). @internal */
export const LinearLoraKind: Kind = defineContainer({ name: 'LinearLora', extends: Chain }).kind;
/** The Conv2dLora kind (a Chain: `Conv2d` down, `Conv2d` up, `Multiply`); Refiners' defaults do not print. @internal */
export const Conv2dLoraKind: Kind = defineContainer({ name: 'Conv2dLora', extends: Chain, defaults: { kernelSize: [1, 3], stride: [1, 1], padding: [0, 1] } }).kind;

/** A Lora node: `[..., in] → [..., out]` (LinearLora) or `[N, in, H, W] → [N, out, H', W']` (Conv2dLora). */
export type Lora = Layer<[Tensor], Tensor>;

/** Options every LoRA takes. */
export interface LoraOptions {
  /** Inner dimension. Default `16`. */
  readonly rank?: number;
  /** Output factor. Default `1`. */
  readonly scale?: number;
  /** Seed of `down`'s N(0, (1/rank)²) weights. Default `0`. */
  readonly seed?: number;
}

// --- constructors

/** A Lora node from its parts; `down`'s weights redrawn from N(0, 1/rank), `up`'s zeroed. @internal */
export function makeLora(kind: Kind, attrs: Readonly<Record<string, unknown>> & { readonly name: string }, down: AnyLayer, up: AnyLayer, scale: number, rank: number, seed: number): Lora {
  const { name } = attrs;
  if (typeof name !== 'string' || name === '') throw new CanopyError('argument', `${kind.name}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  const dw = down.params['weight']!;
  const uw = up.params['weight']!;
  const d = withParams(down, { weight: randn(dw.shape, seed, 0, 1 / rank) });
  const u = withParams(up, { weight: zeros(uw.shape) });
  return makeLayer(kind, attrs, [d, u, Multiply({ scale })]);
}

// --- destructors

/**
 * True for a LinearLora or Conv2dLora node.
 *
 * @example
 * ```ts
 * import { LinearLora, Linear, isLora } from 'canopy';
 * [isLora(LinearLora('a', { inFeatures: 2, outFeatures: 2 })), isLora(Linear({ inFeatures: 2, outFeatures: 2 }))]; // [true, false]
 * ```
 */
export function isLora(node: AnyLayer): boolean {
  return isKind(node, LinearLoraKind) || isKind(node, Conv2dLoraKind);
}

/**
 * The name of a LoRA (the set it belongs to).
 *
 * @example
 * ```ts
 * import { LinearLora, loraName } from 'canopy';
 * loraName(LinearLora('pokemon', { inFeatures: 2, outFeatures: 2 })); // 'pokemon'
 * ```
 */
export function loraName(lora: AnyLayer): string {
  requireLora('loraName', lora);
  return lora.attrs['name'] as string;
}

/**
 * The `down` layer (Linear or Conv2d, input → rank).
 *
 * @example
 * ```ts
 * import { LinearLora, loraDown } from 'canopy';
 * loraDown(LinearLora('a', { inFeatures: 4, outFeatures: 2, rank: 3 })).params.weight!.shape; // [3, 4]
 * ```
 */
export function loraDown(lora: AnyLayer): AnyLayer {
  requireLora('loraDown', lora);
  return lora.children[0]!;
}

/**
 * The `up` layer (Linear or Conv2d, rank → output), zero when fresh.
 *
 * @example
 * ```ts
 * import { LinearLora, loraUp } from 'canopy';
 * loraUp(LinearLora('a', { inFeatures: 4, outFeatures: 2, rank: 3 })).params.weight!.shape; // [2, 3]
 * ```
 */
export function loraUp(lora: AnyLayer): AnyLayer {
  requireLora('loraUp', lora);
  return lora.children[1]!;
}

/**
 * The rank (down's output size).
 *
 * @example
 * ```ts
 * import { Conv2dLora, loraRank } from 'canopy';
 * loraRank(Conv2dLora('a', { inChannels: 4, outChannels: 4, rank: 2 })); // 2
 * ```
 */
export function loraRank(lora: AnyLayer): number {
  return loraDown(lora).params['weight']!.shape[0]!;
}

/**
 * The scale (the Multiply's factor).
 *
 * @example
 * ```ts
 * import { LinearLora, loraScale } from 'canopy';
 * loraScale(LinearLora('a', { inFeatures: 2, outFeatures: 2, scale: 0.5 })); // 0.5
 * ```
 */
export function loraScale(lora: AnyLayer): number {
  requireLora('loraScale', lora);
  const m = lora.children[2]!;
  return isKind(m, Multiply.kind) ? (m.attrs['scale'] as number) : 1;
}

/** True when `lora` fits `target`: same kind of layer as its `up`, and the target's input and output sizes (Refiners' `is_compatible`). @internal */
export function isLoraCompatible(lora: AnyLayer, target: AnyLayer): boolean {
  const down = loraDown(lora);
  const up = loraUp(lora);
  if (isKind(up, Linear.kind)) {
    return isKind(target, Linear.kind) && target.attrs['inFeatures'] === down.attrs['inFeatures'] && target.attrs['outFeatures'] === up.attrs['outFeatures'];
  }
  if (isKind(up, Conv2d.kind)) {
    return isKind(target, Conv2d.kind) && target.attrs['inChannels'] === down.attrs['inChannels'] && target.attrs['outChannels'] === up.attrs['outChannels'];
  }
  return false;
}

// --- combinators

/**
 * The same LoRA with another scale (Refiners' `lora.scale = s`).
 *
 * @example
 * ```ts
 * import { LinearLora, withLoraScale, loraScale } from 'canopy';
 * loraScale(withLoraScale(LinearLora('a', { inFeatures: 2, outFeatures: 2 }), 2)); // 2
 * ```
 */
export function withLoraScale<L extends AnyLayer>(lora: L, scale: number): L {
  requireLora('withLoraScale', lora);
  if (loraScale(lora) === scale) return lora;
  return withChildren(lora, [lora.children[0]!, lora.children[1]!, Multiply({ scale })]) as L;
}

/**
 * The same LoRA with other weights (Refiners' `load_weights(down, up)`); shapes must match.
 *
 * @example
 * ```ts
 * import { LinearLora, loadLoraWeights, loraUp, ones } from 'canopy';
 * const l = loadLoraWeights(LinearLora('a', { inFeatures: 2, outFeatures: 2, rank: 1 }), ones([1, 2]), ones([2, 1]));
 * loraUp(l).params.weight!.data[0]; // 1
 * ```
 */
export function loadLoraWeights<L extends AnyLayer>(lora: L, down: Tensor, up: Tensor): L {
  const d = loraDown(lora);
  const u = loraUp(lora);
  for (const [what, layer, t] of [['down', d, down], ['up', u, up]] as const) {
    const have = layer.params['weight']!.shape;
    if (have.length !== t.shape.length || have.some((v, i) => v !== t.shape[i])) {
      throw new CanopyError('shape', `loadLoraWeights: ${what} weight must be ${showShape(have)}, got ${showShape(t.shape)} (LoRA "${loraName(lora)}")`);
    }
  }
  return withChildren(lora, [withParams(d, { weight: down }), withParams(u, { weight: up }), lora.children[2]!]) as L;
}

// --- utils

/** Throws unless `node` is a Lora. @internal */
export function requireLora(op: string, node: AnyLayer): void {
  if (!isLora(node)) throw new CanopyError('structure', `${op}: the layer must be a LinearLora or Conv2dLora, got a ${node.kind.name}`);
}

/** Throws unless the scale is finite. @internal */
export function checkScale(op: string, scale: number): void {
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new CanopyError('argument', `${op}: scale must be a finite number, got ${String(scale)}`);
}
