// Public surface of the tensor module.
export { isTensor, makeTensor, showShape, sizeOf } from './Tensor.ts';
export type { DType, Tensor, TypedArrayFor } from './Tensor.ts';
export { arange, fromArray, fromTypedArray, full, ones, scalar, zeros } from './create.ts';
export type { LoadDType, NestedArray } from './create.ts';
export { deriveSeed, rand, randn, randomBits, uniform } from './random.ts';
export { formatSummary, summary, toNested } from './summary.ts';
export type { TensorSummary } from './summary.ts';
export { allClose, tensorEquals } from './compare.ts';
export type { AllCloseOptions } from './compare.ts';
export {
  broadcastShapes,
  broadcastStrides,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  stridesOf,
} from './shape.ts';
export {
  bfloat16BitsToNumber,
  float16BitsToNumber,
  halfToFloat32,
  numberToBfloat16Bits,
  numberToFloat16Bits,
} from './convert.ts';
