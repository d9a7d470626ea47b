// The one way to define a layer (Equinox's `Module`, Refiners' `fl.Module` subclasses): a name,
// the defaults of its attributes, an `init` from the constructor's options to attributes and
// weights (or children), and a typed `forward`. The constructor returned carries its kind
// (`Linear.kind`), so trees can be searched by kind. Built-in layers are written this way, so each
// file in src/layers/ is an example to copy.
import { CanopyError } from '../errors.ts';
import { type Env, type State, atText } from '../core/Eval.ts';
import type { AnyLayer, Args, Attrs, ContextDecl, Kind, Layer, LayerConstructor, Params } from '../core/Layer.ts';
import { makeLayer } from '../core/Layer.ts';
import { makeKind } from '../core/kind.ts';
import { type Step, isPromiseLike } from '../core/step.ts';
import { evalChild } from '../context/evaluate.ts';
import { readContext, writeContext } from '../context/scope.ts';
import { isTensor } from '../tensor/Tensor.ts';
import { checkOptionKeys } from '../ops/checkArgs.ts';

// --- model

// TypeScript 5.4's `NoInfer<T>`, written so that the published declarations still compile under
// TypeScript 5.0 (the package's promise): the deferred conditional keeps `defaults` out of A's inference.
type Uninferred<T> = [T][T extends unknown ? 0 : never];

/**
 * What a layer's `forward` sees: its typed attributes and weights, a way to run its children, and
 * the contexts in scope. Children runs and context writes happen in call order (the contexts are
 * threaded through them); await each before the next.
 */
export interface Self<A, P = {}> {
  readonly attrs: A;
  readonly params: P;
  readonly children: ReadonlyArray<AnyLayer>;
  /** Runs child `i` on `args`; with `as`, runs that node in its place (same path; the peephole fusions). */
  run(i: number, args: Args, as?: AnyLayer): Step<unknown>;
  /** Runs every child left to right, child `i` on `argsFor(i)`, and collects their outputs. */
  runEach(argsFor: (i: number) => Args): Step<unknown[]>;
  /**
   * The value of `ns.key` from the nearest enclosing provider of `ns`, or the run's. Read-only:
   * edit it through `write` with a new value (or a draft, as SetContext does); hand it out frozen.
   */
  read(ns: string, key: string): unknown;
  /** Sets `ns.key` for everything evaluated after this layer in the provider's scope. */
  write(ns: string, key: string, value: unknown): void;
}

/** What `init` returns for a leaf: its attributes and learned tensors (both default to `{}`). */
export interface Init<A, P> {
  readonly attrs?: A;
  readonly params?: P;
}

/**
 * Checks made before `forward` runs: one entry per argument, `'tensor'` for an argument that must
 * be a Tensor, `'any'` for anything; the count is the layer's arity.
 */
export type Inputs = readonly ('tensor' | 'any')[];

/**
 * Every key of a constructor's options object (its first argument), each `true`: a key missing
 * from the list, or one the options type lacks, does not compile.
 */
export type OptionKeys<O extends unknown[]> = { readonly [K in keyof NonNullable<O[0]> & string]-?: true };

/** The definition of a leaf layer. */
export interface LayerSpec<O extends unknown[], A extends Attrs, P extends Params, In extends Args, Out> {
  /** Kind name, used for child names and printing (PascalCase, like `Linear`). */
  readonly name: string;
  /** Attribute values that are not printed (Refiners prints only non-default arguments). */
  readonly defaults?: Partial<Uninferred<A>>;
  /** Argument checks before `forward`; default: none. */
  readonly inputs?: Inputs;
  /** From the constructor's options to attributes and weights; without it the constructor takes the attributes. */
  readonly init?: (...options: O) => Init<A, P>;
  /**
   * The keys of init's options object: given, any other key is a CanopyError (from plain
   * JavaScript a typo such as `in_features` was ignored). Default: not checked.
   */
  readonly options?: Uninferred<OptionKeys<O>>;
  /** The computation, on typed attributes and weights; may return a Promise (a kernel). */
  readonly forward: (args: In, self: Self<A, P>, env: Env) => Step<Out>;
  /** A one-line description instead of `Name(k=v, ...)`. */
  readonly describe?: (attrs: A) => string;
  /**
   * Peephole fusion: a node computing this one and the next sibling of a sequence in one
   * evaluation, or `undefined` (see `Kind.fuseNext`). Default: never fuses.
   */
  readonly fuseNext?: (node: AnyLayer & { readonly attrs: A; readonly params: P }, next: AnyLayer, args: In | undefined, env: Env) => AnyLayer | undefined;
}

/**
 * What `init` returns for a container. `Body<In, Out>` as init's return type gives a container
 * that inherits its forward (`extends`) the input and output types of its constructor.
 */
export interface Body<In extends Args = Args, Out = unknown, A extends Attrs = Attrs> {
  readonly attrs?: A;
  readonly children: ReadonlyArray<AnyLayer>;
  /** Namespaces the node provides (as `provide`). */
  readonly contexts?: ContextDecl;
  /** @internal phantom */
  readonly '~types'?: { run(...args: In): Out };
}

