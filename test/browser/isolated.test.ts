// The web demo on a page served WITH cross-origin isolation (COOP/COEP): SharedArrayBuffer exists,
// so the default backend may run gpu.js's threaded WebAssembly on a worker pool sized from
// navigator.hardwareConcurrency. The faces must still be upstream's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../examples/web/main.ts';
import { expectUpstreamFaces } from './faces.ts';
import { openTestPage, type TestPage } from './harness.ts';

type Demo = { ready: Promise<DemoResult> };
declare const canopyDemo: Demo;

let t: TestPage;
let result: DemoResult;
beforeAll(async () => {
  t = await openTestPage({ path: '?backend=wasm', crossOriginIsolated: true });
  result = await t.page.evaluate(() => canopyDemo.ready);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the web demo on a cross-origin-isolated page', () => {
  it('has SharedArrayBuffer and runs the default backend on it', async () => {
    expect(await t.page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([true, 'function']);
    const threads = await t.page.evaluate(() => navigator.hardwareConcurrency);
    expect(result.backend).toBe(`gpujs/webasm (async, ${threads} threads)`);
  });

  it("finds sample1's faces with upstream's scores", () => {
    expectUpstreamFaces(result);
    expect(t.errors).toEqual([]);
  });
});
