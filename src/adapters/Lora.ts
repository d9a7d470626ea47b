// LoRA (Hu et al. 2021): a low-rank update `x ↦ scale · up(down(x))` added to a layer's output.
// As in Refiners, a Lora is a Chain of three children, `down` → `up` → `Multiply(scale)`, named
// (its `name` attribute says which LoRA set it belongs to). `up` starts at zero, so a fresh LoRA
// changes nothing; `down` starts at N(0, (1/rank)²), seeded. The scale lives in the Multiply only,
// so there is one source of truth for it. LinearLora wraps a Linear target, Conv2dLora a Conv2d
// (Refiners' defaults: kernel (1, 3), padding (0, 1): a 1×1 projection down, then a 3×3 up that
// keeps the spatial size; when attached, down takes the target's stride).
import type { AnyLayer, Kind, Layer } from '../core/Layer.ts';
import { isKind, makeLayer, withChildren, withParams } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import type { StateDictInput } from '../io/stateDict.ts';
import { Conv2d } from '../layers/conv/Conv2d.ts';
import { defineContainer } from '../layers/define.ts';
import { Linear } from '../layers/linear/Linear.ts';
import { Multiply } from '../layers/misc/elementwise.ts';
import { Chain } from '../layers/structural/Chain.ts';
import { checkPositiveInt } from '../ops/util.ts';
import { zeros } from '../tensor/create.ts';
import { randn } from '../tensor/random.ts';
import { showShape, type Tensor } from '../tensor/Tensor.ts';

// --- model

// A LoRA's attributes are Refiners' constructor arguments, in Refiners' order, so it prints as
// `(CHAIN) LinearLora(inFeatures=4, outFeatures=8, name=style)`; rank and scale are read from the
// children (Refiners keeps them private, so they do not print).

/** The LinearLora kind (a Chain: `Linear` down, `Linear` up, `Multiply`). */
const LinearLoraKind: Kind = defineContainer({ name: 'LinearLora', extends: Chain }).kind;
/** The Conv2dLora kind (a Chain: `Conv2d` down, `Conv2d` up, `Multiply`); Refiners' defaults do not print. */
const Conv2dLoraKind: Kind = defineContainer({ name: 'Conv2dLora', extends: Chain, defaults: { kernelSize: [1, 3], stride: [1, 1], padding: [0, 1] } }).kind;

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

