// How kinds come to be. Users never build one directly: `defineLayer` / `defineContainer` (in
// layers/define.ts) make the kind of a constructor, and `named` (context/provide.ts) derives one
// for a tree. @internal
import type { Kind } from './Layer.ts';

// --- constructors

/** The fields a kind is made from; `family` defaults to the kind itself. @internal */
export type KindFields = Pick<Kind, 'name' | 'run'> & Partial<Omit<Kind, 'name' | 'run'>>;

/** A frozen kind record. @internal */
export function makeKind(fields: KindFields): Kind {
  const kind: { -readonly [K in keyof Kind]: Kind[K] } = {
    tag: undefined,
    showOnlyTag: false,
    defaults: {},
    describe: undefined,
    fuseNext: undefined,
    ...fields,
    family: fields.family as Kind,
  };
  if (fields.family === undefined) kind.family = kind;
  return Object.freeze(kind);
}

/**
 * The kind that evaluates as `family` under another name (a Refiners subclass without a new
 * forward, such as `class MyModel(fl.Chain)`). The same (family, name) always gives the same kind,
 * so equal trees built separately compare equal. @internal
 */
export function kindNamed(family: Kind, name: string): Kind {
  let byName = derived.get(family);
  if (byName === undefined) derived.set(family, (byName = new Map()));
  const hit = byName.get(name);
  if (hit !== undefined) return hit;
  const kind = makeKind({ ...family, name, family, showOnlyTag: false });
  byName.set(name, kind);
  return kind;
}

const derived = new WeakMap<Kind, Map<string, Kind>>();
