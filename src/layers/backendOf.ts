// Where tensor layers get their kernels: the run's environment (Reader), never an import.
import type { Backend } from '../backend/Backend.ts';
import { getDefaultBackend } from '../backend/select.ts';
import type { Env } from '../core/Eval.ts';

/**
 * The backend of the current run: `run(model, inputs, { backend })`, else the global default.
 *
 * @example
 * ```ts
 * import { defineLayer, backendOf, relu } from 'canopy-nn';
 * const MyReLU = defineLayer({ name: 'MyReLU', forward: ([x]: [import('canopy-nn').Tensor], _a: {}, env) => relu(backendOf(env), x) });
 * ```
 */
export function backendOf(env: Env): Backend {
  return (env.options.backend as Backend | undefined) ?? getDefaultBackend();
}
