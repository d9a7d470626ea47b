// Public surface of the tensor module. Internals (strides, axis lists, half-float bit conversions,
// the movement routines of strided.ts) are imported from their files by the code that needs them.
export { isTensor, makeTensor, showShape, sizeOf } from './Tensor.ts';
export type { DType, Tensor, TypedArrayFor } from './Tensor.ts';
export { disposeTensor, isOnDevice, readTensor } from './device.ts';
export { arange, fromArray, fromTypedArray, full, ones, scalar, zeros } from './create.ts';
export type { LoadDType, NestedArray } from './create.ts';
export { deriveSeed, randn, uniform } from './random.ts';
export { formatSummary, summary, toNested } from './summary.ts';
export type { TensorSummary } from './summary.ts';
export { allClose, tensorEquals } from './compare.ts';
export type { AllCloseOptions } from './compare.ts';
export { broadcastShapes, normalizeAxis } from './shape.ts';
export { MAX_TENSOR_SIZE } from './limits.ts';
