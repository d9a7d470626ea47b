// Training: losses, optimisers as values, schedules and the loop.
export { mseLoss, crossEntropyLoss, binaryCrossEntropyLoss } from './losses.ts';
export { cosineDecaySchedule, warmupCosineSchedule, type Schedule } from './schedules.ts';
export {
  sgd, adam, adamw, clipByGlobalNorm, chain, globalNorm, applyUpdates,
  type Optimizer, type OptimizerState, type LearningRate, type SgdOptions, type AdamOptions,
} from './optimizers.ts';
export {
  fit, permutation, takeRows,
  type Dataset, type ProgressSink, type StepInfo, type EpochSummary, type FitOptions, type FitResult,
} from './fit.ts';
