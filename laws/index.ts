// canopy's laws, for users to run on their own layers, models and adapters (fp-ts-laws style:
// pure predicates plus the fast-check properties that drive them).
export * from './unet.ts';
export * from './chain.ts';
export * from './purity.ts';
export * from './backend.ts';
export * from './optics.ts';
export * from './adapter.ts';
export * from './grad.ts';
