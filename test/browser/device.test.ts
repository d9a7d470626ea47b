// Device-resident tensors in a real Chromium page (test/browser/pages/device.ts), on gpu.js's
// WebGPU and WebGL2 modes: kernel results stay on the device, a detector forward reads back once
// (when its output is read), weights are copied to the device once, and 100 runs leave no device
// tensor behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForwardReport, OpsReport, RepeatedReport, RunsReport, WindowReport } from './pages/device.ts';
import { openTestPage, type TestPage } from './harness.ts';
import { convCases, poolCases } from '../backend/windowCases.ts';
import { deviceCopyBytes } from '../backend/deviceCopies.ts';

declare const canopyDevice: {
  ops(mode: string): Promise<OpsReport>;
  forward(mode: string, inputSize: number): Promise<ForwardReport>;
  runs(mode: string, count: number): Promise<RunsReport>;
  evicted(mode: string): Promise<number[]>;
  windows(mode: string): Promise<WindowReport[]>;
  repeated(mode: string): Promise<RepeatedReport>;
};

let t: TestPage;
beforeAll(async () => {
  t = await openTestPage({ path: 'test/device.html' });
  await t.page.waitForFunction(() => 'canopyDevice' in globalThis);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe.each(['webgpu', 'webgl2'])('device-resident tensors on %s', (mode) => {
  it('movement and arithmetic chain on the device, read once', async () => {
    const r = await t.page.evaluate((m) => canopyDevice.ops(m), mode);
    expect(r.onDevice).toBe(true);
    expect(r.values.length).toBe(r.expected.length);
    r.values.forEach((v, i) => expect(v).toBeCloseTo(r.expected[i]!, 5));
    // 7 primitives, 7 kernels; the only readback is the explicit read (WebGL2: the sync `data` read)
    expect(r.after.kernelCalls).toBe(7);
    if (mode === 'webgpu') {
      expect(r.syncDataError).toMatch(/must be read with `await readTensor\(t\)`/);
      expect(r.after.readbacks).toBe(1);
    } else {
      expect(r.syncDataError).toBeUndefined();
      expect(r.after.readbacks).toBe(1); // the sync read; readTensor then returns its copy
    }
    expect(t.errors).toEqual([]);
  }, 120_000);

  it('a result outlives the kernel that made it (evicted from the kernel cache)', async () => {
    expect(await t.page.evaluate((m) => canopyDevice.evicted(m), mode)).toEqual([1, 2, 3, 2, 3, 4]);
    expect(t.errors).toEqual([]);
  }, 120_000);

  it('intermediates are released when dead: same-shaped convs reuse their output, values stay right', async () => {
    const r = await t.page.evaluate((m) => canopyDevice.repeated(m), mode);
    expect(r.maxDiff).toBeLessThan(1e-4);
    expect(r.kernelCalls).toBe(10); // 8 convs, 2 Residual adds
    // calls whose kernel has no earlier result alive: WebGL2 renders into that texture again
    // (WebGPU): conv 1, 4, 7 and both adds (test/tensor/device.test.ts counts the same in Node).
    // Convs and adds both compute four outputs per thread, so on WebGL2 too every result is one
    // texture type (a conv reading a conv and one reading an add are one kernel): the same 5.
    expect(r.reusableCalls).toBe(5);
    // a Residual's input, its branch and the output at most: never the chain's 10 results at once
    expect(r.peakBytes).toBeLessThanOrEqual(3 * r.tensorBytes);
    expect(r.liveAfter).toBe(0);
    console.log(`${mode} repeated convs: ${r.reusableCalls} of ${r.kernelCalls} calls reusable, peak ${r.peakBytes} bytes (${r.tensorBytes} per tensor), max |diff| ${r.maxDiff}`);
    expect(t.errors).toEqual([]);
  }, 120_000);

  it('100 runs of a small model leave no device tensor alive', async () => {
    const r = await t.page.evaluate((m) => canopyDevice.runs(m, 100), mode);
    // after each run only its output is alive (the intermediates were released by the run)
    expect(new Set(r.liveAfterRun)).toEqual(new Set([1]));
    expect(new Set(r.bytesAfterRun)).toEqual(new Set([r.bytesAfterRun[0]]));
    expect(r.end.liveTensors).toBe(0);
    expect(r.end.liveBytes).toBe(0);
    expect(r.readbacks).toBe(100);
    // weights and biases (first run) and the reused input (second run) copied once and kept, outside liveBytes
    expect(r.end.uploads).toBe(r.params);
    // (the input is 4-d too, but a conv's input: only the weights are its parameters of 4 dims)
    const bytes = r.paramShapes.map((s, i) => deviceCopyBytes(s, i < r.paramShapes.length - 1 && s.length === 4, mode === 'webgl2'));
    expect(r.end.cachedBytes).toBe(bytes.reduce((a, b) => a + b, 0));
    expect(t.errors).toEqual([]);
  }, 300_000);

  it('convs and pools of four outputs per thread match the reference (row ends, the tail, groups, stride 2, padding)', async () => {
    const r = await t.page.evaluate((m) => canopyDevice.windows(m), mode);
    expect(r.length).toBe(2 * (convCases.length + poolCases.length)); // each on a host and a device input
    for (const c of r) {
      expect(c.shape, c.name).toEqual(c.wantShape);
      expect(c.worst, c.name).toBeLessThanOrEqual(1);
    }
    expect(t.errors).toEqual([]);
  }, 300_000);

  it('a detector forward reads back once: when its output is read', async () => {
    const r = await t.page.evaluate((m) => canopyDevice.forward(m, 416), mode);
    expect(r.shape).toEqual([1, 25, 13, 13]);
    expect(r.maxDiff).toBeLessThan(1e-3);
    expect(r.forward.readbacks).toBe(0);
    expect(r.read.readbacks).toBe(1);
    expect(r.forward.liveTensors).toBe(1);
    expect(r.disposed.liveTensors).toBe(0);
    // weights: copied at the first forward and kept; none copied by the second and third
    expect(r.forward.uploads).toBeGreaterThan(0);
    expect(r.second.uploads).toBe(0);
    expect(r.third.uploads).toBe(0);
    expect(r.third.kernelCalls).toBe(r.forward.kernelCalls);
    expect(r.thirdMaxDiff).toBeLessThan(1e-3);
    expect(r.cachedBytes).toBeGreaterThan(0);
    expect(r.cachedAfterDestroy).toBe(0);
    console.log(`${mode} detector forward: ${r.forward.kernelCalls} kernel calls, ${r.read.readbacks} readback, ${r.ms} ms; ${r.forward.uploads} uploads (${r.cachedBytes} bytes kept), then ${r.second.uploads}; peak ${r.forward.peakBytes} bytes live (preprocessing included)`);
    expect(t.errors).toEqual([]);
  }, 300_000);
});
