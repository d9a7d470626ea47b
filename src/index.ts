// canopy's public surface.

// errors
export * from './errors.ts';

// tensors, backends, ops
export * from './tensor/index.ts';
export type { Backend, UnaryOp, BinaryOp, ReduceOp, MovementOp, OtherOp, PrimitiveOp, PoolOp, PadMode, Pair, Conv2dParams, ConvTranspose2dParams, Pool2dParams } from './backend/Backend.ts';
export { referenceBackend } from './backend/reference/index.ts';
export { createGpujsBackend, gpujsModes, type GpujsBackend, type GpujsBackendOptions, type GpujsMode } from './backend/gpujs/index.ts';
export * from './backend/select.ts';
export * from './ops/index.ts';

// core: the layer protocol
export * from './core/step.ts';
export * from './core/tuple.ts';
export * from './core/Layer.ts';
export type { Eval, Env, State, PathEntry, EvalOptions, BreakpointEvent, ContextValues } from './core/Eval.ts';
export { pathString } from './core/Eval.ts';
/** The Eval combinators (of, map, flatMap, ask, get, put, local, sequence, fromStep), fp-ts style. */
export * as Evaluation from './core/Eval.ts';
export * from './core/names.ts';
export * from './core/equals.ts';
export * from './core/defineKind.ts';

// context: namespaces, scope, the interpreter
export * from './context/namespace.ts';
export { provide, named, type Provided, type DefaultsOf } from './context/provide.ts';
export { evalChild } from './context/evaluate.ts';
export { run, runSync, type RunOptions, type RunResult, type RunOptionsArg, type RunInputs } from './context/run.ts';

// layers
export * from './layers/algebra.ts';
export { backendOf } from './layers/backendOf.ts';
export { tensorAlgebra } from './layers/tensorAlgebra.ts';
export { Chain, ChainKind, type Next, type BrokenChain } from './layers/structural/Chain.ts';
export { Residual, ResidualKind } from './layers/structural/Residual.ts';
export { Passthrough, PassthroughKind } from './layers/structural/Passthrough.ts';
export { Sum, SumKind } from './layers/structural/Sum.ts';
export { Parallel, ParallelKind, type OutputsOf } from './layers/structural/Parallel.ts';
export { Distribute, DistributeKind } from './layers/structural/Distribute.ts';
export { Concatenate, ConcatenateKind, type ConcatenateOptions } from './layers/structural/Concatenate.ts';
export { Matmul, MatmulKind } from './layers/structural/Matmul.ts';
export { Lambda, LambdaKind } from './layers/structural/Lambda.ts';
export { Identity } from './layers/structural/Identity.ts';
export { GetArg } from './layers/structural/GetArg.ts';
export { Return, ReturnKind } from './layers/structural/Return.ts';
export { Breakpoint } from './layers/structural/Breakpoint.ts';
export { SetContext, SetContextKind } from './layers/context/SetContext.ts';
export { UseContext, UseContextKind } from './layers/context/UseContext.ts';
export { TakeContext, TakeContextKind } from './layers/context/TakeContext.ts';

// tensor layers
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
  decodeTfjsWeight,
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
