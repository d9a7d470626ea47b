// Every op as one record, the source of `withBackend` and of the bound-ops type. @internal

export { abs, add, clamp, cos, div, equal, erf, exp, greater, less, log, maximum, minimum, mul, neg, pow, rsqrt, sigmoid, sin, sqrt, sub, tanh, where } from './elementwise.ts';
export { gelu, hardSigmoid, hardSwish, leakyRelu, relu, silu } from './activation.ts';
export { argmax, max, mean, min, sum, variance } from './reduce.ts';
export { logSoftmax, softmax } from './softmax.ts';
export { broadcastTo, flatten, permute, reshape, squeeze, transpose, unflatten, unsqueeze } from './shape.ts';
export { chunk, concat, narrow, slice, split, stack } from './slice.ts';
export { pad } from './pad.ts';
export { linear, matmul } from './linalg.ts';
export { conv2d, convTranspose2d } from './conv.ts';
export { adaptiveAvgPool2d, avgPool2d, globalAvgPool, maxPool2d } from './pool.ts';
export { batchNorm, groupNorm, instanceNorm, layerNorm } from './norm.ts';
export { scaledDotProductAttention } from './attention.ts';
export { interpolate, pixelShuffle, pixelUnshuffle } from './interpolate.ts';
export { embedding, gather, indexSelect } from './gather.ts';
export { gatherAlong } from './gatherAlong.ts';
