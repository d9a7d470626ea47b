// Lexical scope of contexts. A provider's namespaces live in slots of the evaluation state, keyed
// by the provider's path; the environment maps each namespace to the slot of the nearest
// enclosing provider. Entering a provider opens fresh slots (defaults, then the caller's values);
// leaving it drops them, so nothing persists by accident.
import { CanopyError } from '../errors.ts';
import { type Env, type State, atText, pathString } from '../core/Eval.ts';
import type { AnyLayer, ContextDecl } from '../core/Layer.ts';
import { isUnset } from './namespace.ts';
import { ownCopy, setOwn } from './draft.ts';
import { pinDeviceTensors } from '../tensor/device.ts';

// --- model

/** The slot prefix of the run itself: the root's namespaces and the caller's live there. */
export const RUN_SCOPE = '';

// --- destructors

/** The slot of `ns` for a read or write by the layer at `env.at`; throws when out of scope. */
export function resolveSlot(env: Env, ns: string, key: string, op: string): string {
  // Own properties only: a namespace may be called `constructor` or `__proto__`.
  const slot = Object.hasOwn(env.scopes, ns) ? env.scopes[ns] : undefined;
  if (slot !== undefined) return slot;
  const visible = Object.keys(env.scopes);
  throw new CanopyError(
    'context',
    `${op}: namespace "${ns}" must be provided by an enclosing layer or passed to run, got a use of ` +
      `"${ns}"."${key}" with ${visible.length === 0 ? 'no namespaces in scope' : `namespaces in scope: ${visible.join(', ')}`} ` +
      atText(env.at),
    { path: pathString(env.at) },
  );
}

/** Reads `ns.key`; throws when the namespace is out of scope, the key undeclared or unset. */
export function readContext(env: Env, s: State, ns: string, key: string, op: string): unknown {
  const v = s[declaredSlot(env, s, ns, key, op)]![key];
  if (isUnset(v)) {
    throw new CanopyError(
      'context',
      `${op}: context "${ns}"."${key}" must be set before it is read, got a key declared without a default ` +
        `(pass it to run({ contexts }) or set it with SetContext first) ${atText(env.at)}`,
      { path: pathString(env.at) },
    );
  }
  return v;
}

// --- combinators

/** A new state where `ns.key` holds `value`. */
export function writeContext(env: Env, s: State, ns: string, key: string, value: unknown, op: string): State {
  const slot = declaredSlot(env, s, ns, key, op);
  // A later layer may read what is written: its device tensors are never released as dead.
  pinDeviceTensors(value);
  // Not frozen here: these records never leave the interpreter except through `run`, which
  // freezes what it returns (freezing on every write cost ~7% of a contextual model's run).
  // Copy-then-assign keeps V8's fast object shapes (a computed key in a literal does not).
  // The run's own copy of what is written (a caller's object is never frozen or edited later).
  const record: Record<string, unknown> = { ...s[slot] };
  setOwn(record, key, ownCopy(value, () => `${op}: context "${ns}"."${key}" (at ${pathString(env.at)})`));
  const next: Record<string, Readonly<Record<string, unknown>>> = { ...s };
  next[slot] = record;
  return next;
}

/**
 * Opens the provider `node`'s namespaces (evaluated at `env.at`): the environment sees them, the
 * state holds their defaults overridden by the caller's values for the same keys.
 */
export function enterProvider(decl: ContextDecl, env: Env, s: State): readonly [Env, State] {
  const scopes: Record<string, string> = { ...env.scopes };
  const next: Slots = { ...s };
  for (const ns of Object.keys(decl)) openSlot(pathString(env.at), ns, decl, env.overrides, scopes, next);
  return [{ ...env, scopes }, next];
}

/** Drops the slots that {@link enterProvider} opened. */
export function exitProvider(decl: ContextDecl, env: Env, s: State): State {
  const prefix = pathString(env.at);
  const next: Slots = { ...s };
  for (const ns of Object.keys(decl)) delete next[`${prefix}#${ns}`];
  return next;
}

/**
 * The run's own scope: the root's namespaces and the caller's (copied, see draft.ts `ownCopy`),
 * each in its slot of the initial state.
 * @internal
 */
export function runScope(
  declared: ContextDecl,
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): { scopes: Record<string, string>; state: Slots } {
  const scopes: Record<string, string> = {};
  const state: Slots = {};
  for (const ns of new Set([...Object.keys(declared), ...Object.keys(overrides)])) openSlot(RUN_SCOPE, ns, declared, overrides, scopes, state);
  return { scopes, state };
}

/** The run-scope namespaces of a final state, frozen, by namespace name. @internal */
export function runContexts(s: State, handOut: <T>(v: T) => T): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  const contexts: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [slot, values] of Object.entries(s)) {
    if (slot.startsWith(`${RUN_SCOPE}#`)) setOwn(contexts, slot.slice(1), handOut(values));
  }
  return Object.freeze(contexts);
}

// --- utils

type Slots = Record<string, Readonly<Record<string, unknown>>>;

/** The slot of `ns` after checking that it is in scope and declares `key`. */
function declaredSlot(env: Env, s: State, ns: string, key: string, op: string): string {
  const slot = resolveSlot(env, ns, key, op);
  if (!Object.hasOwn(s[slot]!, key)) throw undeclaredKey(env, ns, key, s[slot]!, op);
  return slot;
}

/** Opens slot `prefix#ns`: the declared defaults, then the caller's values for declared keys. */
function openSlot(prefix: string, ns: string, decl: ContextDecl, overrides: ContextDecl, scopes: Record<string, string>, state: Slots): void {
  const slot = `${prefix}#${ns}`;
  setOwn(scopes, ns, slot);
  const given = Object.hasOwn(overrides, ns) ? overrides[ns] : undefined;
  const defaults = Object.hasOwn(decl, ns) ? decl[ns]! : undefined;
  if (defaults === undefined || given === undefined) return void (state[slot] = defaults ?? given ?? {});
  const out: Record<string, unknown> = { ...defaults };
  for (const k of Object.keys(given)) if (Object.hasOwn(defaults, k)) setOwn(out, k, given[k]);
  state[slot] = Object.freeze(out);
}

function undeclaredKey(env: Env, ns: string, key: string, values: object, op: string): CanopyError {
  const keys = Object.keys(values);
  return new CanopyError(
    'context',
    `${op}: key "${key}" must be declared in namespace "${ns}", got declared keys: ${keys.length === 0 ? '(none)' : keys.join(', ')} ` +
      atText(env.at),
    { path: pathString(env.at) },
  );
}

/** Every namespace → keys declared anywhere in a tree (for validating what the caller passes). */
export function declaredKeys(root: AnyLayer): ReadonlyMap<string, ReadonlySet<string>> {
  const hit = declaredCache.get(root);
  if (hit !== undefined) return hit;
  const out = new Map<string, Set<string>>();
  const visit = (n: AnyLayer): void => {
    if (n.contexts !== undefined) {
      for (const [ns, values] of Object.entries(n.contexts)) {
        const keys = out.get(ns) ?? new Set<string>();
        for (const k of Object.keys(values)) keys.add(k);
        out.set(ns, keys);
      }
    }
    n.children.forEach(visit);
  };
  visit(root);
  declaredCache.set(root, out);
  return out;
}

const declaredCache = new WeakMap<AnyLayer, ReadonlyMap<string, ReadonlySet<string>>>();