/** The definition of a container layer. */
export interface ContainerSpec<O extends unknown[], A extends Attrs, In extends Args, Out> {
  readonly name: string;
  /** Refiners' tree tag printed as `(TAG)`; inherited with `extends`. Default: none (printed as a leaf). */
  readonly tag?: string;
  /** Print the tag alone, as Refiners does for its plain structural containers. Default false. */
  readonly showOnlyTag?: boolean;
  readonly defaults?: Partial<Uninferred<A>>;
  /**
   * The container this kind derives from (Refiners' `class Attention(fl.Chain)`): its forward
   * and tag unless given anew, and `isKind(node, Parent.kind)` holds.
   */
  readonly extends?: { readonly kind: Kind };
  /** From the constructor's options to attributes and children; without it the constructor takes the children. */
  readonly init?: (...options: O) => Body<In, Out, A>;
  /** The keys of init's options object, as {@link LayerSpec.options}. */
  readonly options?: Uninferred<OptionKeys<O>>;
  /** How the node evaluates, running its children through `self`; required unless `extends` gives one. */
  readonly forward?: (args: In, self: Self<A>, env: Env) => Step<Out>;
  /** Peephole fusion with the next sibling, as {@link LayerSpec.fuseNext}; inherited with `extends` when the forward is. */
  readonly fuseNext?: (node: AnyLayer & { readonly attrs: A }, next: AnyLayer, args: In | undefined, env: Env) => AnyLayer | undefined;
}

/** A leaf constructor without `init`: it takes the attributes (optional when all are). */
export type AttrsConstructor<A extends Attrs, In extends Args, Out> = LayerConstructor<
  (...attrs: {} extends A ? [attrs?: A] : [attrs: A]) => Layer<In, Out>
>;

// --- constructors

/**
 * Defines a leaf layer and returns its constructor.
 *
 * @example
 * ```ts
 * import { Chain, defineLayer, runSync } from 'canopy-nn';
 * const Scale = defineLayer({
 *   name: 'Scale',
 *   init: (factor: number) => ({ attrs: { factor } }),
 *   forward: ([x]: [number], { attrs }) => x * attrs.factor,
 * });
 * runSync(Chain(Scale(3)), [2]).output; // 6
 * Scale(3).kind === Scale.kind; // true
 * ```
 */
export function defineLayer<O extends unknown[], A extends Attrs, P extends Params, In extends Args, Out>(
  spec: LayerSpec<O, A, P, In, Out> & { readonly init: (...options: O) => Init<A, P> },
): LayerConstructor<(...options: O) => Layer<In, Out>>;
export function defineLayer<A extends Attrs, In extends Args, Out>(spec: LayerSpec<[], A, {}, In, Out>): AttrsConstructor<A, In, Out>;
export function defineLayer(spec: LayerSpec<unknown[], Attrs, Params, Args, unknown>): LayerConstructor<(...o: unknown[]) => AnyLayer> {
  const { name, inputs, forward } = spec;
  const describe = spec.describe;
  const kind = makeKind({
    name,
    defaults: spec.defaults ?? {},
    describe: describe === undefined ? undefined : (node) => describe(node.attrs),
    fuseNext: spec.fuseNext as Kind['fuseNext'],
    run: (node, args, env, s) => {
      if (inputs !== undefined) checkInputs(name, inputs, args, env);
      const call = new Call(node, env, s);
      return call.settle(forward(args, call, env));
    },
  });
  const init: (...options: unknown[]) => Init<Attrs, Params> = spec.init ?? ((attrs?: unknown) => ({ attrs: (attrs ?? {}) as Attrs }));
  const keys = spec.options === undefined ? undefined : Object.keys(spec.options);
  const construct = (...options: unknown[]): AnyLayer => {
    if (keys !== undefined) checkOptionKeys(name, options[0] as object | undefined, keys);
    const { attrs = {}, params } = init(...options);
    return makeLayer(kind, attrs, [], params === undefined ? {} : { params });
  };
  return Object.assign(construct, { kind });
}

/**
 * Defines a container layer and returns its constructor. Its forward runs the children through
 * `self.run(i, args)` / `self.runEach(...)`, which thread the contexts in call order; without
 * `init` the constructor takes the children.
 *
 * @example
 * ```ts
 * import { defineContainer, Lambda, runSync } from 'canopy-nn';
 * // Applies its only child twice.
 * const Twice = defineContainer({
 *   name: 'Twice',
 *   tag: 'TWICE',
 *   forward: (args, self) => {
 *     const once = self.run(0, args) as number;
 *     return self.run(0, [once]);
 *   },
 * });
 * runSync(Twice(Lambda((x: number) => x + 10)), [1]).output; // 21
 * ```
 */