/** A Lora node: the options checked, `down` and `up` built for the rank, `down`'s weights redrawn from N(0, 1/rank), `up`'s zeroed. */
function makeLora(kind: Kind, attrs: Readonly<Record<string, unknown>> & { readonly name: string }, options: LoraOptions, parts: (rank: number) => readonly [AnyLayer, AnyLayer]): Lora {
  const { name } = attrs;
  const { rank = 16, scale = 1, seed = 0 } = options;
  if (typeof name !== 'string' || name === '') throw new CanopyError('argument', `${kind.name}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  checkPositiveInt(kind.name, rank, 'rank');
  checkScale(kind.name, scale);
  const [down, up] = parts(rank);
  const d = withParams(down, { weight: randn(down.params['weight']!.shape, seed, 0, 1 / rank) });
  const u = withParams(up, { weight: zeros(up.params['weight']!.shape) });
  return makeLayer(kind, attrs, [d, u, Multiply({ scale })]);
}

// --- destructors

/**
 * True for a LinearLora or Conv2dLora node.
 *
 * @example
 * ```ts
 * import { LinearLora, Linear, isLora } from 'canopy-nn';
 * [isLora(LinearLora('a', { inFeatures: 2, outFeatures: 2 })), isLora(Linear({ inFeatures: 2, outFeatures: 2 }))]; // [true, false]
 * ```
 */
export function isLora(node: AnyLayer): boolean {
  return isKind(node, LinearLoraKind) || isKind(node, Conv2dLoraKind);
}

/** What a LoRA is made of: Refiners' `lora.name`, `.down`, `.up`, `.rank` and `.scale`. */
export interface LoraInfo {
  /** The LoRA set it belongs to. */
  readonly name: string;
  /** Linear or Conv2d, input → rank. */
  readonly down: AnyLayer;
  /** Linear or Conv2d, rank → output; zero when fresh. */
  readonly up: AnyLayer;
  /** Down's output size. */
  readonly rank: number;
  /** The Multiply's factor. */
  readonly scale: number;
}

/**
 * The parts of a LoRA.
 *
 * @example
 * ```ts
 * import { LinearLora, loraInfo } from 'canopy-nn';
 * const { name, rank, scale, down } = loraInfo(LinearLora('style', { inFeatures: 4, outFeatures: 2, rank: 3, scale: 0.5 }));
 * [name, rank, scale, down.params.weight!.shape]; // ['style', 3, 0.5, [3, 4]]
 * ```
 */
export function loraInfo(lora: AnyLayer): LoraInfo {
  requireLora('loraInfo', lora);
  const [down, up, m] = lora.children as readonly [AnyLayer, AnyLayer, AnyLayer];
  const scale = isKind(m, Multiply.kind) ? (m.attrs['scale'] as number) : 1;
  return { name: lora.attrs['name'] as string, down, up, rank: down.params['weight']!.shape[0]!, scale };
}

/** True when `lora` fits `target`: same kind of layer as its `up`, and the target's input and output sizes (Refiners' `is_compatible`). @internal */
export function isLoraCompatible(lora: AnyLayer, target: AnyLayer): boolean {
  const { down, up } = loraInfo(lora);
  // The input and output size attributes of the kind of layer `up` is (and the target must be).
  const sizes = isKind(up, Linear.kind) ? ['inFeatures', 'outFeatures'] : isKind(up, Conv2d.kind) ? ['inChannels', 'outChannels'] : undefined;
  if (sizes === undefined) return false;
  const [i, o] = sizes as [string, string];
  return isKind(target, up.kind) && target.attrs[i] === down.attrs[i] && target.attrs[o] === up.attrs[o];
}

// --- combinators

/**
 * The same LoRA with another scale (Refiners' `lora.scale = s`).
 *
 * @example
 * ```ts
 * import { LinearLora, withLoraScale, loraInfo } from 'canopy-nn';
 * loraInfo(withLoraScale(LinearLora('a', { inFeatures: 2, outFeatures: 2 }), 2)).scale; // 2
 * ```
 */
export function withLoraScale<L extends AnyLayer>(lora: L, scale: number): L {
  requireLora('withLoraScale', lora);
  if (loraInfo(lora).scale === scale) return lora;
  return withChildren(lora, [lora.children[0]!, lora.children[1]!, Multiply({ scale })]) as L;
}

/**
 * The same LoRA with other weights (Refiners' `load_weights(down, up)`); shapes must match.
 *
 * @example
 * ```ts
 * import { LinearLora, loadLoraWeights, loraInfo, ones } from 'canopy-nn';
 * const l = loadLoraWeights(LinearLora('a', { inFeatures: 2, outFeatures: 2, rank: 1 }), ones([1, 2]), ones([2, 1]));
 * loraInfo(l).up.params.weight!.data[0]; // 1
 * ```
 */
export function loadLoraWeights<L extends AnyLayer>(lora: L, down: Tensor, up: Tensor): L {
  const { down: d, up: u, name } = loraInfo(lora);
  for (const [what, layer, t] of [['down', d, down], ['up', u, up]] as const) {
    const have = layer.params['weight']!.shape;
    if (have.length !== t.shape.length || have.some((v, i) => v !== t.shape[i])) {
      throw new CanopyError('shape', `loadLoraWeights: ${what} weight must be ${showShape(have)}, got ${showShape(t.shape)} (LoRA "${name}")`);
    }
  }
  return withChildren(lora, [withParams(d, { weight: down }), withParams(u, { weight: up }), lora.children[2]!]) as L;
}

// --- LinearLora

/** Options of {@link LinearLora}. */
export interface LinearLoraOptions extends LoraOptions {
  /** The target's input features. */
  readonly inFeatures: number;
  /** The target's output features. */
  readonly outFeatures: number;
}

/**
 * A LoRA for a Linear: `[..., inFeatures]` → `[..., outFeatures]`, `scale · up(down(x))`. Fresh,
 * it outputs zeros (up = 0); `down` ~ N(0, (1/rank)²) from `seed`.
 *
 * @example
 * ```ts
 * import { LinearLora, zeros, run, referenceBackend } from 'canopy-nn';
 * const l = LinearLora('style', { inFeatures: 4, outFeatures: 2, rank: 2 });
 * (await run(l, [zeros([3, 4])], { backend: referenceBackend })).output.shape; // [3, 2]
 * ```
 */
export function LinearLora(name: string, options: LinearLoraOptions): Lora {
  const { inFeatures, outFeatures } = options;
  return makeLora(LinearLoraKind, { inFeatures, outFeatures, name }, options, (rank) => [
    Linear({ inFeatures, outFeatures: rank, bias: false }),
    Linear({ inFeatures: rank, outFeatures, bias: false }),
  ]);
}
LinearLora.kind = LinearLoraKind;

// --- Conv2dLora

/** Options of {@link Conv2dLora}. */
export interface Conv2dLoraOptions extends LoraOptions {
  /** The target's input channels. */
  readonly inChannels: number;
  /** The target's output channels. */
  readonly outChannels: number;
  /** Kernel sizes of down and up. Default `[1, 3]`. */
  readonly kernelSize?: readonly [number, number];
  /** Strides of down and up. Default `[1, 1]` (down takes the target's stride when attached). */
  readonly stride?: readonly [number, number];
  /** Paddings of down and up. Default `[0, 1]`. */
  readonly padding?: readonly [number, number];
}

/**
 * A LoRA for a Conv2d: `[N, inChannels, H, W]` → `[N, outChannels, H', W']`,
 * `scale · up(down(x))`; fresh, it outputs zeros.
 *
 * @example
 * ```ts
 * import { Conv2dLora, zeros, run, referenceBackend } from 'canopy-nn';
 * const l = Conv2dLora('style', { inChannels: 3, outChannels: 4, rank: 2 });
 * (await run(l, [zeros([1, 3, 5, 5])], { backend: referenceBackend })).output.shape; // [1, 4, 5, 5]
 * ```
 */
export function Conv2dLora(name: string, options: Conv2dLoraOptions): Lora {
  const { inChannels, outChannels, kernelSize: [k0, k1] = [1, 3], stride: [s0, s1] = [1, 1], padding: [p0, p1] = [0, 1] } = options;
  const attrs = { inChannels, outChannels, kernelSize: [k0, k1], stride: [s0, s1], padding: [p0, p1], name };
  return makeLora(Conv2dLoraKind, attrs, options, (rank) => [
    Conv2d({ inChannels, outChannels: rank, kernelSize: k0, stride: s0, padding: p0, useBias: false }),
    Conv2d({ inChannels: rank, outChannels, kernelSize: k1, stride: s1, padding: p1, useBias: false }),
  ]);
}
Conv2dLora.kind = Conv2dLoraKind;

/** The LoRA with `down`'s stride set to `target`'s (Refiners does this in `is_compatible`), so a LoRA on a strided conv produces the target's output size; Linear LoRAs are returned as they are. @internal */
export function withTargetStride<L extends AnyLayer>(lora: L, target: AnyLayer): L {
  const stride = target.attrs['stride'];
  const { down } = loraInfo(lora);
  if (!Array.isArray(stride) || !Array.isArray(down.attrs['stride'])) return lora;
  const cur = down.attrs['stride'] as readonly number[];
  if (cur[0] === stride[0] && cur[1] === stride[1]) return lora;
  const d = makeLayer(down.kind, { ...down.attrs, stride: [stride[0], stride[1]] }, down.children, { params: down.params });
  return withChildren(lora, [d, lora.children[1]!, lora.children[2]!]) as L;
}

// --- from tensors (Refiners' `from_weights` and `from_dict`)

/** Options of {@link loraFromWeights} and {@link lorasFromDict}. */
export interface FromWeightsOptions {
  /** Default `1`. */
  readonly scale?: number;
}

/**
 * A LoRA holding `down` and `up`: 2-D weights make a LinearLora (`down` `[rank, in]`, `up`
 * `[out, rank]`), 4-D a Conv2dLora whose kernel sizes come from the weights and whose paddings
 * keep the spatial size (`k // 2`).
 *
 * @example
 * ```ts
 * import { loraFromWeights, loraInfo, zeros } from 'canopy-nn';
 * loraInfo(loraFromWeights('a', zeros([2, 5]), zeros([3, 2]))).rank; // 2
 * ```
 */
export function loraFromWeights(name: string, down: Tensor, up: Tensor, options: FromWeightsOptions = {}): Lora {
  const { scale = 1 } = options;
  const rank = down.shape[0]!;
  if (down.shape.length !== up.shape.length || up.shape[1] !== rank || (down.shape.length !== 2 && down.shape.length !== 4)) {
    throw new CanopyError(
      'shape',
      `loraFromWeights: down [rank, in(, kh, kw)] and up [out, rank(, kh, kw)] must have the same rank 2 or 4 and agree on rank, got down ${showShape(down.shape)} and up ${showShape(up.shape)} (LoRA "${name}")`,
    );
  }
  if (down.shape.length === 2) {
    return loadLoraWeights(LinearLora(name, { inFeatures: down.shape[1]!, outFeatures: up.shape[0]!, rank, scale }), down, up);
  }
  const k0 = down.shape[3]!;
  const k1 = up.shape[3]!;
  const lora = Conv2dLora(name, {
    inChannels: down.shape[1]!,
    outChannels: up.shape[0]!,
    rank,
    scale,
    kernelSize: [k0, k1],
    padding: [Math.floor(k0 / 2), Math.floor(k1 / 2)],
  });
  return loadLoraWeights(lora, down, up);
}

/**
 * LoRAs from a state dict, all called `name`, by key. As Refiners' `from_dict`: only keys holding
 * `.weight` count; they pair up in the dict's order (down, then up), and a LoRA's key is its down
 * key without its last two segments (`unet.mid.down.weight` → `unet.mid`).
 *
 * @example
 * ```ts
 * import { lorasFromDict, zeros } from 'canopy-nn';
 * const loras = lorasFromDict('style', { 'a.down.weight': zeros([1, 2]), 'a.up.weight': zeros([2, 1]) });
 * [...loras.keys()]; // ['a']
 * ```
 */
export function lorasFromDict(name: string, dict: StateDictInput, options: FromWeightsOptions = {}): Map<string, Lora> {
  const entries = (dict instanceof Map ? [...(dict as ReadonlyMap<string, Tensor>).entries()] : Object.entries(dict)).filter(([k]) =>
    k.includes('.weight'),
  );
  if (entries.length % 2 !== 0) {
    throw new CanopyError('io', `lorasFromDict: weight keys must come in (down, up) pairs, got ${entries.length}: ${entries.map(([k]) => k).join(', ')}`);
  }
  const out = new Map<string, Lora>();
  for (let i = 0; i < entries.length; i += 2) {
    const [dk, down] = entries[i]!;
    const [, up] = entries[i + 1]!;
    const key = dk.split('.').slice(0, -2).join('.');
    out.set(key, loraFromWeights(name, down, up, options));
  }
  return out;
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
