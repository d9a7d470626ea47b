// The web demo in a real Chromium (headless, SwiftShader): sample1's three faces with upstream
// face-api's scores on WebGPU and WebGL2, and on the default backend of a page served without
// cross-origin isolation; the LoRA toggle leaves the outputs unchanged; a screenshot shows the
// boxes. SwiftShader is a software GPU: these runs check results, not speed.
import { mkdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../examples/web/main.ts';
import { goldenFaces } from '../models/faceapi/helpers.ts';
import { expectUpstreamFaces } from './faces.ts';
import { openTestPage, type TestPage } from './harness.ts';

type Demo = { ready: Promise<DemoResult>; setBackend(b: string): Promise<DemoResult>; setLora(on: boolean): Promise<DemoResult> };
declare const canopyDemo: Demo;

let t: TestPage;
let first: DemoResult;
beforeAll(async () => {
  t = await openTestPage({ path: '?backend=webgpu' });
  first = await t.page.evaluate(() => canopyDemo.ready);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the web demo in Chromium', () => {
  it("finds sample1's faces with upstream's scores on WebGPU", () => {
    expect(first.backend).toBe('gpujs/webgpu (async)');
    expectUpstreamFaces(first);
    expect(Object.keys(first.stages)).toEqual([
      'load weights', 'decode image', 'input (pad + resize)', 'detector (forward)', 'boxes (decode + NMS)', 'landmarks (crops + forward)', 'whole pipeline', 'draw',
    ]);
  });

  it('runs the default backend on a page without cross-origin isolation', async () => {
    expect(await t.page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([false, 'undefined']);
    const r = await t.page.evaluate(() => canopyDemo.setBackend('wasm'));
    expect(r.backend).toBe('gpujs/webasm (sync)');
    expectUpstreamFaces(r);
  }, 60_000);

  it('leaves the outputs unchanged with the zero LoRA injected, and ejects back to the original tree', async () => {
    const r = await t.page.evaluate(() => canopyDemo.setLora(true));
    expect(r.loraMaxDiff).toBe(0);
    expect(await t.page.locator('#loraInfo').textContent()).toContain('Ejecting gives back the original tree: true');
    expect(await t.page.locator('#tree').innerHTML()).toContain('LoraAdapter');
    await t.page.evaluate(() => canopyDemo.setLora(false));
    expect(await t.page.locator('#tree').innerHTML()).not.toContain('LoraAdapter');
  }, 60_000);

  it('shows the boxes in a screenshot', async () => {
    mkdirSync('out', { recursive: true });
    const png = PNG.sync.read(await t.page.locator('#canvas').screenshot({ path: 'out/web-demo-canvas.png' }));
    // the canvas holds the image at full size and is scaled to the page (inside a 1-pixel border)
    const width = await t.page.evaluate(() => (document.getElementById('canvas') as HTMLCanvasElement).width);
    const scale = (png.width - 2) / width;
    for (const f of goldenFaces) {
      const [x, y, w] = f.box;
      // the top edge of each box: mostly the demo's pure green
      let green = 0;
      const samples = 20;
      for (let s = 0; s < samples; s++) {
        const px = 1 + Math.round((x + (w * (s + 0.5)) / samples) * scale);
        const py = 1 + Math.round(y * scale);
        const hit = [-1, 0, 1].some((dy) => {
          const o = ((py + dy) * png.width + px) * 4;
          const [r, g, b] = [png.data[o]!, png.data[o + 1]!, png.data[o + 2]!];
          return g > 120 && g > r + 60 && g > b + 60; // the outline, blended by the downscaling
        });
        if (hit) green++;
      }
      expect(green, `green pixels on the top edge of the face at x=${x}`).toBeGreaterThan(samples * 0.8);
    }
  });

  it("finds sample1's faces with upstream's scores on WebGL2", async () => {
    const r = await t.page.evaluate(() => canopyDemo.setBackend('webgl2'));
    expect(r.backend).toBe('gpujs/webgl2 (sync)');
    expectUpstreamFaces(r);
    expect(t.errors).toEqual([]);
  }, 180_000);
});
