// Known disagreements between canopy and PyTorch, each naming the bug. These cases run as
// `it.fails`: when the bug is fixed the test fails, and the entry must be removed.
import type { OracleCase } from './fixtures.ts';

/** `family/id` → the bug, for every backend (all share the composition in src/ops). */
const allBackends: Readonly<Record<string, string>> = {};

/** `family/id` → the bug, for the gpu.js backends only (names `gpujs:<mode>`). */
const gpujsOnly: Readonly<Record<string, string>> = {
  // The reference follows C pow (src/backend/scalarPow.ts, cPow) but the gpu.js kernel body is
  // still `return Math.pow(a, b);` (src/backend/gpujs/kernels/elementwise.ts, binaryBodies.pow):
  // pow(1, NaN), pow(±1, ±Inf) give NaN there and 1 in PyTorch. The kernel must inline cPow's
  // special cases, since a compiled kernel cannot call an imported function.
  'special/pow': 'gpu.js pow kernel uses Math.pow: pow(±1, NaN or ±Inf) gives NaN instead of 1',
};

/** Why case `c` is expected to fail on `backend` (undefined: it must pass). */
export function knownMismatch(backend: string, c: OracleCase): string | undefined {
  const key = `${c.family}/${c.id}`;
  return allBackends[key] ?? (backend.startsWith('gpujs') ? gpujsOnly[key] : undefined);
}
