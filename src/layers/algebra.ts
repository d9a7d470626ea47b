// The small value algebra of the structural layers: Sum adds, Concatenate concatenates, Matmul
// multiplies. Tensors and numbers are built in; a run may bring algebras of its own
// (`run(m, x, { algebras })`), looked up before them. Nothing is registered globally, so a model
// behaves the same whatever its user happened to import.
import { CanopyError } from '../errors.ts';
import type { Env, ValueAlgebra } from '../core/Eval.ts';
import { add } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { concat } from '../ops/slice.ts';
import { isTensor, type Tensor } from '../tensor/Tensor.ts';
import { backendOf } from './backendOf.ts';

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

/** Tensors: Sum and Residual add with broadcasting, Concatenate joins along a dim, Matmul is the batched matmul, on the run's backend. */
const tensorAlgebra: ValueAlgebra = {
  name: 'tensor',
  accepts: (x) => isTensor(x),
  add: (a, b, env) => add(backendOf(env), a as Tensor, b as Tensor),
  concat: (values, dim, env) => concat(backendOf(env), values as Tensor[], dim),
  matmul: (a, b, env) => matmul(backendOf(env), a as Tensor, b as Tensor),
};

const builtIn: readonly ValueAlgebra[] = [tensorAlgebra, numberAlgebra];

// --- destructors

/** The algebra that handles every value in `values`: the run's own first, then the built-in ones. */
export function algebraFor(op: string, values: readonly unknown[], env: Env): ValueAlgebra {
  const accepts = (a: ValueAlgebra): boolean => values.every(a.accepts);
  const found = env.options.algebras?.find(accepts) ?? builtIn.find(accepts);
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
