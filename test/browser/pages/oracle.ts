// The PyTorch fixture suite in a page: `canopyOracle(backend, families)` fetches each family's
// safetensors file from /fixtures/ and checks every case on the backend, with Node's tolerances
// (test/oracle/compare.ts) and known mismatches (test/oracle/known.ts).
import type { Backend } from '../../../src/backend/Backend.ts';
import { referenceBackend } from '../../../src/backend/reference/index.ts';
import { describeBackend, getDefaultBackend } from '../../../src/backend/select.ts';
import { createGpujsBackend } from '../../../src/backend/gpujs/index.ts';
import { check } from '../../oracle/check.ts';
import { knownMismatch } from '../../oracle/known.ts';
import { parseFamily } from '../../oracle/parse.ts';

/** What the page reports for one backend. */
export interface OracleReport {
  readonly backend: string;
  readonly cases: number;
  readonly failures: readonly { readonly id: string; readonly reason: string }[];
  /** Cases listed in known.ts that now pass (their entry must go). */
  readonly fixedKnown: readonly string[];
  readonly ms: number;
}

function backendFor(name: string): Backend {
  if (name === 'reference') return referenceBackend;
  if (name === 'default') return getDefaultBackend();
  return createGpujsBackend({ mode: name as 'webgl2' | 'webgpu' });
}

async function canopyOracle(name: string, families: readonly string[]): Promise<OracleReport> {
  const t0 = performance.now();
  const b = backendFor(name);
  const failures: { id: string; reason: string }[] = [];
  const fixedKnown: string[] = [];
  let cases = 0;
  for (const family of families) {
    const bytes = new Uint8Array(await (await fetch(`/fixtures/${family}.safetensors`)).arrayBuffer());
    for (const c of parseFamily(family, bytes)) {
      cases++;
      let problem: string | undefined;
      try {
        problem = await check(b, c);
      } catch (err) {
        problem = `threw ${(err as Error).message}`;
      }
      const known = knownMismatch(b.name, c);
      if (known !== undefined && problem === undefined) fixedKnown.push(`${family}/${c.id}`);
      if (known === undefined && problem !== undefined) failures.push({ id: `${family}/${c.id} (${c.op})`, reason: problem });
    }
  }
  return { backend: describeBackend(b), cases, failures, fixedKnown, ms: Math.round(performance.now() - t0) };
}

(globalThis as { canopyOracle?: typeof canopyOracle }).canopyOracle = canopyOracle;
