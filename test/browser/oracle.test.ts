// The PyTorch fixture suite in a real Chromium page (test/browser/pages/oracle.ts), on gpu.js's
// WebGPU and WebGL2 modes and on the default backend of a page without cross-origin isolation,
// with Node's tolerances and known mismatches (test/oracle/known.ts: NaN/Inf in shaders).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFamilies, loadFamily } from '../oracle/fixtures.ts';
import type { OracleReport } from './pages/oracle.ts';
import { openTestPage, type TestPage } from './harness.ts';

declare const canopyOracle: (backend: string, families: readonly string[]) => Promise<OracleReport>;

const families = fixtureFamilies();
const cases = families.reduce((n, f) => n + loadFamily(f).length, 0);

let t: TestPage;
beforeAll(async () => {
  t = await openTestPage({ path: 'test/oracle.html' });
  await t.page.waitForFunction(() => 'canopyOracle' in globalThis);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('PyTorch fixtures in a Chromium page', () => {
  it.each([
    ['default', 'gpujs/webasm (sync)'],
    ['webgpu', 'gpujs/webgpu (async)'],
    ['webgl2', 'gpujs/webgl2 (sync)'],
  ] as const)('on %s', async (backend, described) => {
    const r = await t.page.evaluate(([b, f]) => canopyOracle(b, f), [backend, families] as const);
    expect(r.backend).toBe(described);
    expect(r.cases).toBe(cases);
    expect(r.failures).toEqual([]);
    expect(r.fixedKnown).toEqual([]);
    expect(t.errors).toEqual([]);
    // WebGL2 on SwiftShader: ~115 s alone (a shader compiled per case), several minutes under load
  }, 480_000);
});
