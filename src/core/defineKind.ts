// How a kind comes to be: users define theirs with the same two functions the built-ins use.
import type { Env } from './Eval.ts';
import {
  type AnyLayer,
  type Args,
  type Attrs,
  type Kind,
  type Layer,
  type LayerConstructor,
  makeLayer,
} from './Layer.ts';
import { type Step, thenStep } from './step.ts';

// --- model

/** What defines a leaf kind: a name and a forward from arguments (and attributes) to an output. */
export interface LeafSpec<A extends Attrs, In extends Args, Out> {
  /** Kind name, used for child names and printing (PascalCase, like `Linear`). */
  readonly name: string;
  /** Attribute values that are not printed. Default: none. */
  readonly defaults?: Partial<A>;
  /** The computation; may return a Promise (an asynchronous kernel). */
  readonly forward: (args: In, attrs: A, env: Env) => Step<Out>;
  /** A custom one-line description instead of `Name(k=v, ...)`. */
  readonly describe?: (attrs: A) => string;
}

/** Leaf constructors take their attributes, optional when every attribute is optional. */
export type LeafConstructor<A extends Attrs, In extends Args, Out> = LayerConstructor<
  (...attrs: {} extends A ? [attrs?: A] : [attrs: A]) => Layer<In, Out>
>;

// --- constructors

/** The fields a kind is made from: `evaluate` (curried, the Eval protocol) or `run` (uncurried), or both. */
export type KindFields = Partial<Omit<Kind, 'evaluate' | 'run'>> &
  Pick<Kind, 'name'> &
  ({ readonly evaluate: Kind['evaluate']; readonly run?: Kind['run'] } | { readonly run: Kind['run']; readonly evaluate?: Kind['evaluate'] });

/**
 * Creates a kind record; `family` defaults to the kind itself. A kind derived by spreading
 * another (`{ ...SumKind, name, evaluate }`) carries the other's pair of functions: the one given
 * anew wins and the other is derived from it, so overriding either is safe.
 */
export function makeKind(fields: KindFields): Kind {
  const [evaluate, run] = evaluationPair(fields.evaluate, fields.run);
  const kind: { -readonly [K in keyof Kind]: Kind[K] } = {
    tag: undefined,
    showOnlyTag: false,
    family: undefined,
    defaults: {},
    describe: undefined,
    ...fields,
    evaluate,
    run,
  };
  if (kind.family === undefined) kind.family = kind;
  return Object.freeze(kind);
}

// The evaluate/run pairs of the kinds made so far, to tell an inherited function from a new one.
const runOfEvaluate = new WeakMap<Kind['evaluate'], Kind['run']>();
const madeRuns = new WeakSet<Kind['run']>();

function evaluationPair(evaluate: Kind['evaluate'] | undefined, run: Kind['run'] | undefined): [Kind['evaluate'], Kind['run']] {
  const fromEvaluate = (f: Kind['evaluate']): Kind['run'] => (node, args, env, s) => f(node, args)(env)(s);
  const fromRun = (f: Kind['run']): Kind['evaluate'] => (node, args) => (env) => (s) => f(node, args, env, s);
  let pair: [Kind['evaluate'], Kind['run']];
  if (run === undefined) pair = [evaluate!, fromEvaluate(evaluate!)];
  else if (evaluate === undefined) pair = [fromRun(run), run];
  else if (runOfEvaluate.get(evaluate) === run) pair = [evaluate, run]; // an inherited pair
  else if (runOfEvaluate.has(evaluate)) pair = [fromRun(run), run]; // evaluate inherited, run new
  else if (madeRuns.has(run)) pair = [evaluate, fromEvaluate(evaluate)]; // run inherited, evaluate new
  else pair = [evaluate, run]; // both given anew: the caller keeps them consistent
  runOfEvaluate.set(pair[0], pair[1]);
  madeRuns.add(pair[1]);
  return pair;
}

/**
 * Defines a leaf kind and returns its constructor. The new kind names, prints, compares and
 * evaluates like a built-in.
 *
 * @example
 * ```ts
 * import { defineLayer, Chain, runSync } from 'canopy';
 * const Scale = defineLayer({
 *   name: 'Scale',
 *   forward: ([x]: [number], { factor }: { factor: number }) => x * factor,
 * });
 * runSync(Chain(Scale({ factor: 3 })), [2]).output; // 6
 * ```
 */
export function defineLayer<A extends Attrs, In extends Args, Out>(
  spec: LeafSpec<A, In, Out>,
): LeafConstructor<A, In, Out> {
  const kind = makeKind({
    name: spec.name,
    defaults: spec.defaults ?? {},
    describe: spec.describe === undefined ? undefined : (node) => spec.describe!(node.attrs as A),
    run: (node, args, env, s) => thenStep(spec.forward(args as unknown as In, node.attrs as A, env), (out) => [out, s] as const),
  });
  const construct = (attrs?: A): Layer<In, Out> => makeLayer(kind, attrs ?? {}, []);
  return Object.assign(construct, { kind }) as LeafConstructor<A, In, Out>;
}

/**
 * A kind that shares `family`'s evaluation under another name: Refiners' subclasses such as
 * `class MyModel(fl.Chain)`. The same (family, name) always gives the same kind, so equal trees
 * built separately compare equal.
 */
export function deriveKind(family: Kind, name: string): Kind {
  let byName = derived.get(family);
  if (byName === undefined) derived.set(family, (byName = new Map()));
  const hit = byName.get(name);
  if (hit !== undefined) return hit;
  const kind = makeKind({ ...family, name, family, showOnlyTag: false });
  byName.set(name, kind);
  return kind;
}

const derived = new WeakMap<Kind, Map<string, Kind>>();

/** Re-kinds a node: same attributes, children and contexts under a derived kind. */
export function renameKind(node: AnyLayer, name: string): AnyLayer {
  return makeLayer(deriveKind(node.kind, name), node.attrs, node.children, { contexts: node.contexts, params: node.params });
}

/** What defines a container kind: a name, a tag and how it evaluates its children. */
export interface ContainerSpec {
  readonly name: string;
  /** Refiners-style tag printed as `(TAG)`. */
  readonly tag: string;
  /** How a node of this kind evaluates (use `evalChild` for the children). */
  readonly evaluate: (node: AnyLayer, args: Args) => import('./Eval.ts').Eval<unknown>;
}

/**
 * Defines a container kind and returns its constructor `(...children) => Layer`.
 *
 * @example
 * ```ts
 * import { defineContainer, evalChild, Lambda, runSync } from 'canopy';
 * const First = defineContainer({ name: 'First', tag: 'FIRST', evaluate: (node, args) => evalChild(node, 0, args) });
 * runSync(First(Lambda((x: number) => -x)), [4]).output; // -4
 * ```
 */
export function defineContainer(
  spec: ContainerSpec,
): LayerConstructor<(...children: AnyLayer[]) => Layer<Args, unknown>> {
  const kind = makeKind({ name: spec.name, tag: spec.tag, evaluate: spec.evaluate });
  const construct = (...children: AnyLayer[]): Layer<Args, unknown> => makeLayer(kind, {}, children);
  return Object.assign(construct, { kind });
}
