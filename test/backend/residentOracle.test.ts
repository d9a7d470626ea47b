// The device-resident kernels (src/backend/gpujs/resident.ts) against every PyTorch fixture, in
// gpu.js's CPU mode with residency forced on: the same kernel sources and tensor lifetimes that
// WebGPU and WebGL2 run in a page (test/browser), checked in Node without a GPU.
import { afterAll, describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { check } from '../oracle/check.ts';
import { fixtureFamilies, loadFamily } from '../oracle/fixtures.ts';
import { knownMismatch } from '../oracle/known.ts';

const b = createGpujsBackend({ mode: 'cpu', resident: true });
afterAll(() => b.destroy());

describe('PyTorch oracle on resident gpujs:cpu', () => {
  for (const family of fixtureFamilies()) {
    describe(family, () => {
      for (const c of loadFamily(family)) {
        const known = knownMismatch(b.name, c);
        const body = async (): Promise<void> => {
          expect(await check(b, c)).toBeUndefined();
        };
        if (known === undefined) it(`${c.id} (${c.op})`, body);
        else it.fails(`${c.id} (${c.op}) — known: ${known}`, body);
      }
    });
  }
});
