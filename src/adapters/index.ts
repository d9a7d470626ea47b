// canopy adapters: inject / eject on model values, key-stable state dicts of adapted models,
// and LoRA (layers, adapter, loading, positional attachment, sets, merging).

// adapters
export {
  makeAdapter, isAdapter, adapterTarget,
  type AdapterInfo, type AdapterOptions, type AdapterTargetAt,
} from './Adapter.ts';
export { inject, eject, ejectAll, injectedAdapters, type AdapterBuilder, type InjectedAdapter, type Target, type KindTarget } from './inject.ts';
export { keyedNodes, keyNames, type KeyedNode } from './keys.ts';

// LoRA
export {
  LinearLora, Conv2dLora, loraFromWeights, lorasFromDict, isLora, loraInfo, withLoraScale, loadLoraWeights,
  type Lora, type LoraInfo, type LoraOptions, type LinearLoraOptions, type Conv2dLoraOptions, type FromWeightsOptions,
} from './Lora.ts';
export {
  LoraAdapter, lorasOf, isMerged, addLora, removeLora, setLoraScales,
} from './LoraAdapter.ts';
export {
  autoAttachLoras, type AutoAttachOptions, type AutoAttachLorasOptions, type Attachment, type AutoAttachReport,
} from './LoraManager.ts';
export {
  addLoras, removeLoras, removeAllLoras, setLoraSetScales, loraSetScales, lorasOfSet,
  type AddLorasOptions, type AddLorasResult,
} from './LoraManager.ts';
export { loraDelta, mergeLoras, unmergeLoras } from './merge.ts';
