// canopy optics: lenses, traversals and selections over layer trees, and Refiners' Chain API
// as pure functions built on them. Re-exported by src/index.ts.

// addressing
export * from './kindLike.ts';
export * from './focus.ts';
export * from './path.ts';
export type { CheckPath, ValidPath } from './pathTypes.ts';

// optics
export * from './Lens.ts';
export * from './Traversal.ts';
export * from './compose.ts';
export * from './access.ts';
export * from './edit.ts';
export { atPath, atIndices, atPathOfKind } from './atPath.ts';
export * from './attr.ts';
export * from './matching.ts';
export * from './select.ts';

// Chain API
export * from './walk.ts';
export * from './find.ts';
export * from './layer.ts';
export { insert, append, insertBeforeKind, insertAfterKind } from './insert.ts';
export { pop, remove, replace, type Popped, type ChildRef } from './remove.ts';
export * from './slice.ts';
export * from './structuralCopy.ts';
