// The one error type canopy throws. Every module imports it from here, so it sits below all layers.

// --- model

/** What went wrong, as a stable machine-readable code. */
export type CanopyErrorCode =
  | 'shape' // tensor shapes or ranks do not fit
  | 'dtype' // unsupported or mismatched dtype
  | 'argument' // a bad option or argument value
  | 'arity' // a layer got the wrong number of inputs
  | 'context' // missing namespace, unset key, wrong use of a context
  | 'path' // a path or child name that does not exist
  | 'structure' // a tree edit that breaks an invariant
  | 'control' // Return / Breakpoint misuse
  | 'async' // an asynchronous layer run synchronously
  | 'layer' // a failure inside a layer's own code (Lambda, user kinds)
  | 'io' // reading or writing weights
  | 'backend'; // kernel backend selection or failure

/** Optional details attached to a {@link CanopyError}. */
export interface CanopyErrorDetails {
  /** Dotted path of the layer where it happened, e.g. `Chain.Sum_1.Linear_2`. */
  readonly path?: string;
  /** The original error, when this one reports a failure caught inside a layer. */
  readonly cause?: unknown;
}

/**
 * The single error class of canopy. Messages read `<op>: <what must hold>, got <actual> (at <path>)`.
 *
 * @example
 * ```ts
 * import { CanopyError } from 'canopy-nn';
 * const e = new CanopyError('shape', 'add: shapes must broadcast, got [2,3] and [4]');
 * e.code; // 'shape'
 * ```
 */
export class CanopyError extends Error {
  override readonly name = 'CanopyError';
  readonly code: CanopyErrorCode;
  readonly path: string | undefined;

  constructor(code: CanopyErrorCode, message: string, details: CanopyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
  }
}
