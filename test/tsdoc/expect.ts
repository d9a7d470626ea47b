// The assertions TSDoc examples' result comments become (see extract.ts). A value comment is
// compared structurally: arrays and typed arrays element by element, objects key by key, and a
// number also matches the float32 value it names (a comment says `0.1` for Math.fround(0.1)); a
// typed array (`// Float32Array [1, 2]`) must be of that type.

/** Throws unless `actual` is the value the comment `// expected` names. */
export function expectValue(actual: unknown, expected: unknown, where: string): void {
  if (!same(actual, expected)) throw new Error(`${where}: the example's comment says ${show(expected)}, got ${show(actual)}`);
}

/** Throws unless `actual` is the string the comment lines below the statement print. */
export function expectText(actual: unknown, expected: string, where: string): void {
  if (actual !== expected) throw new Error(`${where}: the example's comment lines say\n${expected}\ngot\n${typeof actual === 'string' ? actual : show(actual)}`);
}

function same(a: unknown, e: unknown): boolean {
  if (Object.is(a, e)) return true;
  if (typeof a === 'number' && typeof e === 'number') return Math.fround(e) === a;
  if (typeof a !== 'object' || typeof e !== 'object' || a === null || e === null) return false;
  if (ArrayBuffer.isView(e) && a.constructor !== e.constructor) return false;
  const arrayLike = (v: object): v is ArrayLike<unknown> => Array.isArray(v) || ArrayBuffer.isView(v);
  if (arrayLike(a) || arrayLike(e)) {
    if (!arrayLike(a) || !arrayLike(e) || a.length !== e.length) return false;
    return Array.from(a).every((v, i) => same(v, e[i]));
  }
  const ka = Object.keys(a);
  const ke = Object.keys(e);
  return ka.length === ke.length && ke.every((k) => Object.prototype.hasOwnProperty.call(a, k) && same((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k]));
}

function show(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  try {
    return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? String(x) : x === undefined ? 'undefined' : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
