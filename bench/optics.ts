// Optics cost (`node --expose-gc --import tsx bench/optics.ts`): set ONE leaf deep in a tree of
// about 100,000 layers, and in a tree 10x larger of the same depth, three ways:
// 1. canopy's select (`select(tree).at(indices).set(leaf)` and by name `select(tree).at('Chain_8.…')`):
//    rebuilds the spine only;
// 2. rebuilding the whole tree with the leaf replaced (what a naive immutable update does);
// 3. immer's `produce` with the same assignment on a draft.
// Reported per edit: median time, new layer objects (nodes of the result that are not `===` to
// the original's node at the same place) and heap bytes allocated (heap growth with the results
// kept alive, after a full GC, divided by the number of edits; needs --expose-gc).
import { produce } from 'immer';
import { Chain, defineLayer, select, withChildren, withParams, type AnyLayer } from '../src/index.ts';
import { formatPath } from '../src/optics/path.ts';
import { timeIt } from './lib/timing.ts';

const Leaf = defineLayer({ name: 'Leaf', forward: ([x]: [number], { attrs: a }: { attrs: { v: number } }) => x + a.v });

/**
 * A tree of Chains with distinct Leaf values at depth `depth`. A node has `fanout(d, onPath)`
 * children, `onPath` telling whether it lies on the path to the leaf the bench edits.
 */
function buildTree(depth: number, path: readonly number[], fanout: (d: number, onPath: boolean) => number): { tree: AnyLayer; size: number } {
  let size = 0;
  let counter = 0;
  const go = (d: number, onPath: boolean): AnyLayer => {
    size++;
    if (d === depth) return Leaf({ v: counter++ });
    return Chain(...Array.from({ length: fanout(d, onPath) }, (_, i) => go(d + 1, onPath && i === path[d])));
  };
  return { tree: go(0, true), size };
}

/** Rebuilds every node (new containers and new leaves), putting `leaf` at `path`. */
function rebuild(node: AnyLayer, path: readonly number[], leaf: AnyLayer, depth = 0): AnyLayer {
  if (node.children.length === 0) return withParams(node, node.params);
  const onPath = depth < path.length;
  const kids = node.children.map((c, i) => {
    if (!onPath || i !== path[depth]) return rebuild(c, [], leaf);
    return depth === path.length - 1 ? leaf : rebuild(c, path, leaf, depth + 1);
  });
  return withChildren(node, kids);
}

type Draft = { children: Draft[] };
function immerSet(tree: AnyLayer, path: readonly number[], leaf: AnyLayer): AnyLayer {
  return produce(tree, (draft) => {
    let d = draft as unknown as Draft;
    for (const i of path.slice(0, -1)) d = d.children[i]!;
    d.children[path[path.length - 1]!] = leaf as unknown as Draft;
  });
}

/** Nodes of `b` that are not the node of `a` at the same place (b's shape = a's shape). */
function newNodes(a: AnyLayer, b: AnyLayer): number {
  if (a === b) return 0;
  return 1 + b.children.reduce((n, c, i) => n + newNodes(a.children[i]!, c), 0);
}

const gc = (globalThis as { gc?: () => void }).gc;
function bytesPerEdit(edit: () => AnyLayer, reps: number): number | undefined {
  if (gc === undefined) return undefined;
  const keep: AnyLayer[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < reps; i++) keep.push(edit());
  gc();
  const after = process.memoryUsage().heapUsed;
  if (keep.length !== reps) throw new Error('unreachable');
  return (after - before) / reps;
}

interface Row {
  readonly tree: string;
  readonly method: string;
  readonly us: number;
  readonly nodes: number;
  readonly bytes: number | undefined;
}

const rows: Row[] = [];
const path = [7, 3, 5, 2, 9];
const cases = [
  { name: 'A. fan-out 10 everywhere', fanout: () => 10 },
  { name: 'B. 10x larger: fan-out 100 at the root', fanout: (d: number) => (d === 0 ? 100 : 10) },
  { name: 'C. 10x larger: fan-out 100 off the edited path, 10 on it', fanout: (d: number, onPath: boolean) => (onPath || d !== 1 ? 10 : 100) },
];
for (const c of cases) {
  const { tree, size } = buildTree(path.length, path, c.fanout);
  const leaf = Leaf({ v: -1 });
  const namePath = formatPath(tree, path);
  const label = `${c.name} (${size.toLocaleString('en-US')} layers, depth ${path.length})`;
  const methods: { method: string; edit: () => AnyLayer; reps: number; opts: Parameters<typeof timeIt>[1] }[] = [
    { method: 'canopy select, index path', edit: () => select(tree).at(path).set(leaf), reps: 10_000, opts: { warmup: 1000, minRuns: 2000, maxRuns: 20000, budgetMs: 1000 } },
    { method: `canopy select, name path \`${namePath}\``, edit: () => select(tree).at(namePath).set(leaf), reps: 10_000, opts: { warmup: 1000, minRuns: 2000, maxRuns: 20000, budgetMs: 1000 } },
    { method: 'immer produce', edit: () => immerSet(tree, path, leaf), reps: 10_000, opts: { warmup: 200, minRuns: 500, maxRuns: 5000, budgetMs: 1000 } },
    { method: 'rebuild the whole tree', edit: () => rebuild(tree, path, leaf), reps: 2, opts: { warmup: 1, minRuns: 3, maxRuns: 5, budgetMs: 3000 } },
  ];
  for (const m of methods) {
    const out = m.edit();
    if (select(out).at(path).one() !== leaf) throw new Error(`${m.method}: the leaf was not set`);
    const t = await timeIt(m.edit, m.opts);
    rows.push({ tree: label, method: m.method, us: t.medianMs * 1000, nodes: newNodes(tree, out), bytes: bytesPerEdit(m.edit, m.reps) });
  }
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
console.log('| tree | method | median time per edit | new layer objects | heap bytes per edit |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) {
  const time = r.us >= 1000 ? `${fmt(r.us / 1000)} ms` : `${fmt(r.us)} µs`;
  const bytes = r.bytes === undefined ? 'n/a (run with --expose-gc)' : r.bytes >= 1e6 ? `${fmt(r.bytes / 1e6)} MB` : `${Math.round(r.bytes).toLocaleString('en-US')} B`;
  console.log(`| ${r.tree} | ${r.method} | ${time} | ${r.nodes.toLocaleString('en-US')} | ${bytes} |`);
}
