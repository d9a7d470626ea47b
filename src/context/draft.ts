// Pure updates of context values with a draft. Callbacks edit a draft in Refiners' in-place style
// (`list.push(x)`, `list.pop()`) and a new frozen value comes out; nothing is mutated, and a
// callback runs exactly once (its own error, if it throws, is the one reported).
//
// Ownership: a run works on its own copies. Every value that enters the run's state (the
// caller's `contexts`, a provider's defaults, what SetContext writes) goes through `ownCopy`:
// plain objects, arrays, Maps and Sets are copied, primitives, functions and frozen objects
// (tensors) are shared, and anything else (a class instance, a typed array, a Date) is refused
// with a CanopyError, because no draft can protect it from an in-place edit. So the run may
// freeze what it holds, and the caller's objects are never frozen nor mutated.
//
// Fast path: most context edits touch the top level of an array or object whose items are leaves
// (push a tensor, pop one, set a key). A shallow copy IS a correct draft of such a value: there is
// nothing deeper that a legitimate edit could reach. That costs ~0.4 µs where an immer draft
// costs ~10 µs (measured here). A value with nested containers, a Map or a Set always goes
// through immer, which never writes to its base.
//
// The fast path's copy is frozen shallowly (its items are leaves or frozen already); immer's deep
// freeze on every write cost ~10% of a contextual model's run. Every place that hands a context
// value out (UseContext, TakeContext, the contexts `run` returns) freezes what is still open.
import { produce, freeze, isDraft, current as currentOf, enableMapSet } from 'immer';
import { CanopyError } from '../errors.ts';

// Map and Set context values are drafted (`map.set(k, v)` in a callback), not edited in place.
enableMapSet();

// --- model

/** What a recipe did: the value it returned and the value the draft holds afterwards. */
export interface Drafted<R> {
  readonly returned: R;
  readonly next: unknown;
}

// --- constructors

/**
 * A copy of `value` the run owns (see the file comment); `where` names it in errors, e.g.
 * `run: contexts."ns"."key"`. Nesting deeper than the stack allows is a CanopyError too.
 * @internal
 */
export function ownCopy(value: unknown, where: () => string): unknown {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const seen = new Map<object, unknown>();
  try {
    return copyDeep(value, where, '', seen);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new CanopyError('context', `${where()}: a context value must nest at most as deep as the stack allows, got ${e.message}`);
    }
    throw e;
  }
}

/**
 * Each key of each namespace of `values` as {@link ownCopy} gives it, in new records.
 * @internal
 */
export function ownContexts(
  values: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  op: string,
): Record<string, Readonly<Record<string, unknown>>> {
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const ns of Object.keys(values)) {
    const record = values[ns];
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new CanopyError('context', `${op}: namespace ${JSON.stringify(ns)} must map keys to values, got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}`);
    }
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(record)) setOwn(copy, k, ownCopy(record[k], () => `${op}: context ${JSON.stringify(ns)}.${JSON.stringify(k)}`));
    setOwn(out, ns, freeze(copy, true));
  }
  return out;
}

// --- combinators

/**
 * Runs `recipe` once on a draft of `value` and returns what it returned and the draft's final
 * state (`value` itself is untouched). Primitives and frozen objects (tensors) are passed as they
 * are; a value no draft can protect is a CanopyError naming `op`.
 */
export function withDraft<R>(value: unknown, recipe: (draft: unknown) => R, op = 'SetContext'): Drafted<R> {
  if (typeof value !== 'object' || value === null) return { returned: recipe(value), next: value };
  if (value instanceof Map || value instanceof Set) return withImmer(value, recipe);
  const copy = shallowCopy(value);
  if (copy === undefined) {
    if (Object.isFrozen(value)) return { returned: recipe(value), next: value };
    throw notDraftable(op, value, 'the context value');
  }
  if (!itemsAreLeaves(copy)) return withImmer(value, recipe);
  const returned = recipe(copy);
  if (shallowEquals(copy, value)) return { returned: returned === (copy as unknown) ? (value as R) : returned, next: value };
  freezeNewItems(copy);
  // Its items are leaves or deep-frozen now, so a shallow freeze makes it deep-frozen: cheap
  // (unlike immer's deep walk), and `ownCopy` and `handOut` then share it as it is.
  Object.freeze(copy);
  return { returned: returned === (copy as unknown) ? (copy as R) : returned, next: copy };
}

/**
 * `map(value)` for UseContext: the value is frozen, so a map that edits it fails; that failure
 * names the fix (TakeContext reads and consumes in one step) instead of a bare TypeError.
 * @internal
 */
