// canopy adapters: inject / eject on model values, key-stable state dicts of adapted models,
// and LoRA (layers, adapter, loading, positional attachment, sets, merging).

// adapters
export {
  makeAdapter, isAdapter, adapterTarget,
  type AdapterInfo, type AdapterOptions, type AdapterTargetAt,
} from './Adapter.ts';
export type { Target, KindTarget } from './target.ts';
export { inject, eject, ejectAll, injectedAdapters, type AdapterBuilder, type InjectedAdapter } from './inject.ts';
export { keyedNodes, keyNames, type KeyedNode } from './keys.ts';

// LoRA
export {
  isLora, loraName, loraDown, loraUp, loraRank, loraScale,
  withLoraScale, loadLoraWeights, type Lora, type LoraOptions,
} from './Lora.ts';
export { LinearLora, type LinearLoraOptions } from './LinearLora.ts';
export { Conv2dLora, type Conv2dLoraOptions } from './Conv2dLora.ts';
export {
  LoraAdapter, isLoraAdapter, lorasOf, loraNames, loraScales, isMerged, addLora, removeLora, setLoraScales,
} from './LoraAdapter.ts';
export { loraFromWeights, lorasFromDict, type FromWeightsOptions } from './fromWeights.ts';
export {
  autoAttach, autoAttachLoras, type AutoAttachOptions, type AutoAttachLorasOptions, type Attachment, type AutoAttachReport,
} from './autoAttach.ts';
export {
  addLoras, removeLoras, removeAllLoras, setLoraSetScales, loraSetNames, loraSetScales, lorasOfSet,
  type AddLorasOptions, type AddLorasResult,
} from './LoraManager.ts';
export { loraDelta, mergeLoras, unmergeLoras } from './merge.ts';
