// What `run` checks before it starts, so that a misuse is one CanopyError with the fix rather
// than a TypeError deep in the interpreter: a model that is a layer, inputs given as an array of
// arguments, a tree within the nesting limit.
import { CanopyError } from '../errors.ts';
import type { AnyLayer } from '../core/Layer.ts';
import { isLayer } from '../core/Layer.ts';
import { checkDepth } from '../core/depth.ts';

// --- destructors

/**
 * Throws the CanopyError of a `run(model, inputs)` call that cannot start.
 * @internal
 */
export function checkRunArguments(op: string, model: unknown, inputs: unknown): void {
  if (!isLayer(model)) {
    throw new CanopyError('argument', `${op}: the model must be a layer, got ${describe(model)}`);
  }
  if (!Array.isArray(inputs)) {
    throw new CanopyError('argument', `${op}: inputs must be an array of the model's arguments, got ${describe(inputs)}; write ${op}(model, [x]), not ${op}(model, x)`);
  }
  checkDepth(model as AnyLayer, op);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as { _tag?: unknown })._tag === 'Tensor' ? 'a Tensor' : `an object (${(v.constructor as { name?: string } | undefined)?.name ?? 'no prototype'})`;
  return typeof v === 'string' ? `the string ${JSON.stringify(v.slice(0, 40))}` : `${typeof v} ${String(v)}`;
}
