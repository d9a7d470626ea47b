// LoRAs from tensors: one from a (down, up) pair, many from a state dict (Refiners' `from_weights`
// and `from_dict`).
import { CanopyError } from '../errors.ts';
import type { StateDictInput } from '../io/stateDict.ts';
import { showShape, type Tensor } from '../tensor/Tensor.ts';
import { Conv2dLora } from './Conv2dLora.ts';
import { LinearLora } from './LinearLora.ts';
import { loadLoraWeights, type Lora } from './Lora.ts';

// --- model

/** Options of {@link loraFromWeights} and {@link lorasFromDict}. */
export interface FromWeightsOptions {
  /** Default `1`. */
  readonly scale?: number;
}

// --- constructors

/**
 * A LoRA holding `down` and `up`: 2-D weights make a LinearLora (`down` `[rank, in]`, `up`
 * `[out, rank]`), 4-D a Conv2dLora whose kernel sizes come from the weights and whose paddings
 * keep the spatial size (`k // 2`).
 *
 * @example
 * ```ts
 * import { loraFromWeights, loraRank, zeros } from 'canopy-nn';
 * loraRank(loraFromWeights('a', zeros([2, 5]), zeros([3, 2]))); // 2
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
