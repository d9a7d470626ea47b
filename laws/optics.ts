// Laws of canopy's editing API: a selection is a partially applied lens, so the lens laws
// (get-set, set-get, set-set) and the traversal laws (identity, composition) hold for it, plus
// select-then-deselect and "an equivalent node keeps the outputs", as pure predicates and the
// fast-check properties that drive them on random trees (fc.letrec, small depth) and random
// valid paths. A law takes a query, `(s) => s.at(path)` or `(s) => s.atKind(Linear)`.
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
  select,
  structuralCopy,
  type IndexPath,
  type Selection,
} from '../src/index.ts';
import { formatPath, nodeAtUnchecked } from '../src/optics/path.ts';

// --- model

/** Equality of wholes or parts used by a law. */
export type Eq<A> = (x: A, y: A) => boolean;

/** Narrows a selection of the whole model: `(s) => s.at('Sum.Linear_2')`. */
export type Query = (s: Selection) => Selection;

const treeEq: Eq<AnyLayer> = (a, b) => layerEquals(a, b);

// --- laws (pure predicates)

/**
 * Get-set (and traversal identity): putting back what is selected changes nothing,
 * `apply(id) = s` (canopy: the same object).
 */
export function selectGetSet(query: Query): (s: AnyLayer) => boolean {
  return (s) => query(select(s)).apply((n) => n) === s;
}

/** Set-get: you get back what you set (for queries that still find the nodes after the set). */
export function selectSetGet(query: Query, eq: Eq<AnyLayer> = Object.is): (s: AnyLayer, a: AnyLayer) => boolean {
  return (s, a) => query(select(query(select(s)).set(a))).get().every((n) => eq(n, a));
}

/** Set-set: the last set wins. */
export function selectSetSet(query: Query, eq: Eq<AnyLayer> = treeEq): (s: AnyLayer, a: AnyLayer, b: AnyLayer) => boolean {
  return (s, a, b) => eq(query(select(query(select(s)).set(a))).set(b), query(select(s)).set(b));
}

/** Traversal composition: `apply(f) ∘ apply(g) = apply(f ∘ g)`, for `f`, `g` that keep the selected set. */
export function selectApplyComposition(
  query: Query,
  eq: Eq<AnyLayer> = treeEq,
): (s: AnyLayer, f: (n: AnyLayer) => AnyLayer, g: (n: AnyLayer) => AnyLayer) => boolean {
  return (s, f, g) => eq(query(select(query(select(s)).apply(g))).apply(f), query(select(s)).apply((n) => f(g(n))));
}

/** Selecting then deselecting gives back the same tree (the same object). */
export function selectDeselect(query: Query): (s: AnyLayer) => boolean {
  return (s) => query(select(s)).deselect() === s;
}

/** Replacing the node at `indices` by an equivalent one keeps the model's output on `inputs`. */
export function equivalentReplacementKeepsOutputs(
  indices: IndexPath,
  equivalent: (node: AnyLayer) => AnyLayer,
  eq: Eq<unknown> = Object.is,
): (s: AnyLayer, inputs: readonly unknown[]) => boolean {
  return (s, inputs) => eq(runSync(select(s).at(indices).apply(equivalent), inputs).output, runSync(s, inputs).output);
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
 * Property: the lens laws for a selection at an index path (any replacement) and at a name path
 * (replacements of the same kind: a kind change renames siblings and moves a name path).
 */
export function selectLensLawsProperty(depth = 3): fc.IPropertyWithHooks<[{ tree: AnyLayer; indices: IndexPath }, AnyLayer, AnyLayer, number, number]> {
  const t = layerTreeArbitrary(2);
  const v = fc.integer({ min: -5, max: 5 });
  return fc.property(treeAndPathArbitrary(depth), t, t, v, v, ({ tree, indices }, a, b, va, vb) => {
    const byIndex: Query = (s) => s.at(indices);
    const name = formatPath(tree, indices);
    const byName: Query = (s) => s.at(name);
    const node = nodeAtUnchecked(tree, indices);
    const a2 = indices.length === 0 ? a : sameKindVariant(node, va);
    const b2 = indices.length === 0 ? b : sameKindVariant(node, vb);
    return (
      selectGetSet(byIndex)(tree) &&
      selectSetGet(byIndex)(tree, a) &&
      selectSetSet(byIndex)(tree, a, b) &&
      selectGetSet(byName)(tree) &&
      selectSetGet(byName)(tree, a2) &&
      selectSetSet(byName)(tree, a2, b2)
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
 * Property: traversal identity and composition, on leaves (`atKind(NumberLeaf)` with value
 * changes), outermost Chains (children reordered and dropped) and a path-based predicate.
 */
export function selectTraversalLawsProperty(depth = 3): fc.IPropertyWithHooks<[AnyLayer, number, number]> {
  const k = fc.integer({ min: -3, max: 3 });
  return fc.property(layerTreeArbitrary(depth), k, k, (tree, j, l) => {
    const leaves: Query = (s) => s.atDescendants((n) => n.kind === NumberLeaf.kind);
    const chains: Query = (s) => s.atKind(Chain);
    const shallow: Query = (s) => s.atDescendants((_, f) => f.indices.length === 2);
    return (
      selectGetSet(leaves)(tree) &&
      selectGetSet(chains)(tree) &&
      selectGetSet(shallow)(tree) &&
      selectApplyComposition(leaves)(tree, bump(j), bump(l)) &&
      selectApplyComposition(chains)(tree, reverseKids, dropLast) &&
      selectApplyComposition(shallow)(tree, (n) => Chain(n), (n) => Chain(Identity(), n))
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
