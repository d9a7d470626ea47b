// canopy's one editing API: `select` (a selection, Penzai-style) and Refiners' Chain API as
// one-line uses of it. Re-exported by src/index.ts; everything else in this folder is internal.
export type { KindLike, LayerOfKind } from './kindLike.ts';
export type { Focus, FocusPredicate, IndexPath, WalkDecision, WalkPredicate } from './focus.ts';
export type { PathLike, PathStep } from './path.ts';
export type { CheckPath, ValidPath } from './pathTypes.ts';
export { select, type Selection } from './select.ts';
export {
  childAt,
  layer,
  find,
  ensureFind,
  findParent,
  ensureFindParent,
  layers,
  walk,
  insert,
  append,
  insertBeforeKind,
  insertAfterKind,
  pop,
  remove,
  replace,
  sliceChain,
  structuralCopy,
  type Popped,
  type ChildRef,
} from './chain.ts';
