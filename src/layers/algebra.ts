// The small value algebra of the structural layers: Sum adds, Concatenate concatenates, Matmul
// multiplies. Numbers work out of the box; tensors plug in through the same interface, so the
// structural layers never know which kind of value flows through them.
import { CanopyError } from '../errors.ts';
import type { Env } from '../core/Eval.ts';
import type { Step } from '../core/step.ts';
import { tensorAlgebra } from './tensorAlgebra.ts';

// --- model

/** How one family of values (numbers, tensors, ...) adds, concatenates and multiplies. */
export interface ValueAlgebra {
  readonly name: string;
  /** True when this algebra handles `x`. */
  readonly accepts: (x: unknown) => boolean;
  readonly add: (a: unknown, b: unknown, env: Env) => Step<unknown>;
  readonly concat: (values: readonly unknown[], dim: number, env: Env) => Step<unknown>;
  readonly matmul: (a: unknown, b: unknown, env: Env) => Step<unknown>;
}

// --- constructors

/** Plain numbers (scalars) and plain arrays of numbers (vectors, concatenated along dim 0). */
export const numberAlgebra: ValueAlgebra = {
  name: 'number',
  accepts: (x) => typeof x === 'number' || (Array.isArray(x) && x.every((v) => typeof v === 'number')),
  add: (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    throw new CanopyError('argument', `add: both values must be numbers, got ${describeValueType(a)} and ${describeValueType(b)}`);
  },
  concat: (values, dim) => {
    if (dim !== 0 && dim !== -1) throw new CanopyError('argument', `concat: dim must be 0 for number arrays, got ${dim}`);
    return Object.freeze(values.flatMap((v) => (typeof v === 'number' ? [v] : (v as number[]))));
  },
  matmul: (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    throw new CanopyError('argument', `matmul: both values must be numbers, got ${describeValueType(a)} and ${describeValueType(b)}`);
  },
};

// Built in, not registered on import: a model works whatever modules its user happened to import.
const algebras: ValueAlgebra[] = [tensorAlgebra, numberAlgebra];

/**
 * Adds an algebra (checked before the built-in ones), e.g. for a value type of your own.
 */
export function registerAlgebra(algebra: ValueAlgebra): void {
  if (!algebras.some((a) => a.name === algebra.name)) algebras.unshift(algebra);
}

// --- destructors

/** The algebra that handles every value in `values`; a clear error when there is none. */
export function algebraFor(op: string, values: readonly unknown[]): ValueAlgebra {
  const found = algebras.find((a) => values.every(a.accepts));
  if (found !== undefined) return found;
  throw new CanopyError(
    'argument',
    `${op}: values must all be numbers or all tensors, got ${values.map(describeValueType).join(', ')}`,
  );
}

/** A short description of a value's type for error messages. */
export function describeValueType(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `array(${x.length})`;
  if (typeof x === 'object') {
    const shape = (x as { shape?: unknown }).shape;
    return Array.isArray(shape) ? `tensor[${shape.join(',')}]` : 'object';
  }
  return typeof x;
}
