// canopy's public surface.

// errors
export * from './errors.ts';

// tensors, backends, ops
export * from './tensor/index.ts';
export type { Backend, UnaryOp, BinaryOp, ReduceOp, MovementOp, OtherOp, PrimitiveOp, PoolOp, PadMode, Pair, Conv2dParams, ConvTranspose2dParams, Pool2dParams } from './backend/Backend.ts';
export { referenceBackend } from './backend/reference/index.ts';
export { composeEpilogue, hasConvEpilogue, type ConvEpilogueBackend, type Epilogue, type EpilogueActivation } from './backend/fused.ts';
export { createGpujsBackend, gpujsModes, type DeviceStats, type DeviceStatsOptions, type GpujsBackend, type GpujsBackendOptions, type GpujsMode } from './backend/gpujs/index.ts';
export * from './backend/select.ts';
export * from './ops/index.ts';

// core: the layer protocol
export { thenStep, type Step } from './core/step.ts';
export { tuple, isTuple, type Tuple } from './core/tuple.ts';
export { type Args, type Need, type Attrs, type Params, type ContextDecl, type Kind, type Layer, type AnyLayer, type InputOf, type OutputOf, type NeedsOf, type LayerConstructor, withParams, withChildren, isKind, isLayer } from './core/Layer.ts';
export type { Env, State, PathEntry, EvalOptions, BreakpointEvent, ContextValues, ValueAlgebra } from './core/Eval.ts';
export { childNames } from './core/names.ts';
export * from './core/equals.ts';
export { MAX_LAYER_DEPTH } from './core/depth.ts';

// context: namespaces, scope, the interpreter
export {
  unset, namespace, type Unset, type Namespace, type NamespaceRef, type NameOf, type ValueOf, type KeyOf, type Discharged, type DeclaredValues, type ContextsFor,
} from './context/namespace.ts';
export { provide, named, type Provided, type DefaultsOf } from './context/provide.ts';
export { run, runSync, type RunOptions, type RunResult, type RunOptionsArg, type RunInputs } from './context/run.ts';

// layers: defineLayer / defineContainer, structural, context and tensor layers
export * from './layers/index.ts';

// optics and the Chain API
export * from './optics/index.ts';

// adapters and LoRA
export * from './adapters/index.ts';

// weights I/O (bytes, Responses and URLs; files and folders are in canopy-nn/node)
export { fetchBytes, resolveUrl, type BytesSource, type FetchOptions, type FetchProgress } from './io/fetch.ts';
export * from './io/stateDict.ts';
export {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  fetchSafetensors,
  parseSafetensorsHeader,
  type SafetensorsContents,
  type DecodeSafetensorsOptions,
  type EncodeSafetensorsOptions,
  type NamedTable,
} from './io/safetensors.ts';
export type { SafetensorsEntry, SafetensorsHeader } from './io/safetensorsHeader.ts';
export { safetensorsDTypes, type SafetensorsDType } from './io/safetensorsDtypes.ts';

// tfjs weights and key maps (weights from other formats)
export {
  parseTfjsManifest,
  decodeTfjsWeights,
  type TfjsManifest,
  type TfjsWeightGroup,
  type TfjsWeightSpec,
  type TfjsQuantization,
  type TfjsDType,
  type TfjsQuantizationDType,
  type TfjsShards,
  type TfjsWeights,
} from './io/tfjsManifest.ts';
export { fetchTfjsWeights } from './io/tfjsFetch.ts';
export { applyKeyMap, convertLayout, stateDictSize, type Layout, type KeyMapEntry, type KeyMap, type ApplyKeyMapOptions } from './io/keyMap.ts';

// models
export * from './models/index.ts';

// printing
export { printTree, type PrintOptions } from './print/tree.ts';
export { printTreeHtml, type PrintTreeHtmlOptions } from './print/treeHtml.ts';
export { layerLabel } from './print/label.ts';

// gradients and training
export * from './grad/index.ts';
export * from './train/index.ts';
