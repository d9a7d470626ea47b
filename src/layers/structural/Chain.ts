// Chain: the sequential container, the backbone of every model.
import type { AnyLayer, Args, Layer, Need, NeedsOf, InputOf, OutputOf } from '../../core/Layer.ts';
import type { Tuple } from '../../core/tuple.ts';
import { defineContainer } from '../define.ts';
import { fuseLastChild, runSequence } from './sequence.ts';

// --- model

/** The arguments the next layer of a Chain receives from an output: a Tuple's items, else the value. */
export type Next<O> = O extends Tuple<infer T> ? T : [O];

const chain = defineContainer({ name: 'Chain', tag: 'CHAIN', showOnlyTag: true, forward: (args, self, env) => runSequence(self, args, env),
  fuseNext: (node, next, _args, env) => fuseLastChild(node, next, env),
});

type L<I extends Args, O, R extends Need> = Layer<I, O, R>;
type Last<Ls extends readonly unknown[]> = Ls extends readonly [...unknown[], infer X] ? X : Ls[number];
// The variadic form (long chains, spread arrays, generic wrappers) checks every link in its
// result type: a Chain whose links do not fit is a layer nobody can run or compose.
type Fits<O, I> = [O] extends [I] ? true : [I] extends [O] ? true : false;
type LinksFit<Ls extends readonly unknown[]> = Ls extends readonly [infer A, infer B, ...infer Rest]
  ? Fits<Next<OutputOf<A>>, InputOf<B>> extends true
    ? LinksFit<[B, ...Rest]>
    : false
  : true;

/** The type of a Chain whose children do not fit: running it asks for an impossible context. */
export type BrokenChain = Layer<never, never, Need<'Chain: each layer must accept the previous output', 'check the children', never>>;

// --- constructors

/**
 * Runs its children in order; each output feeds the next (a {@link Tuple} is spread into several
 * arguments). Up to six children are checked link by link at compile time; longer chains are
 * typed from their first and last child. An empty Chain returns its input.
 *
 * @example
 * ```ts
 * import { Chain, Lambda, runSync } from 'canopy-nn';
 * const m = Chain(Lambda((x: number) => x + 1), Lambda((x) => x * 2));
 * runSync(m, [3]).output; // 8
 * ```
 */
export function Chain(): Layer<Args, unknown>;
export function Chain<A extends Args, B, R1 extends Need>(l1: L<A, B, R1>): Layer<A, B, R1>;
export function Chain<A extends Args, B, C, R1 extends Need, R2 extends Need>(
  l1: L<A, B, R1>,
  l2: L<Next<B>, C, R2>,
): Layer<A, C, R1 | R2>;
export function Chain<A extends Args, B, C, D, R1 extends Need, R2 extends Need, R3 extends Need>(
  l1: L<A, B, R1>,
  l2: L<Next<B>, C, R2>,
  l3: L<Next<C>, D, R3>,
): Layer<A, D, R1 | R2 | R3>;
export function Chain<A extends Args, B, C, D, E, R1 extends Need, R2 extends Need, R3 extends Need, R4 extends Need>(
  l1: L<A, B, R1>,
  l2: L<Next<B>, C, R2>,
  l3: L<Next<C>, D, R3>,
  l4: L<Next<D>, E, R4>,
): Layer<A, E, R1 | R2 | R3 | R4>;
export function Chain<
  A extends Args, B, C, D, E, F,
  R1 extends Need, R2 extends Need, R3 extends Need, R4 extends Need, R5 extends Need,
>(
  l1: L<A, B, R1>,
  l2: L<Next<B>, C, R2>,
  l3: L<Next<C>, D, R3>,
  l4: L<Next<D>, E, R4>,
  l5: L<Next<E>, F, R5>,
): Layer<A, F, R1 | R2 | R3 | R4 | R5>;
export function Chain<
  A extends Args, B, C, D, E, F, G,
  R1 extends Need, R2 extends Need, R3 extends Need, R4 extends Need, R5 extends Need, R6 extends Need,
>(
  l1: L<A, B, R1>,
  l2: L<Next<B>, C, R2>,
  l3: L<Next<C>, D, R3>,
  l4: L<Next<D>, E, R4>,
  l5: L<Next<E>, F, R5>,
  l6: L<Next<F>, G, R6>,
): Layer<A, G, R1 | R2 | R3 | R4 | R5 | R6>;
export function Chain<Ls extends AnyLayer[]>(
  ...layers: Ls
): LinksFit<Ls> extends true ? Layer<InputOf<Ls[0]>, OutputOf<Last<Ls>>, NeedsOf<Ls[number]>> : BrokenChain;
export function Chain(...layers: AnyLayer[]): AnyLayer {
  return chain(...layers);
}
Chain.kind = chain.kind;
