// JSON read from untrusted files (safetensors headers, tfjs manifests): parsed from bytes that
// may not be UTF-8, and shown in error messages cut to a few characters however large or deeply
// nested the value is. JSON.stringify would recurse through 10,000 nested arrays into a
// RangeError (and through a 1 MB value into a long message).
import * as E from 'fp-ts/lib/Either.js';

// --- destructors

/**
 * `v` as JSON text, cut to about `max` characters with `…`. Stops descending once the budget is
 * spent, so its recursion is at most `max` deep.
 *
 * @example
 * ```ts
 * showJson({ a: [1, 2] }); // '{"a":[1,2]}'
 * showJson(JSON.parse('['.repeat(10000) + ']'.repeat(10000))).length; // 81
 * ```
 * @internal
 */
export function showJson(v: unknown, max = 80): string {
  let out = '';
  const put = (s: string): boolean => {
    out += s;
    return out.length <= max;
  };
  const go = (x: unknown): boolean => {
    if (Array.isArray(x)) {
      if (!put('[')) return false;
      for (let i = 0; i < x.length; i++) if ((i > 0 && !put(',')) || !go(x[i])) return false;
      return put(']');
    }
    if (typeof x === 'object' && x !== null) {
      if (!put('{')) return false;
      let first = true;
      for (const k of Object.keys(x)) {
        if ((!first && !put(',')) || !put(`${JSON.stringify(k.length > max ? k.slice(0, max) : k)}:`) || !go((x as Record<string, unknown>)[k])) return false;
        first = false;
      }
      return put('}');
    }
    if (typeof x === 'string') return put(JSON.stringify(x.length > max ? x.slice(0, max + 1) : x));
    return put(x === undefined ? 'undefined' : typeof x === 'bigint' ? `${x}n` : JSON.stringify(x) ?? String(x));
  };
  return go(v) ? out : `${out.slice(0, max)}…`;
}

/**
 * Parses JSON text or strict UTF-8 bytes; the `Left` completes a "must be ..." message.
 *
 * @example
 * ```ts
 * parseJson(new Uint8Array([0xff])); // left('valid UTF-8, got invalid bytes')
 * ```
 * @internal
 */
export function parseJson(json: string | Uint8Array): E.Either<string, unknown> {
  let text = json;
  if (typeof text !== 'string') {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(text);
    } catch {
      return E.left('valid UTF-8, got invalid bytes');
    }
  }
  try {
    return E.right(JSON.parse(text) as unknown);
  } catch (e) {
    return E.left(`valid JSON, got ${(e as Error).message}`);
  }
}

/** Bytes of a tensor of `shape` with `elementBytes` per element, or `undefined` past 2^53 (a hostile shape must not overflow into a matching number). @internal */
export function shapeBytes(shape: readonly number[], elementBytes: number): number | undefined {
  let bytes = elementBytes;
  for (const d of shape) {
    bytes *= d;
    if (!Number.isSafeInteger(bytes)) return undefined;
  }
  return bytes;
}
