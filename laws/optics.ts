// Laws of canopy's optics: lens get-set / set-get / set-set, traversal identity and composition,
// select-then-deselect, and "an equivalent node keeps the outputs", as pure predicates plus the
// fast-check properties that drive them on random trees (fc.letrec, small depth) and random
// valid paths.
import fc from 'fast-check';
import {
  type AnyLayer,
  Chain,
  Identity,
  Lambda,
  Residual,
  Sum,
  defineLayer,
  layerEquals,
  withChildren,
  runSync,
} from '../src/index.ts';
import type { IndexPath } from '../src/optics/focus.ts';
import type { Lens } from '../src/optics/Lens.ts';
import type { Traversal } from '../src/optics/Traversal.ts';
import { atIndices, atPath } from '../src/optics/atPath.ts';
import { formatPath, nodeAtUnchecked } from '../src/optics/path.ts';
import { matching, ofKind } from '../src/optics/matching.ts';
import { select, type Selection } from '../src/optics/select.ts';
import { structuralCopy } from '../src/optics/structuralCopy.ts';

// --- model

/** Equality of wholes or parts used by a law. */
export type Eq<A> = (x: A, y: A) => boolean;

const treeEq: Eq<AnyLayer> = (a, b) => layerEquals(a, b);

// --- laws (pure predicates)

/** Lens: setting what is there changes nothing, `set(s, get(s)) = s` (canopy: the same object). */
export function lensGetSet<S, A>(l: Lens<S, A>, eq: Eq<S> = Object.is): (s: S) => boolean {
  return (s) => eq(l.set(l.get(s))(s), s);
}

/** Lens: you get back what you set, `get(set(s, a)) = a`. */
export function lensSetGet<S, A>(l: Lens<S, A>, eq: Eq<A> = Object.is): (s: S, a: A) => boolean {
  return (s, a) => eq(l.get(l.set(a)(s)), a);
}

/** Lens: the last set wins, `set(set(s, a), b) = set(s, b)`. */
export function lensSetSet<S, A>(l: Lens<S, A>, eq: Eq<S>): (s: S, a: A, b: A) => boolean {
  return (s, a, b) => eq(l.set(b)(l.set(a)(s)), l.set(b)(s));
}

/** Traversal: modifying with the identity changes nothing (canopy: the same object). */
export function traversalIdentity<S, A>(t: Traversal<S, A>, eq: Eq<S> = Object.is): (s: S) => boolean {
  return (s) => eq(t.modify((a) => a)(s), s);
}

/** Traversal: `modify(f) ∘ modify(g) = modify(f ∘ g)`, for `f`, `g` that keep the set of foci. */
export function traversalComposition<S, A>(
  t: Traversal<S, A>,
  eq: Eq<S>,
): (s: S, f: (a: A) => A, g: (a: A) => A) => boolean {
  return (s, f, g) => eq(t.modify(f)(t.modify(g)(s)), t.modify((a) => f(g(a)))(s));
}

/** Selection: selecting then deselecting gives back the same tree (the same object). */
export function selectDeselect(query: (s: Selection) => Selection): (s: AnyLayer) => boolean {
  return (s) => query(select(s)).deselect() === s;
}

/** Replacing the node at `indices` by an equivalent one keeps the model's output on `inputs`. */
export function equivalentReplacementKeepsOutputs(
  indices: IndexPath,
  equivalent: (node: AnyLayer) => AnyLayer,
  eq: Eq<unknown> = Object.is,
): (s: AnyLayer, inputs: readonly unknown[]) => boolean {
  return (s, inputs) => {
    const l = atIndices(indices);
    const replaced = l.set(equivalent(l.get(s)))(s);
    return eq(runSync(replaced, inputs).output, runSync(s, inputs).output);
  };
}

// --- arbitraries

/** A numeric leaf compared by value: adds its attribute `v` to its input. */
export const NumberLeaf = defineLayer({ name: 'Leaf', forward: ([x]: [number], { attrs: a }: { attrs: { v: number } }) => x + a.v });

const double = (x: number): number => 2 * x;
const negate = (x: number): number => -x;

/**
 * Random number-to-number layer trees of Chain, Sum, Residual, Identity, Lambda and
 * {@link NumberLeaf}, at most `depth` containers deep.
 */
export function layerTreeArbitrary(depth = 3): fc.Arbitrary<AnyLayer> {
  const leaf = fc.oneof(
    fc.integer({ min: -5, max: 5 }).map((v): AnyLayer => NumberLeaf({ v })),
    fc.constant<AnyLayer>(Identity()),
    fc.constantFrom<AnyLayer>(Lambda(double), Lambda(negate)),
  );
  const { tree } = fc.letrec<{ tree: AnyLayer }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      leaf,
      fc.array(tie('tree'), { maxLength: 3 }).map((ls): AnyLayer => Chain(...ls)),
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((ls): AnyLayer => Sum(...ls)),
      fc.array(tie('tree'), { maxLength: 2 }).map((ls): AnyLayer => Residual(...ls)),
    ),
  }));
  return tree;
}

