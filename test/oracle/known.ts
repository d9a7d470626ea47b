// Known disagreements between canopy and PyTorch, each naming the bug. These cases run as
// `it.fails`: when the bug is fixed the test fails, and the entry must be removed.
import type { OracleCase } from './parse.ts';

/** `family/id` → the bug, for every backend (all share the composition in src/ops). */
const allBackends: Readonly<Record<string, string>> = {};

/** `family/id` → the bug, for the gpu.js backends only (names `gpujs:<mode>`). */
const gpujsOnly: Readonly<Record<string, string>> = {};

/** Why case `c` is expected to fail on `backend` (undefined: it must pass). */
export function knownMismatch(backend: string, c: OracleCase): string | undefined {
  const key = `${c.family}/${c.id}`;
  return allBackends[key] ?? (backend.startsWith('gpujs') ? gpujsOnly[key] : undefined);
}
