// Law: a contextual U-Net (push a residual on the way down, pop it on the way up) computes exactly
// what the nested-Residual model computes. The seed's example 2 is the case depth 3, down = square,
// up = sqrt. Both perform the same float operations in the same order (IEEE addition is
// commutative), so the law is bit-exact: outputs compare with Object.is.
import fc from 'fast-check';
import {
  type AnyLayer,
  Chain,
  Identity,
  Lambda,
  Residual,
  SetContext,
  Sum,
  TakeContext,
  provide,
  runSync,
} from '../src/index.ts';

// --- model

/** A named numeric function, so counterexamples print readably. */
export interface NamedFn {
  readonly name: string;
  readonly fn: (x: number) => number;
}

/** A small set of per-level functions; all keep finite inputs finite. */
export const numericFunctions: readonly NamedFn[] = [
  { name: 'square', fn: (x) => x ** 2 },
  { name: 'sqrtAbs', fn: (x) => Math.sqrt(Math.abs(x)) },
  { name: 'plusOne', fn: (x) => x + 1 },
  { name: 'half', fn: (x) => x * 0.5 },
  { name: 'sin', fn: Math.sin },
  { name: 'tanh', fn: Math.tanh },
  { name: 'negate', fn: (x) => -x },
];

// --- constructors

const layerOf = (f: NamedFn): AnyLayer => Lambda(f.fn);

/**
 * The explicit model: `Chain(Residual(d0, Residual(d1, ..., up), up), up)`, as in the seed's m1.
 * `ups[i]` runs after the residual of level `n - 1 - i` is added.
 */
export function explicitUNet(downs: readonly NamedFn[], ups: readonly NamedFn[]): AnyLayer {
  const n = downs.length;
  let inner: AnyLayer = Residual(layerOf(downs[n - 1]!));
  for (let i = n - 2; i >= 0; i--) inner = Residual(layerOf(downs[i]!), inner, layerOf(ups[n - 2 - i]!));
  return Chain(inner, layerOf(ups[n - 1]!));
}

/** The contextual model: independent down and up chains sharing a `unet.residuals` stack, as in the seed's m2. */
export function contextualUNet(downs: readonly NamedFn[], ups: readonly NamedFn[]): AnyLayer {
  const push = () => SetContext('unet', 'residuals', (l: number[], x: number) => void l.push(x));
  const apply = () => Sum(Identity(), TakeContext('unet', 'residuals', (l: number[]) => l.pop()));
  const down = Chain(...downs.flatMap((d) => [push(), layerOf(d)]));
  const up = Chain(...ups.flatMap((u) => [apply(), layerOf(u)]));
  return provide(Chain(down, up), { unet: { residuals: [] as number[] } });
}

// --- laws

/** The law itself: both models give the same number (Object.is: bit-exact, NaN equal to NaN). */
export function contextualUNetEqualsExplicit(downs: readonly NamedFn[], ups: readonly NamedFn[], x: number): boolean {
  const explicit = runSync(explicitUNet(downs, ups), [x]).output;
  const contextual = runSync(contextualUNet(downs, ups), [x]).output;
  return Object.is(explicit, contextual);
}

/** Levels of a random U-Net: depth 1..maxDepth, a down and an up function per level. */
export function unetLevelsArbitrary(maxDepth = 8): fc.Arbitrary<{ downs: NamedFn[]; ups: NamedFn[] }> {
  const f = fc.constantFrom(...numericFunctions);
  return fc
    .integer({ min: 1, max: maxDepth })
    .chain((n) => fc.record({ downs: fc.array(f, { minLength: n, maxLength: n }), ups: fc.array(f, { minLength: n, maxLength: n }) }));
}

/** The fast-check property for {@link contextualUNetEqualsExplicit} over random depths, functions and inputs. */
export function contextualUNetProperty(maxDepth = 8): fc.IPropertyWithHooks<[{ downs: NamedFn[]; ups: NamedFn[] }, number]> {
  return fc.property(unetLevelsArbitrary(maxDepth), fc.double({ min: -1e3, max: 1e3, noNaN: true }), ({ downs, ups }, x) =>
    contextualUNetEqualsExplicit(downs, ups, x),
  );
}
