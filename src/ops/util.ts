// Helpers shared by the ops: operand coercion, validation with messages naming the op. @internal

import type { Backend } from '../backend/Backend.ts';
import { CanopyError, type CanopyErrorCode } from '../errors.ts';
import { full } from '../tensor/create.ts';
import { isTensor, showShape, type Tensor } from '../tensor/Tensor.ts';

/** A tensor or a plain number (a float32 scalar), as binary ops accept. */
export type Operand = Tensor | number;

/** Throws `<op>: <message>` as a CanopyError. @internal */
export function fail(code: CanopyErrorCode, op: string, message: string): never {
  throw new CanopyError(code, `${op}: ${message}`);
}

/** Checks that `x` is a tensor (a common mistake from untyped callers). @internal */
export function checkTensor(op: string, x: unknown, what = 'input'): asserts x is Tensor {
  if (!isTensor(x)) fail('argument', op, `${what} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** A number becomes a float32 scalar; a tensor passes through. @internal */
export function toTensor(op: string, x: Operand, what = 'input'): Tensor {
  if (typeof x === 'number') return full([], x);
  checkTensor(op, x, what);
  return x;
}

/** The float32 view of an operand (int32 tensors are cast). @internal */
export async function asFloat(b: Backend, op: string, x: Operand, what = 'input'): Promise<Tensor> {
  const t = toTensor(op, x, what);
  return t.dtype === 'float32' ? t : await b.cast(t, 'float32');
}

/** Checks a tensor's rank is one of `ranks`. @internal */
export function checkRank(op: string, x: Tensor, ranks: readonly number[], what = 'input'): void {
  if (!ranks.includes(x.shape.length)) {
    const want = ranks.length === 1 ? `rank ${ranks[0]}` : `rank ${ranks.slice(0, -1).join(', ')} or ${ranks.at(-1)}`;
    fail('shape', op, `${what} must be ${want}, got ${showShape(x.shape)}`);
  }
}

/** Checks a positive integer option. @internal */
export function checkPositiveInt(op: string, value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) fail('argument', op, `${what} must be a positive integer, got ${value}`);
}

/** Checks a non-negative integer option. @internal */
export function checkNonNegativeInt(op: string, value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) fail('argument', op, `${what} must be a non-negative integer, got ${value}`);
}

/** Checks both numbers of a pair option: positive integers, or non-negative ones. @internal */
export function checkPair(op: string, v: readonly [number, number], what: string, positive: boolean): void {
  for (const n of v) (positive ? checkPositiveInt : checkNonNegativeInt)(op, n, what);
}

/** A number or `[h, w]` as a pair. @internal */
export function pair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

export { showShape };
