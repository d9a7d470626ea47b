// Known disagreements between canopy and PyTorch, each naming the bug. These cases run as
// `it.fails`: when the bug is fixed the test fails, and the entry must be removed.
import type { OracleCase } from './fixtures.ts';

/** `family/id` → the bug, for every backend (all share the composition in src/ops). */
const allBackends: Readonly<Record<string, string>> = {
  // canopy's `gather` is NumPy's take (output x.shape[:axis] + index.shape + ...); there is no op
  // with torch.gather's semantics (out[i][j] = x[i][index[i][j]] for axis 1).
  'movement/gather_ax0': 'missing op: torch.gather semantics',
  'movement/gather_ax1': 'missing op: torch.gather semantics',
  // src/ops/pad.ts accepts constant, reflect and replicate only; Conv2d(padding_mode='circular')
  // in issue 4 needs it.
  'movement/pad_circular': "missing pad mode 'circular'",
  // pow follows JavaScript's Math.pow, not C/IEEE pow as torch does: pow(1, NaN), pow(1, ±Inf) and
  // pow(-1, ±Inf) give NaN in canopy and 1 in PyTorch.
  'special/pow': 'pow(±1, NaN or ±Inf) gives NaN instead of 1 (JS Math.pow semantics)',
};

/** Why case `c` is expected to fail on `backend` (undefined: it must pass). */
export function knownMismatch(backend: string, c: OracleCase): string | undefined {
  void backend; // no backend-specific mismatch today: gpu.js agrees with the reference everywhere
  return allBackends[`${c.family}/${c.id}`];
}
