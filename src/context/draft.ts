// Pure updates of context values with a draft. Callbacks edit a draft in Refiners' in-place style
// (`list.push(x)`, `list.pop()`) and a new frozen value comes out; nothing is mutated.
//
// Fast path: most context edits touch the top level of an array or object (push a residual, pop
// one, set a key). When every item is frozen (or a primitive), a shallow copy IS a correct draft:
// an edit that reaches deeper throws instead of leaking. That costs ~0.4 µs where an immer draft
// costs ~10 µs (measured here). A deeper edit throws a TypeError on the frozen item; the recipe is
// then run again on a real immer draft. Recipes must therefore be pure (edit the draft only).
// Values whose items are not all frozen (a caller's plain objects) always go through immer, which
// never writes to its base.
//
// The copy's new items are deep-frozen; the copy itself is not: it stays inside the run's state,
// and every place that hands a context value out (UseContext, TakeContext, the contexts `run`
// returns) freezes it there. Freezing on every write cost ~10% of a contextual model's run.
import { produce, freeze, isDraft, current as currentOf } from 'immer';

// --- model

/** What a recipe did: the value it returned and the value the draft holds afterwards. */
export interface Drafted<R> {
  readonly returned: R;
  readonly next: unknown;
}

// --- combinators

/**
 * Runs `recipe` on a draft of `value` and returns what it returned and the draft's final state
 * (deep-frozen; `value` itself is untouched). Non-draftable values (numbers, strings, tensors) are
 * passed as they are.
 */
export function withDraft<R>(value: unknown, recipe: (draft: unknown) => R): Drafted<R> {
  const copy = shallowCopy(value);
  if (copy === undefined) return { returned: recipe(value), next: value };
  if (!itemsFrozen(copy)) return withImmer(value, recipe);
  try {
    const returned = recipe(copy);
    return { returned: returned === (copy as unknown) ? (value as R) : returned, next: shallowEquals(copy, value) ? value : freezeNewItems(copy) };
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return withImmer(value, recipe);
  }
}

function withImmer<R>(value: unknown, recipe: (draft: unknown) => R): Drafted<R> {
  let returned: R | undefined;
  const next = produce(value, (draft: unknown) => {
    const r = recipe(draft);
    returned = (isDraft(r) ? currentOf(r as object) : r) as R;
  });
  return { returned: returned as R, next };
}

// --- utils

/** Deep-freezes the items a recipe added (the old ones are frozen already); the copy stays open. */
function freezeNewItems(copy: unknown[] | Record<string, unknown>): unknown {
  forEachItem(copy, (v) => {
    if (isOpenObject(v)) freeze(v, true);
    return true;
  });
  return copy;
}

function itemsFrozen(copy: unknown[] | Record<string, unknown>): boolean {
  return forEachItem(copy, (v) => !isOpenObject(v));
}

function isOpenObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Object.isFrozen(v);
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

/**
 * A context value on its way out of the run's state (to a layer or to the caller): frozen, so
 * nothing outside can change what later layers will read.
 */
export function handOut<T>(value: T): T {
  return typeof value === 'object' && value !== null && !Object.isFrozen(value) ? freeze(value, true) : value;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function shallowCopy(x: unknown): unknown[] | Record<string, unknown> | undefined {
  if (Array.isArray(x)) return [...(x as unknown[])];
  if (isPlainObject(x) && (x as { _tag?: unknown })._tag === undefined) return { ...x };
  return undefined;
}

function shallowEquals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && Object.is(a[k], b[k]));
  }
  return false;
}