export function mapContext(value: unknown, map: (v: unknown) => unknown, ns: string, key: string): unknown {
  try {
    return map(value);
  } catch (e) {
    if (e instanceof TypeError && typeof value === 'object' && value !== null && /read[ -]only|frozen|not extensible|Cannot (add|assign|delete|define)/i.test(e.message)) {
      throw new CanopyError(
        'context',
        `UseContext: the map of ${JSON.stringify(ns)}.${JSON.stringify(key)} must not modify the context value (it is frozen), got ${e.message}; ` +
          `to read and consume it use TakeContext(${JSON.stringify(ns)}, ${JSON.stringify(key)}, (list) => list.pop())`,
        { cause: e },
      );
    }
    throw e;
  }
}

/**
 * A context value on its way out of the run's state (to a layer or to the caller): frozen, so
 * nothing outside can change what later layers will read. Only the run's own values get here.
 */
export function handOut<T>(value: T): T {
  return typeof value === 'object' && value !== null && !Object.isFrozen(value) ? freeze(value, true) : value;
}

// --- utils

/** Defines `obj[key]` as an own property, even for `__proto__` (which assignment would not). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

function withImmer<R>(value: unknown, recipe: (draft: unknown) => R): Drafted<R> {
  let returned: R | undefined;
  const next = produce(value, (draft: unknown) => {
    const r = recipe(draft);
    returned = (isDraft(r) ? currentOf(r as object) : r) as R;
  });
  return { returned: returned as R, next };
}

function copyDeep(v: unknown, where: () => string, at: string, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  const hit = seen.get(v);
  if (hit !== undefined) return hit;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (let i = 0; i < v.length; i++) out.push(copyDeep(v[i], where, `${at}[${i}]`, seen));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(v, out);
    for (const [k, x] of v) out.set(k, copyDeep(x, where, `${at}.get(${String(k)})`, seen));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set<unknown>();
    seen.set(v, out);
    for (const x of v) out.add(copyDeep(x, where, `${at}{…}`, seen));
    return out;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? (Object.create(null) as Record<string, unknown>) : {};
    seen.set(v, out);
    for (const k of Object.keys(v)) setOwn(out, k, copyDeep(v[k], where, `${at}.${k}`, seen));
    return out;
  }
  throw notDraftable(where(), v, at === '' ? 'the value' : `the value at ${at}`);
}

function notDraftable(where: string, v: object, what: string): CanopyError {
  const name = (v.constructor as { name?: string } | undefined)?.name ?? 'object';
  return new CanopyError(
    'context',
    `${where}: ${what} must be a plain object, array, Map, Set, primitive, function or frozen object (such as a tensor), got ${ArrayBuffer.isView(v) ? `a ${name} (wrap it in a tensor)` : `a ${name} instance (freeze it, or store plain data)`}`,
  );
}

/** Deep-freezes the items a recipe added (the old ones are frozen already); the copy stays open. */
function freezeNewItems(copy: unknown[] | Record<string, unknown>): void {
  forEachItem(copy, (v) => {
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) freeze(v, true);
    return true;
  });
}

// An item a legitimate edit cannot reach into: a primitive, a function, or a frozen non-container
// (a tensor). Nested arrays, objects, Maps and Sets need a real draft.
function itemsAreLeaves(copy: unknown[] | Record<string, unknown>): boolean {
  return forEachItem(copy, (v) => typeof v !== 'object' || v === null || (Object.isFrozen(v) && !isContainer(v)));
}

function isContainer(v: object): boolean {
  return Array.isArray(v) || v instanceof Map || v instanceof Set || (isPlainObject(v) && (v as { _tag?: unknown })._tag === undefined);
}

/** Calls `f` on each item until it returns false; true when it never did (no array allocated). */
function forEachItem(copy: unknown[] | Record<string, unknown>, f: (v: unknown) => boolean): boolean {
  if (Array.isArray(copy)) {
    for (let i = 0; i < copy.length; i++) if (!f(copy[i])) return false;
    return true;
  }
  for (const k in copy) if (!f(copy[k])) return false;
  return true;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function shallowCopy(x: unknown): unknown[] | Record<string, unknown> | undefined {
  if (Array.isArray(x)) return [...(x as unknown[])];
  if (isPlainObject(x) && (x as { _tag?: unknown })._tag === undefined) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) setOwn(out, k, x[k]);
    return out;
  }
  return undefined;
}

function shallowEquals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]));
  }
  return false;
}
