// Laws of Chain: associativity, Identity as its unit, on outputs AND on the final contexts.
// (A Return child ends only its innermost Chain, so regrouping around a Return is not covered.)
import fc from 'fast-check';
import { type AnyLayer, Chain, Identity, Lambda, SetContext, Sum, UseContext, provide, runSync, valueEquals } from '../src/index.ts';
import type { RunResult } from '../src/index.ts';

// --- model

/** What a run observably does: its output and its final contexts. */
type Observation = RunResult<unknown>;

// --- laws

/** Runs `model` inside a provider of the `law` namespace and returns output and contexts. */
export function observe(model: AnyLayer, x: number): Observation {
  return runSync(provide(Chain(model), { law: { acc: 0 } }), [x]);
}

/** Two models are observably equal on `x`: same output (Object.is) and same final contexts. */
export function sameObservation(a: AnyLayer, b: AnyLayer, x: number): boolean {
  const oa = observe(a, x);
  const ob = observe(b, x);
  return Object.is(oa.output, ob.output) && valueEquals(oa.contexts, ob.contexts);
}

/** `Chain(Chain(a, b), c)`, `Chain(a, Chain(b, c))` and `Chain(a, b, c)` behave the same. */
export function chainAssociative(a: AnyLayer, b: AnyLayer, c: AnyLayer, x: number): boolean {
  const flat = Chain(a, b, c);
  return sameObservation(Chain(Chain(a, b), c), flat, x) && sameObservation(Chain(a, Chain(b, c)), flat, x);
}

/** `Chain(Identity(), a)`, `Chain(a, Identity())` and `a` behave the same. */
export function identityIsUnit(a: AnyLayer, x: number): boolean {
  return sameObservation(Chain(Identity(), a), a, x) && sameObservation(Chain(a, Identity()), a, x);
}

// --- arbitraries

/**
 * Random one-number-in, one-number-out layers that also read and write the `law.acc` context,
 * nested up to `depth` levels (Chain and Sum containers), for the Chain laws.
 */
export function numericLayerArbitrary(depth = 3): fc.Arbitrary<AnyLayer> {
  const leaf = fc.oneof(
    fc.integer({ min: -3, max: 3 }).map((k): AnyLayer => Lambda((x: number) => x * 2 + k)),
    fc.constant<AnyLayer>(SetContext('law', 'acc', (acc: number, x: number) => acc * 3 + x)),
    fc.constant<AnyLayer>(Sum(Identity(), UseContext('law', 'acc', (v: number) => v))),
    fc.constant<AnyLayer>(Identity()),
  );
  const { layer } = fc.letrec<{ layer: AnyLayer }>((tie) => ({
    layer: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      leaf,
      fc.array(tie('layer'), { minLength: 0, maxLength: 3 }).map((ls) => Chain(...ls)),
      fc.array(tie('layer'), { minLength: 1, maxLength: 3 }).map((ls) => Sum(...ls)),
    ),
  }));
  return layer;
}

/** Property: Chain is associative on random layers and inputs. */
export function chainAssociativeProperty(): fc.IPropertyWithHooks<[AnyLayer, AnyLayer, AnyLayer, number]> {
  const l = numericLayerArbitrary();
  return fc.property(l, l, l, fc.integer({ min: -5, max: 5 }), chainAssociative);
}

/** Property: Identity is the unit of Chain on random layers and inputs. */
export function identityIsUnitProperty(): fc.IPropertyWithHooks<[AnyLayer, number]> {
  return fc.property(numericLayerArbitrary(), fc.integer({ min: -5, max: 5 }), identityIsUnit);
}