/** Turns random steps into a valid index path of `tree` (each step taken modulo the fan-out). */
export function pathFromSteps(tree: AnyLayer, steps: readonly number[]): IndexPath {
  const out: number[] = [];
  let node = tree;
  for (const s of steps) {
    if (node.children.length === 0) break;
    const i = s % node.children.length;
    out.push(i);
    node = node.children[i]!;
  }
  return out;
}

/** A random tree with a random valid index path in it. */
export function treeAndPathArbitrary(depth = 3): fc.Arbitrary<{ tree: AnyLayer; indices: IndexPath }> {
  return fc
    .tuple(layerTreeArbitrary(depth), fc.array(fc.nat({ max: 8 }), { maxLength: depth + 1 }))
    .map(([tree, steps]) => ({ tree, indices: pathFromSteps(tree, steps) }));
}

/** Another node of the same kind (so that sibling names stay the same). */
function sameKindVariant(node: AnyLayer, v: number): AnyLayer {
  if (node.kind === NumberLeaf.kind) return NumberLeaf({ v });
  if (node.children.length > 0) return withChildren(node, [...node.children].reverse().slice(0, 2));
  return node;
}

// --- properties

/**
 * Property: the three lens laws for index-path lenses (any replacement) and for name-path lenses
 * (replacements of the same kind: a kind change renames siblings and moves a name path).
 */
export function lensLawsProperty(depth = 3): fc.IPropertyWithHooks<[{ tree: AnyLayer; indices: IndexPath }, AnyLayer, AnyLayer, number, number]> {
  const t = layerTreeArbitrary(2);
  const v = fc.integer({ min: -5, max: 5 });
  return fc.property(treeAndPathArbitrary(depth), t, t, v, v, ({ tree, indices }, a, b, va, vb) => {
    const byIndex = atIndices(indices);
    const byName = atPath(formatPath(tree, indices));
    const node = nodeAtUnchecked(tree, indices);
    const a2 = indices.length === 0 ? a : sameKindVariant(node, va);
    const b2 = indices.length === 0 ? b : sameKindVariant(node, vb);
    return (
      lensGetSet(byIndex)(tree) &&
      lensSetGet(byIndex)(tree, a) &&
      lensSetSet(byIndex, treeEq)(tree, a, b) &&
      lensGetSet(byName)(tree) &&
      lensSetGet(byName)(tree, a2) &&
      lensSetSet(byName, treeEq)(tree, a2, b2)
    );
  });
}

const bump =
  (k: number) =>
  (n: AnyLayer): AnyLayer =>
    NumberLeaf({ v: (n.attrs['v'] as number) + k });
const reverseKids = (n: AnyLayer): AnyLayer => withChildren(n, [...n.children].reverse());
const dropLast = (n: AnyLayer): AnyLayer => withChildren(n, n.children.slice(0, -1));

/**
 * Property: traversal identity and composition, on leaves (`ofKind(NumberLeaf)` with value
 * changes), outermost Chains (children reordered and dropped) and a path-based predicate.
 */
export function traversalLawsProperty(depth = 3): fc.IPropertyWithHooks<[AnyLayer, number, number]> {
  const k = fc.integer({ min: -3, max: 3 });
  return fc.property(layerTreeArbitrary(depth), k, k, (tree, j, l) => {
    const leaves = matching((n) => n.kind === NumberLeaf.kind);
    const chains = ofKind(Chain);
    const shallow = matching((_, f) => f.indices.length === 2);
    return (
      traversalIdentity(leaves)(tree) &&
      traversalIdentity(chains)(tree) &&
      traversalIdentity(shallow)(tree) &&
      traversalComposition(leaves, treeEq)(tree, bump(j), bump(l)) &&
      traversalComposition(chains, treeEq)(tree, reverseKids, dropLast) &&
      traversalComposition(shallow, treeEq)(tree, (n) => Chain(n), (n) => Chain(Identity(), n))
    );
  });
}

/** Property: select then deselect is the identity, for queries by kind, predicate and children. */
export function selectDeselectProperty(depth = 3): fc.IPropertyWithHooks<[AnyLayer, number]> {
  return fc.property(layerTreeArbitrary(depth), fc.nat({ max: 3 }), (tree, parity) => {
    const kinds = [NumberLeaf, Chain, Sum, Residual, Identity, Lambda] as const;
    return (
      kinds.every((K) => selectDeselect((s) => s.atKind(K))(tree)) &&
      selectDeselect((s) => s.atKind(Sum).children().where((_, f) => f.indices.length % 2 === parity % 2))(tree) &&
      selectDeselect((s) => s)(tree)
    );
  });
}

/**
 * Property: replacing any node by an equivalent one (its structural copy, `Chain(node)`,
 * `Chain(Identity(), node)`) keeps the model's output.
 */
export function equivalentReplacementProperty(depth = 3): fc.IPropertyWithHooks<[{ tree: AnyLayer; indices: IndexPath }, number]> {
  return fc.property(treeAndPathArbitrary(depth), fc.integer({ min: -5, max: 5 }), ({ tree, indices }, x) =>
    [structuralCopy, (n: AnyLayer) => Chain(n), (n: AnyLayer) => Chain(Identity(), n)].every((eqv) =>
      equivalentReplacementKeepsOutputs(indices, eqv)(tree, [x]),
    ),
  );
}
