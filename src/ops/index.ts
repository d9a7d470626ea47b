// Public surface of the ops module: every op (async, backend first), their option types, and
// `withBackend` to bind a backend.
export * from './all.ts';
export { withBackend } from './withBackend.ts';
export type { BoundOps } from './withBackend.ts';
export type { Operand } from './util.ts';
export type { GeluApproximation } from './activation.ts';
export type { Axes, ReduceOptions, VarOptions } from './reduce.ts';
export type { SliceSpec } from './slice.ts';
export type { PadOpMode, PadOptions } from './pad.ts';
export type { Conv2dOptions, Conv2dPadding, ConvTranspose2dOptions } from './conv.ts';
export type { AvgPool2dOptions, Pool2dOptions } from './pool.ts';
export type { NormOptions } from './norm.ts';
export type { AttentionOptions } from './attention.ts';
export type { InterpolateOptions } from './interpolate.ts';
