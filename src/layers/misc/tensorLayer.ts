// The shared shape of canopy's tensor leaves (Linear, Conv2d, ReLU, ...): a kind whose forward
// gets the run's backend, the layer's attributes and its learned tensors, and returns a tensor
// (or a Promise of one). Input checks live here so every layer reports bad inputs alike.
import type { Backend } from '../../backend/Backend.ts';
import type { Env } from '../../core/Eval.ts';
import { type Attrs, type Kind, type Params, makeLayer, type Layer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { type Step, thenStep } from '../../core/step.ts';
import { CanopyError } from '../../errors.ts';
import { isTensor, showShape, type Tensor } from '../../tensor/Tensor.ts';
import { backendOf } from '../backendOf.ts';
import { ChainKind } from '../structural/Chain.ts';
import type { AnyLayer } from '../../core/Layer.ts';

// --- model

/** What defines a tensor leaf kind. @internal */
export interface TensorLayerSpec<A extends Attrs> {
  /** Kind name (Refiners' class name). */
  readonly name: string;
  /** Constructor defaults: attributes equal to these are not printed. */
  readonly defaults?: Partial<A>;
  /** How many arguments the layer takes: exact count or `[min, max]`. Default 1. */
  readonly arity?: number | readonly [number, number];
  /** The computation on checked arguments. */
  readonly forward: (b: Backend, args: readonly unknown[], attrs: A, params: Params, env: Env) => Step<unknown>;
}

// --- constructors

/** Defines a tensor leaf kind; constructors build nodes with `makeLayer(kind, attrs, [], { params })`. @internal */
export function tensorKind<A extends Attrs>(spec: TensorLayerSpec<A>): Kind {
  const [lo, hi] = typeof spec.arity === 'number' ? [spec.arity, spec.arity] : (spec.arity ?? [1, 1]);
  return makeKind({
    name: spec.name,
    defaults: spec.defaults ?? {},
    evaluate: (node, args) => (env) => (s) => {
      if (args.length < lo || args.length > hi) {
        const want = lo === hi ? `${lo}` : `${lo} to ${hi}`;
        throw new CanopyError('arity', `${spec.name}: expects ${want} input${hi === 1 ? '' : 's'}, got ${args.length}`);
      }
      return thenStep(spec.forward(backendOf(env), args, node.attrs as A, node.params, env), (out) => [out, s] as const);
    },
  });
}

/** A leaf node of `kind` with its attributes and weights. @internal */
export function leaf<In extends readonly unknown[] = [Tensor], Out = Tensor>(
  kind: Kind,
  attrs: Attrs,
  params?: Params,
): Layer<In, Out> {
  return makeLayer<In, Out>(kind, attrs, [], params === undefined ? {} : { params });
}

/**
 * A Chain subclass kind such as Refiners' `Attention(fl.Chain)`: evaluates as a Chain, prints as
 * `(CHAIN) Attention(...)` with its constructor arguments. @internal
 */
export function chainKind(name: string, defaults: Attrs = {}): Kind {
  return makeKind({ ...ChainKind, name, family: ChainKind, showOnlyTag: false, defaults });
}

/** A node of a Chain subclass kind. @internal */
export function chainOf<In extends readonly unknown[] = [Tensor], Out = Tensor>(
  kind: Kind,
  attrs: Attrs,
  children: readonly AnyLayer[],
): Layer<In, Out> {
  return makeLayer<In, Out>(kind, attrs, children);
}

// --- destructors

/** Argument `i` as a tensor, or a CanopyError naming the layer. @internal */
export function tensorArg(op: string, args: readonly unknown[], i = 0): Tensor {
  const x = args[i];
  if (!isTensor(x)) {
    throw new CanopyError('argument', `${op}: input ${i} must be a Tensor, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  return x;
}

/** The learned tensor `name` of a layer (always present when built by its constructor). @internal */
export function param(op: string, params: Params, name: string): Tensor {
  const t = params[name];
  if (t === undefined) throw new CanopyError('structure', `${op}: parameter "${name}" must be present, got none`);
  return t;
}

/** Throws unless `x` has rank in `ranks`; the message names the expected layout. @internal */
export function expectRank(op: string, x: Tensor, ranks: readonly number[], layout: string): void {
  if (!ranks.includes(x.shape.length)) {
    throw new CanopyError('shape', `${op}: input must be ${layout}, got ${showShape(x.shape)}`);
  }
}

/** Throws unless axis `axis` of `x` has size `n`. @internal */
export function expectDim(op: string, x: Tensor, axis: number, n: number, layout: string): void {
  const a = axis < 0 ? x.shape.length + axis : axis;
  if (x.shape[a] !== n) throw new CanopyError('shape', `${op}: input must be ${layout}, got ${showShape(x.shape)}`);
}

// --- utils

/** A number or pair as a pair. @internal */
export function toPair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Throws unless `v` is a positive integer. @internal */
export function checkPositive(op: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new CanopyError('argument', `${op}: ${what} must be a positive integer, got ${v}`);
}
