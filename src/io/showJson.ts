// Parsed JSON values shown in error messages: cut to a few characters however large or deeply
// nested the value is. JSON.stringify would recurse through 10,000 nested arrays into a
// RangeError (and through a 1 MB value into a long message).

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
