// A failure inside a layer, caught once where it happened and carried unchanged to `run`, which
// turns it into one CanopyError with the path, a tree excerpt and the inputs: no wrapper chains.
import type { PathEntry } from '../core/Eval.ts';

// --- model

/** @internal The innermost failing layer, its inputs and the original error. */
export class LayerFailure extends Error {
  constructor(
    readonly at: PathEntry,
    readonly inputs: readonly unknown[],
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

// --- constructors

/** Re-throws a failure, recording where it happened unless an inner layer already did. */
export function failAt(at: PathEntry, inputs: readonly unknown[]): (e: unknown) => never {
  return (e) => {
    throw e instanceof LayerFailure ? e : new LayerFailure(at, inputs, e);
  };
}
