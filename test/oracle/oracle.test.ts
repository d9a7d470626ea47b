// Every PyTorch fixture case on every backend: the reference backend always, gpu.js (the default
// mode that selectBackend picks, plus CANOPY_ORACLE_MODES=webasm,cpu,...) where it runs.
// Known mismatches are listed in `known.ts`, each with the bug it shows; they run as `it.fails`,
// so a fix makes them fail until the entry is removed.
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/Backend.ts';
import { referenceBackend } from '../../src/backend/reference/index.ts';
import { destroyBackends, selectBackend } from '../../src/backend/select.ts';
import type { GpujsMode } from '../../src/backend/gpujs/index.ts';
import { check } from './check.ts';
import { fixtureFamilies, loadFamily } from './fixtures.ts';
import { knownMismatch } from './known.ts';

function backends(): Backend[] {
  const out: Backend[] = [referenceBackend];
  const modes = (process.env['CANOPY_ORACLE_MODES'] ?? '').split(',').filter((m) => m !== '');
  try {
    out.push(selectBackend());
  } catch (err) {
    // gpu.js unavailable here: the reference backend alone still checks the ops' composition
    console.warn(`oracle: gpu.js backend skipped: ${(err as Error).message}`);
  }
  for (const m of modes) out.push(selectBackend({ backend: 'gpujs', mode: m as GpujsMode }));
  return out.filter((b, i, all) => all.findIndex((x) => x.name === b.name) === i);
}

afterAll(() => destroyBackends());

for (const b of backends()) {
  describe(`PyTorch oracle on ${b.name}`, () => {
    for (const family of fixtureFamilies()) {
      describe(family, () => {
        for (const c of loadFamily(family)) {
          const known = knownMismatch(b.name, c);
          const title = `${c.id} (${c.op})`;
          const body = async (): Promise<void> => {
            expect(await check(b, c)).toBeUndefined();
          };
          if (known === undefined) it(title, body);
          else it.fails(`${title} — known: ${known}`, body);
        }
      });
    }
  });
}
