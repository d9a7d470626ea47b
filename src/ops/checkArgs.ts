// Entry checks shared by ops that take an options object from plain JavaScript: an unknown key
// (a typo, or an option another library has, such as `maxPool2d(x, 2, { dilation: 2 })`) would
// otherwise be ignored and give a silently different result; an `eps` that is NaN or negative
// would give NaN or a wrong normalisation.
import { CanopyError } from '../errors.ts';

// --- destructors

/** Throws unless every key of `options` is one of `allowed`. @internal */
export function checkOptionKeys(op: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CanopyError('argument', `${op}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) {
      throw new CanopyError('argument', `${op}: options must be among {${allowed.join(', ')}}, got an unknown option ${JSON.stringify(k)}`);
    }
  }
}

/** Throws unless `eps` (when given) is a finite number ≥ 0. @internal */
export function checkEps(op: string, eps: number | undefined): void {
  if (eps !== undefined && !(typeof eps === 'number' && Number.isFinite(eps) && eps >= 0)) {
    throw new CanopyError('argument', `${op}: eps must be a finite number >= 0, got ${String(eps)}`);
  }
}
