// The layer protocol: what every node of a model tree is. A layer is a plain frozen value (its
// kind, static attributes, children and the context namespaces it provides); what it computes is
// found through its kind, so trees can be compared, printed, copied and edited without running.
import { freeze } from 'immer';
import type { Env, State } from './Eval.ts';
import type { Step } from './step.ts';
import type { Tensor } from '../tensor/Tensor.ts';

// --- model

/** The arguments a layer is called with (a Chain spreads a {@link Tuple} output into them). */
export type Args = readonly unknown[];

/**
 * One context entry a layer reads or writes: namespace `NS`, key `K`, value type `V`.
 * A layer's requirements are a union of these, so the type does not grow with depth.
 */
export interface Need<NS extends string = string, K extends string = string, V = unknown> {
  readonly ns: NS;
  readonly key: K;
  readonly value: V;
}

/** Static configuration of a layer: printed, compared, never run. */
export type Attrs = Readonly<Record<string, unknown>>;

/** Learned tensors of a layer by name (`weight`, `bias`, `running_mean`, ...): what state dicts hold. */
export type Params = Readonly<Record<string, Tensor>>;

/** Namespaces a container provides: `{ namespace: { key: default } }`. */
export type ContextDecl = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * What a kind of layer is and how it evaluates. Built-in kinds and user kinds are the same thing.
 * `family` is the kind whose semantics it shares (a named Chain's family is Chain).
 */
export interface Kind {
  /** Child-naming and printing name, e.g. `Linear`, `MyModel`. */
  readonly name: string;
  /** Refiners' tree tag (`CHAIN`, `SUM`, `RES`, ...), for containers. */
  readonly tag: string | undefined;
  /** True for the plain structural kinds, printed as `(TAG)` alone. */
  readonly showOnlyTag: boolean;
  /** The kind this one derives from (a named Chain's family is Chain); itself for a base kind. */
  readonly family: Kind;
  /** Attribute values that are not printed (Refiners prints only non-default constructor args). */
  readonly defaults: Attrs;
  /**
   * The one evaluation protocol: a node of this kind on `args`, in the environment `env` (Reader),
   * threading the contexts `state` (State); returns the output and the new state, or a Promise of
   * them. The interpreter calls nothing else. `defineLayer` and `defineContainer` write it.
   */
  readonly run: (node: AnyLayer, args: Args, env: Env, state: State) => Step<readonly [unknown, State]>;
  /** Optional custom one-line description (for leaves such as Lambda). */
  readonly describe: ((node: AnyLayer) => string) | undefined;
  /**
   * Peephole fusion in a sequence (Chain, Residual, Passthrough): a node that computes this node
   * followed by its next sibling `next` in one evaluation, on `args` (`undefined` when not known
   * yet: this node is the last child of a Chain being fused) in this environment, or `undefined`
   * when they do not fuse. The sequence runs it at this node's path in place of both
   * (docs/design.md, "Fusion"); it must give exactly their values.
   */
  readonly fuseNext: ((node: AnyLayer, next: AnyLayer, args: Args | undefined, env: Env) => AnyLayer | undefined) | undefined;
}

/**
 * A node of a model tree: input arguments `In`, output `Out`, context requirements `Req`.
 * The type parameters are phantom: they exist for the compiler only.
 */
export interface Layer<In extends Args = Args, Out = unknown, Req extends Need = never> {
  readonly kind: Kind;
  readonly attrs: Attrs;
  /** Learned tensors; `{}` for layers without weights. */
  readonly params: Params;
  readonly children: ReadonlyArray<AnyLayer>;
  /** Namespaces this node provides to its subtree, with their defaults; `undefined` for none. */
  readonly contexts: ContextDecl | undefined;
  /**
   * @internal Phantom types, never present at run time. `run` is declared as a method so its
   * parameters compare bivariantly: concrete mismatches (`string` into `number`) are caught, while
   * loosely typed layers (`AnyLayer`, input `never`) still fit anywhere.
   */
  readonly '~types'?: { run(...args: In): Out; readonly req: Req };
}

/** Any layer, whatever its types. */
export type AnyLayer = Layer<never, unknown, Need>;

/** The argument tuple type of a layer. */
export type InputOf<L> = L extends { readonly '~types'?: { readonly run: (...args: infer In) => unknown } } ? In : never;
/** The output type of a layer. */
export type OutputOf<L> = L extends { readonly '~types'?: { readonly run: (...args: never) => infer Out } } ? Out : never;
/** The context requirements of a layer, a union of {@link Need}. */
export type NeedsOf<L> = L extends { readonly '~types'?: { readonly req: infer R } } ? (R extends Need ? R : never) : never;

/** A layer constructor that also names its kind (`Linear.kind`), so kinds can be selected. */
export type LayerConstructor<F extends (...args: never) => unknown> = F & { readonly kind: Kind };

// --- constructors

/** Builds a frozen layer value (what every constructor returns). @internal */
export function makeLayer<In extends Args = Args, Out = unknown, Req extends Need = never>(
  kind: Kind,
  attrs: Attrs,
  children: ReadonlyArray<AnyLayer>,
  extra: { readonly contexts?: ContextDecl | undefined; readonly params?: Params } = {},
): Layer<In, Out, Req> {
  const layer = {
    kind,
    attrs: Object.isFrozen(attrs) ? attrs : freeze({ ...attrs }, true),
    params: extra.params === undefined ? NO_PARAMS : Object.isFrozen(extra.params) ? extra.params : Object.freeze({ ...extra.params }),
    children: Object.isFrozen(children) ? children : Object.freeze([...children]),
    contexts: extra.contexts,
  };
  Object.defineProperty(layer, describeSymbol, { value: describeSelf });
  return Object.freeze(layer);
}

const NO_PARAMS: Params = Object.freeze({});

// Layers show as trees wherever a tool asks a value to describe itself (fast-check counterexamples
// use this symbol): `Chain(Linear, Sum(Identity, Identity))`, from the kinds alone, so core needs
// no printer and nothing registers itself at import time (`printTree` gives the full format).
const describeSymbol = Symbol.for('fast-check/toStringMethod');

function describeSelf(this: AnyLayer): string {
  return compactTree(this);
}

/** @internal A layer tree in one line: `Chain(Linear, Sum(Identity, Identity))`. */
export function compactTree(node: AnyLayer): string {
  return node.children.length === 0 ? node.kind.name : `${node.kind.name}(${node.children.map(compactTree).join(', ')})`;
}

/** The same node with other parameters (same kind, attributes, children and contexts). */
export function withParams(node: AnyLayer, params: Params): AnyLayer {
  return makeLayer(node.kind, node.attrs, node.children, { contexts: node.contexts, params });
}

/** Same node with other children (same kind, attributes and contexts). */
export function withChildren(node: AnyLayer, children: ReadonlyArray<AnyLayer>): AnyLayer {
  if (children.length === node.children.length && children.every((c, i) => c === node.children[i])) return node;
  return makeLayer(node.kind, node.attrs, children, { contexts: node.contexts, params: node.params });
}

// --- destructors

/** True when `node`'s kind is `kind` or derives from it (a named Chain is a Chain). */
export function isKind(node: AnyLayer, kind: Kind): boolean {
  for (let k: Kind | undefined = node.kind; k !== undefined; k = k.family === k ? undefined : k.family) {
    if (k === kind) return true;
  }
  return false;
}

/** True for any layer value. */
export function isLayer(x: unknown): x is AnyLayer {
  return (
    typeof x === 'object' &&
    x !== null &&
    'kind' in x &&
    'children' in x &&
    Array.isArray((x as { children: unknown }).children)
  );
}
