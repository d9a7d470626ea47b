// Tensors in the structural layers' value algebra: Sum and Residual add with broadcasting,
// Concatenate joins along a dim, Matmul is the batched matmul, all on the run's backend.
import { isTensor } from '../tensor/Tensor.ts';
import type { Tensor } from '../tensor/Tensor.ts';
import { add } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { concat } from '../ops/slice.ts';
import type { ValueAlgebra } from './algebra.ts';
import { backendOf } from './backendOf.ts';

/** The tensor algebra: one of the value algebra's built-in families. */
export const tensorAlgebra: ValueAlgebra = {
  name: 'tensor',
  accepts: (x) => isTensor(x),
  add: (a, b, env) => add(backendOf(env), a as Tensor, b as Tensor),
  concat: (values, dim, env) => concat(backendOf(env), values as Tensor[], dim),
  matmul: (a, b, env) => matmul(backendOf(env), a as Tensor, b as Tensor),
};

