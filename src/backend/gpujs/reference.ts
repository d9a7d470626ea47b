// The reference primitives the gpu.js backend reuses as they are: reshape (shares data), concat,
// cast and gather are plain typed-array copies already, with nothing a kernel could speed up;
// degenerate (empty) inputs also go to the reference, whose loops handle them by construction.
export { referenceBackend } from '../reference/index.ts';
export { cast } from '../reference/elementwise.ts';
export { concat, reshape } from '../reference/movement.ts';
export { gather } from '../reference/gather.ts';