export function defineContainer<O extends unknown[], A extends Attrs, In extends Args = Args, Out = unknown>(
  spec: ContainerSpec<O, A, In, Out> & { readonly init: (...options: O) => Body<In, Out, A> },
): LayerConstructor<(...options: O) => Layer<In, Out>>;
export function defineContainer<In extends Args = Args, Out = unknown>(
  spec: ContainerSpec<AnyLayer[], {}, In, Out>,
): LayerConstructor<(...children: AnyLayer[]) => Layer<In, Out>>;
export function defineContainer(spec: ContainerSpec<never[], Attrs, never, unknown>): LayerConstructor<(...o: never[]) => AnyLayer> {
  const parent = spec.extends?.kind;
  const forward = spec.forward;
  if (forward === undefined && parent === undefined) {
    throw new CanopyError('argument', `defineContainer: ${spec.name} must give a forward or extend a container, got neither`);
  }
  const kind = makeKind({
    name: spec.name,
    tag: spec.tag ?? parent?.tag,
    showOnlyTag: spec.showOnlyTag ?? false,
    defaults: spec.defaults ?? {},
    ...(parent === undefined ? {} : { family: parent }),
    fuseNext: (spec.fuseNext as Kind['fuseNext']) ?? (forward === undefined ? parent?.fuseNext : undefined),
    run: forward === undefined ? parent!.run : (node, args, env, s) => {
      const call = new Call(node, env, s);
      return call.settle(forward(args as never, call, env));
    },
  });
  const init: (...options: never[]) => Body<never, unknown> = spec.init ?? ((...children: never[]) => ({ children: children as AnyLayer[] }));
  const keys = spec.options === undefined ? undefined : Object.keys(spec.options);
  const construct = (...options: never[]): AnyLayer => {
    if (keys !== undefined) checkOptionKeys(spec.name, options[0] as object | undefined, keys);
    const { attrs = {}, children, contexts } = init(...options);
    return makeLayer(kind, attrs, children, { contexts });
  };
  return Object.assign(construct, { kind });
}

// --- utils

function checkInputs(name: string, inputs: Inputs, args: Args, env: Env): void {
  if (args.length !== inputs.length) {
    throw new CanopyError('arity', `${name}: expects ${inputs.length} input${inputs.length === 1 ? '' : 's'}, got ${args.length} ${atText(env.at)}`);
  }
  inputs.forEach((want, i) => {
    const x = args[i];
    if (want === 'tensor' && !isTensor(x)) {
      const got = x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
      throw new CanopyError('argument', `${name}: input ${i} must be a Tensor, got ${got} ${atText(env.at)}`);
    }
  });
}

/**
 * One evaluation of a layer: the contexts live in `state` and move forward with each child run
 * and write, so call order is evaluation order. Local to one `run` of the kind, which stays a
 * pure function of (node, args, env, state) from outside.
 */
class Call implements Self<Attrs, Params> {
  private busy = false;

  constructor(
    private readonly node: AnyLayer,
    private readonly env: Env,
    private state: State,
  ) {}

  get attrs(): Attrs {
    return this.node.attrs;
  }

  get params(): Params {
    return this.node.params;
  }

  get children(): ReadonlyArray<AnyLayer> {
    return this.node.children;
  }

  read(ns: string, key: string): unknown {
    return readContext(this.env, this.state, ns, key, this.node.kind.name);
  }

  write(ns: string, key: string, value: unknown): void {
    if (this.busy) throw this.overlap();
    this.state = writeContext(this.env, this.state, ns, key, value, this.node.kind.name);
  }

  run(i: number, args: Args, as?: AnyLayer): Step<unknown> {
    if (this.busy) throw this.overlap();
    const r = evalChild(this.node, i, args, this.env, this.state, as);
    if (!isPromiseLike(r)) {
      this.state = r[1];
      return r[0];
    }
    this.busy = true;
    return r.then(
      ([v, s]) => {
        this.busy = false;
        this.state = s;
        return v;
      },
      (e: unknown) => {
        this.busy = false;
        throw e;
      },
    );
  }

  runEach(argsFor: (i: number) => Args): Step<unknown[]> {
    const out: unknown[] = [];
    const n = this.node.children.length;
    const loop = (i: number): Step<unknown[]> => {
      for (; i < n; i++) {
        const r = this.run(i, argsFor(i));
        if (isPromiseLike(r)) {
          const next = i + 1;
          return r.then((v) => {
            out.push(v);
            return loop(next);
          });
        }
        out.push(r);
      }
      return out;
    };
    return loop(0);
  }

  /** The layer's result (no closure on the synchronous path, the common one). */
  settle(out: Step<unknown>): Step<readonly [unknown, State]> {
    return isPromiseLike(out) ? out.then((o) => this.finish(o)) : this.finish(out);
  }

  /** The layer's result; its forward must not end while a child still runs. */
  finish(out: unknown): readonly [unknown, State] {
    if (this.busy) throw this.overlap();
    return [out, this.state];
  }

  private overlap(): CanopyError {
    return new CanopyError(
      'control',
      `${this.node.kind.name}: children must run one after another (await each run before the next, and before returning), got overlapping runs ${atText(this.env.at)}`,
    );
  }
}
